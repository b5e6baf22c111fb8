#!/usr/bin/env bash
# Regenerates Deploy/classroomd.order, the list of functions the running daemon executes, which
# scripts/build-agent-release.sh gives lld (--symbol-ordering-file) so that they are laid out together
# and the idle daemon touches few pages of its text (docs/agent.md, "Memory").
# It runs the release classroomd under valgrind's callgrind for SECONDS (default 60): start-up,
# enrollment already done, delivery and long-poll to the test collector peer, heartbeats, and speech
# metering from an ALSA file PCM; every function of the binary that ran is listed, in first-run order.
# Names missing from a later build are ignored by lld, so a stale list only costs memory, never breaks.
#   apt-get install valgrind; bash scripts/bench/classroomd-order.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
command -v valgrind >/dev/null || { echo "classroomd-order: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
agent=$(bash scripts/build-agent-release.sh)
audio=${CLASSROOMFLEET_AUDIO_FIXTURES:-/tmp/classroomfleet-audio-fixtures}
bash Tests/Fixtures/audio/make-audio-fixtures.sh "$audio"
work=$(mktemp -d /tmp/classroomd-order.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
# valgrind 3.19 cannot read clang's DWARF 5: profile a copy without debug info (same code, same symbols).
strip --strip-debug -o "$work/classroomd" "$agent"
python3 Tests/Fixtures/fake-collector.py --port-file "$work/port" --token cfe_order:school-1:1 >/dev/null 2>&1 &
while [ ! -s "$work/port" ]; do sleep 0.05; done
cat >"$work/classroomd.toml" <<TOML
collector = "http://127.0.0.1:$(cat "$work/port")"
state_directory = "$work/state"
first_connect_jitter_seconds = 0
heartbeat_seconds = 5
microphone = "speech_zh"
TOML
"$work/classroomd" enroll --collector "http://127.0.0.1:$(cat "$work/port")" --token cfe_order --room room-1 \
  --config "$work/classroomd.toml" >/dev/null
(cd "$work" && ALSA_CONFIG_PATH="$audio/asound.conf" CLASSROOMD_USAGE_PERIOD_SECONDS=5 timeout -s TERM "$seconds" \
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/callgrind.out" \
  "$work/classroomd" run --config "$work/classroomd.toml" >"$work/run.log" 2>&1) || true
python3 - "$work/callgrind.out" "$work/classroomd" Deploy/classroomd.order <<'PY'
import os, re, sys
out, binary, order = sys.argv[1:]
binary = os.path.realpath(binary)
names, objects, current, seen, functions = {}, {}, None, set(), []
for line in open(out, errors="replace"):
    m = re.match(r"^(ob|fn|cob|cfn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
    if not m:
        continue
    kind, ident, name = m.groups()
    if kind in ("ob", "cob"):
        if name:
            objects[ident] = name
        if kind == "ob":
            current = objects[ident]
        continue
    if name:
        names[ident] = name
    if kind == "fn" and current and os.path.realpath(current) == binary:
        f = re.sub(r"'\d+$", "", names[ident])  # callgrind's recursion marker
        if f not in seen and f != "(below main)":
            seen.add(f)
            functions.append(f)
if len(functions) < 1000:
    sys.exit(f"classroomd-order: only {len(functions)} functions ran; see the run log")
open(order, "w").write("\n".join(functions) + "\n")
print(f"classroomd-order: {len(functions)} functions -> {order}")
PY
