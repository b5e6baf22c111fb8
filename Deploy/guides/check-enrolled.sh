#!/usr/bin/env bash
# After enrolling a school's classroom machines: which of the school's rooms (the registry's rooms.csv)
# have an enrolled machine that is online, which have one that is offline, and which have none.
#   CLASSROOM_TOKEN=cfo_… check-enrolled.sh --collector URL --school SCHOOL_ID --rooms rooms.csv [--kinds LIST]
#     --kinds LIST   room kinds to expect a machine in (default: classroom,recording)
# Exit status 0 when every expected room has an online machine, 1 otherwise (the list says which).
set -euo pipefail
collector="" school="" rooms="" kinds="classroom,recording"
while [ $# -gt 0 ]; do
  case "$1" in
    --collector) collector=${2:?}; shift 2 ;;
    --school) school=${2:?}; shift 2 ;;
    --rooms) rooms=${2:?}; shift 2 ;;
    --kinds) kinds=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-enrolled: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$collector" ] && [ -n "$school" ] && [ -n "$rooms" ] || { sed -n '4p' "$0" | sed 's/^# //' >&2; exit 2; }
[ -r "$rooms" ] || { echo "check-enrolled: cannot read $rooms" >&2; exit 2; }
devices=$(classroomctl devices list --collector "$collector" --school "$school" --json)
python3 - "$rooms" "$school" "$kinds" "$devices" <<'PY'
import csv, json, sys
rooms_csv, school, kinds, devices = sys.argv[1], sys.argv[2], set(sys.argv[3].split(",")), json.loads(sys.argv[4])
with open(rooms_csv, encoding="utf-8-sig", newline="") as f:
    rooms = [r for r in csv.DictReader(f) if r.get("school_id") == school and r.get("kind") in kinds]
by_room = {}
for d in devices:
    if not d.get("revoked") and d.get("room_id"):
        by_room.setdefault(d["room_id"], []).append(d)
missing = offline = 0
for r in sorted(rooms, key=lambda r: r["room_id"]):
    found = by_room.get(r["room_id"], [])
    if not found:
        state, missing = "NO MACHINE", missing + 1
    elif any(d.get("online") for d in found):
        state = "online (" + ", ".join(sorted({d.get("agent_version", "?") for d in found})) + ")"
    else:
        state, offline = "OFFLINE", offline + 1
    print(f"{r['room_id']:<16} {r.get('kind', ''):<11} {state}")
print(f"{len(rooms)} rooms expected, {len(rooms) - missing - offline} online, {offline} offline, {missing} without a machine")
sys.exit(0 if missing == 0 and offline == 0 else 1)
PY
