#!/usr/bin/env bash
# The main job on embedded defaults, from a fresh Debian 12 clone: installs what it needs, builds,
# and brings up what exists so far on the sample county in Deploy/examples/county.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh run
swift build --product classroomctl
swift build --product classroom-collector
swift build --product classroomd
bin=$(swift build --show-bin-path)
echo
"$bin/classroomctl" registry check Deploy/examples/county
echo
# Coverage of the sample county against the Luxi 2025 targets (declared basis, offline), and the
# printable zh-CN report with charts.
"$bin/classroomctl" coverage report --profile luxi-2025 --registry Deploy/examples/county
"$bin/classroomctl" coverage report --profile luxi-2025 --registry Deploy/examples/county --format html \
  --out /tmp/classroomfleet-coverage.html
echo "HTML coverage report: /tmp/classroomfleet-coverage.html"

# The collector on embedded SQLite (state in ./.run), the sample county imported, then several
# classroomd agents on simulated classroom hardware (umockdev device trees, ALSA capture fed from
# generated speech), enrolled into rooms of the first school; everything stops on Ctrl-C.
state=${CLASSROOMFLEET_STATE:-$PWD/.run}
mkdir -p "$state"
db="sqlite:$state/collector.sqlite"
listen=${CLASSROOMFLEET_LISTEN:-127.0.0.1:8470}
url="http://$listen"
token=$("$bin/classroom-collector" token create --role bureau_admin --name "run.sh $(date +%F)" --db "$db")
"$bin/classroom-collector" serve --db "$db" --listen "$listen" >"$state/collector.log" 2>&1 &
pids=($!)
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait 2>/dev/null' INT TERM EXIT
for _ in $(seq 1 100); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$url/healthz" >/dev/null || { echo "run.sh: the collector did not start; see $state/collector.log" >&2; exit 1; }
export CLASSROOM_TOKEN=$token
"$bin/classroomctl" registry import Deploy/examples/county --collector "$url"

# Simulated classroom machines: device tree, microphone input, room.
audio="$state/audio"
bash Tests/Fixtures/audio/make-audio-fixtures.sh "$audio"
school=$(awk -F, 'NR == 2 { print $1 }' Deploy/examples/county/schools.csv | tr -d '\357\273\277')
recording=$(awk -F, -v s="$school" '$2 == s && $4 == "recording" { print $1; exit }' Deploy/examples/county/rooms.csv)
classrooms=($(awk -F, -v s="$school" '$2 == s && $4 == "classroom" { print $1 }' Deploy/examples/county/rooms.csv | head -2))
machines=("recording-classroom:speech_zh:$recording" "blackboard-panel:speech_en:${classrooms[0]}"
  "classroom-pc:near_silence:${classrooms[1]}")
enroll=$("$bin/classroomctl" enroll-token create --collector "$url" --school "$school" --uses ${#machines[@]} --expires 1d)
enroll=$(printf '%s\n' "$enroll" | grep -o 'cfe_[A-Za-z0-9_-]*' | head -1)
for m in "${machines[@]}"; do
  IFS=: read -r tree mic room <<<"$m"
  dir="$state/agents/$room"
  mkdir -p "$dir/state"
  cat >"$dir/classroomd.toml" <<TOML
collector = "$url"
state_directory = "$dir/state"
microphone = "$mic"
first_connect_jitter_seconds = 0
heartbeat_seconds = 30
TOML
  [ -f "$dir/state/enrollment.json" ] ||
    "$bin/classroomd" enroll --collector "$url" --token "$enroll" --room "$room" --config "$dir/classroomd.toml"
  ALSA_CONFIG_PATH="$audio/asound.conf" umockdev-run -d "Tests/Fixtures/umockdev/$tree.umockdev" -- \
    "$bin/classroomd" run --config "$dir/classroomd.toml" >"$dir/classroomd.log" 2>&1 &
  pids+=($!)
  echo "classroomd for room $room ($tree, microphone $mic): log $dir/classroomd.log"
done
sleep 3
echo
"$bin/classroomctl" devices list --collector "$url"
echo
echo "Collector: $url (OpenAPI at /api/v1/openapi.yaml, metrics at /metrics); log $state/collector.log"
echo "Bureau admin token: $token"
echo "Try: CLASSROOM_TOKEN=$token $bin/classroomctl devices list --collector $url"
echo "Ctrl-C stops the collector and the agents."
wait
