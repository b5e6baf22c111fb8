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

step "Building products and tests"
swift build --build-tests
export CLASSROOMFLEET_BIN
CLASSROOMFLEET_BIN=$(swift build --show-bin-path)

for s in scripts/test.d/*.sh; do
  [ -e "$s" ] || continue
  step "Preparing: $s"
  # shellcheck disable=SC1090
  source "$s"
done

step "Running tests"
swift test --skip-build 2>&1 | tee /tmp/classroomfleet-test.log
status=${PIPESTATUS[0]}
step "Done (exit $status)"
exit "$status"
