#!/usr/bin/env bash
# The main job on embedded defaults, from a fresh Debian 12 clone: installs what it needs, builds,
# and brings up what exists so far on the sample county in Deploy/examples/county.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh run
swift build --product classroomctl
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
