# Sourced by the bench parts that time requests against a running collector.
# wait_idle PID [LABEL]: waits until the process has used less than 0.2 s of CPU in 4 s (at most 5
# minutes), so that a timed request does not share the machine with the collector's own start-up work
# (the first alert evaluation runs 10 s after start, and over a province's 300,000 devices it takes
# about a minute of CPU). Prints how long it waited.
wait_idle() {
  local pid=$1 label=${2:-collector} waited=0 before after
  cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
  sleep 12
  waited=12
  before=$(cpu_ticks "$pid")
  while [ "$waited" -lt 300 ]; do
    sleep 4
    waited=$((waited + 4))
    after=$(cpu_ticks "$pid")
    [ $((after - before)) -lt 20 ] && break
    before=$after
  done
  echo "$label idle after ${waited} s (its start-up work done)"
}
