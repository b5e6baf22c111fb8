#!/usr/bin/env bash
# Measures classroomd against ARCHITECTURE.md §7 with the release build as it ships
# (scripts/build-agent-release.sh) against the real collector on loopback: binary size, time to
# READY=1, idle VmRSS beside prometheus-node-exporter's, idle CPU, CPU while metering speech, and idle
# VmRSS over HTTPS. See scripts/bench/agent-bench.py for how each figure is taken.
#   bash scripts/bench-agent.sh
#   BENCH_IDLE_SECONDS=30 BENCH_SPEECH_SECONDS=60 bash scripts/bench-agent.sh [--json] [--appends SECONDS]
# Further arguments go to agent-bench.py (--json ends with the figures as one JSON line).
# scripts/bench.sh runs agent-bench.py with the release collector, beside the other figures.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v prometheus-node-exporter >/dev/null || bash scripts/install-deps.sh test
agent=$(bash scripts/build-agent-release.sh)
swift build --product classroom-collector >/dev/null
swift build --product classroomctl >/dev/null
audio=${CLASSROOMFLEET_AUDIO_FIXTURES:-/tmp/classroomfleet-audio-fixtures}
bash Tests/Fixtures/audio/make-audio-fixtures.sh "$audio"
python3 scripts/bench/agent-bench.py --agent "$agent" --bin "$(swift build --show-bin-path)" --audio "$audio" \
  --idle "${BENCH_IDLE_SECONDS:-20}" --speech "${BENCH_SPEECH_SECONDS:-30}" "$@"
