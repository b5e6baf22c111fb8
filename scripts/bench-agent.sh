#!/usr/bin/env bash
# Measures classroomd against ARCHITECTURE.md §7: static release binary size, time to READY=1,
# idle RSS and idle CPU, against the fake collector of the tests on loopback.
#   bash scripts/bench-agent.sh            (builds .build-release first)
#   BENCH_IDLE_SECONDS=30 bash scripts/bench-agent.sh
set -euo pipefail
cd "$(dirname "$0")/.."
idle=${BENCH_IDLE_SECONDS:-15}
swift build -c release --product classroomd --scratch-path .build-release --static-swift-stdlib >/dev/null
bin=$(swift build -c release --scratch-path .build-release --show-bin-path)/classroomd
work=$(mktemp -d /tmp/classroomd-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 Tests/Fixtures/fake-collector.py --port-file "$work/port" --token cfe_bench:school-1:5 &
while [ ! -s "$work/port" ]; do sleep 0.05; done
port=$(cat "$work/port")
cat >"$work/classroomd.toml" <<TOML
collector = "http://127.0.0.1:$port"
state_directory = "$work/state"
first_connect_jitter_seconds = 0
TOML
"$bin" enroll --collector "http://127.0.0.1:$port" --token cfe_bench --room room-1 --config "$work/classroomd.toml" >/dev/null
echo "binary: $bin"
echo "size: $(stat -c %s "$bin") bytes ($(( $(stat -c %s "$bin") / 1048576 )) MiB), stripped: $(strip -o "$work/stripped" "$bin" && stat -c %s "$work/stripped") bytes"
echo "dynamic libraries: $(ldd "$bin" 2>/dev/null | awk '{print $1}' | tr '\n' ' ')"
python3 - "$bin" "$work" "$idle" <<'PY'
import os, socket, subprocess, sys, time
binary, work, idle = sys.argv[1], sys.argv[2], int(sys.argv[3])
path = os.path.join(work, "notify.sock")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
env = dict(os.environ, NOTIFY_SOCKET=path)
start = time.monotonic()
p = subprocess.Popen([binary, "run", "--config", os.path.join(work, "classroomd.toml")], env=env,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    msg = s.recv(4096).decode()
    if "READY=1" in msg:
        break
ready = (time.monotonic() - start) * 1000
print(f"time to READY=1: {ready:.1f} ms")
def ticks():
    fields = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])
time.sleep(2)
t0, c0 = time.monotonic(), ticks()
time.sleep(idle)
t1, c1 = time.monotonic(), ticks()
hz = os.sysconf("SC_CLK_TCK")
rss = [l for l in open(f"/proc/{p.pid}/status") if l.startswith(("VmRSS", "VmHWM"))]
print("idle " + ", ".join(l.split()[0] + " " + l.split()[1] + " kB" for l in rss))
print(f"idle CPU over {idle} s: {100 * (c1 - c0) / hz / (t1 - t0):.2f} % of one core")
p.terminate()
p.wait(timeout=10)
print(f"exit after SIGTERM: {p.returncode}")
PY
if command -v prometheus-node-exporter >/dev/null; then
  prometheus-node-exporter --web.listen-address=127.0.0.1:19100 >/dev/null 2>&1 &
  sleep 2; curl -s 127.0.0.1:19100/metrics >/dev/null; sleep 1
  echo "prometheus-node-exporter after one scrape: $(grep VmRSS /proc/$!/status)"
fi
