#!/usr/bin/env bash
# The main job on embedded defaults, from a fresh Debian 12 clone: installs what it needs, builds,
# and brings up what exists so far on the sample county in Deploy/examples/county.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh run
swift build --product classroomctl
swift build --product classroom-collector
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

# The collector on embedded SQLite (state in ./.run), the sample county imported, until Ctrl-C.
state=${CLASSROOMFLEET_STATE:-$PWD/.run}
mkdir -p "$state"
db="sqlite:$state/collector.sqlite"
listen=${CLASSROOMFLEET_LISTEN:-127.0.0.1:8470}
token=$("$bin/classroom-collector" token create --role bureau_admin --name "run.sh $(date +%F)" --db "$db")
"$bin/classroom-collector" serve --db "$db" --listen "$listen" &
collector=$!
trap 'kill -TERM $collector 2>/dev/null; wait $collector' INT TERM EXIT
for _ in $(seq 1 100); do curl -sf "http://$listen/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
"$bin/classroomctl" registry import Deploy/examples/county --collector "http://$listen" --token "$token"
echo
echo "Collector: http://$listen (OpenAPI at /api/v1/openapi.yaml, metrics at /metrics)"
echo "Bureau admin token (shown once): $token"
echo "Try: CLASSROOM_TOKEN=$token classroomctl devices list --collector http://$listen"
echo "Ctrl-C stops the collector."
wait $collector
