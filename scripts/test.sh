#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 clone: installs what it needs, checks formatting,
# builds every product, then runs every test (including the hardware, server and end-to-end ones).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

step "Installing packages"
bash scripts/install-deps.sh test

step "Checking formatting (swift format lint --strict)"
if ! swift format lint --strict -r Sources Tests Package.swift; then
  echo "Formatting differs: run 'swift format -i -r Sources Tests Package.swift'" >&2
  exit 1
fi

step "Checking the systemd units' sandbox (exposure ≤ 2.0)"
bash scripts/check-units.sh

step "Building products and tests"
swift build --build-tests
export CLASSROOMFLEET_BIN
CLASSROOMFLEET_BIN=$(swift build --show-bin-path)

step "Running the binaries under the hardened units (systemd-nspawn, Debian 12 root)"
bash scripts/prove-units.sh "$CLASSROOMFLEET_BIN"

step "The Debian packages: install, upgrade (dpkg, apt from a signed repository), remove, purge, restore"
bash scripts/test-packages.sh "$CLASSROOMFLEET_BIN"

for s in scripts/test.d/*.sh; do
  [ -e "$s" ] || continue
  step "Preparing: $s"
  # shellcheck disable=SC1090
  source "$s"
done

# Tests that stream in real time (ffmpeg at 1x into nginx-rtmp, lessons of one minute) run after the
# rest, and the fleet end-to-end test on its own: on 2 cores, six agents plus x264 next to the
# other suites starve ffmpeg below real time and the long-polls beyond their timeouts.
realtime='SpotCheckStreamTests|MediaIngestTests|RecordingPipelineTests'
fleet='SpotCheckEndToEndTests|LiveViewingEndToEndTests|PatrolEndToEndTests'
# Suites that drive long-running child processes (a browser, schemathesis, agents killed and restarted,
# a fake collector that stalls) run one at a time after the rest: beside the timer-driven suites on
# 2 cores they starved them past their deadlines.
heavy='HTTP10ConnectionTests|NoticeBrowserTests|CollectorKillNineTests|MultiCollectorTests|AgentKillCyclesScriptTests|ConsoleBrowserTests|ConsolePagesBrowserTests|HostileCollectorTests|HostileProcessTests|OpenAPIConformanceTests'
: >/tmp/classroomfleet-test.log
status=0
# The test binary runs directly (what `swift test --skip-build` runs): `swift test` relays its output
# block-buffered into a pipe, so a log could end thousands of lines before a hang. Under the watchdog
# a run where no test starts or ends for 10 minutes (CLASSROOMFLEET_TEST_QUIET_MINUTES) fails: it
# names the tests still running, writes the test binary's stacks to /tmp/classroomfleet-hang/ and
# kills the run, where a hang used to hold CI until its time limit.
tests="$CLASSROOMFLEET_BIN/ClassroomFleetPackageTests.xctest"
phase() {
  step "Running tests: $1"
  shift
  # Every phase runs even when an earlier one failed; any failure fails the run.
  if ! NO_COLOR=1 python3 scripts/test-watchdog.py --stacks /tmp/classroomfleet-hang -- \
    "$tests" --testing-library swift-testing "$@" 2>&1 | tee -a /tmp/classroomfleet-test.log; then
    status=1
  fi
}
phase "everything but the real-time streams and the process-heavy suites" --skip "$realtime|$fleet|$heavy"
phase "process-heavy suites, one at a time" --filter "$heavy" --no-parallel
phase "real-time streams (nginx-rtmp + ffmpeg)" --filter "$realtime"
phase "the spot-check, live viewing and patrol on real agents, one at a time" --filter "$fleet" --no-parallel
# libFuzzer on the parsers that take bytes from the network or a file (scripts/fuzz.sh, 30 s each).
step "Fuzzing the parsers (libFuzzer)"
bash scripts/fuzz.sh || status=1
step "Done (exit $status)"
exit "$status"
