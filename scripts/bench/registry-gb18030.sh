#!/usr/bin/env bash
# Times `classroomctl registry check` on a GB18030 (GBK) registry whose teachers.csv is SIZE_KIB
# KiB of Chinese names with one undecodable byte in the last rows (issue 13 item 7: the error
# location must be found in linear time). Prints the size, the wall time and the problem reported.
#   bash scripts/bench/registry-gb18030.sh [SIZE_KIB ...]   (default: 4096 16384 65536 262144)
# Uses the debug build unless CLASSROOMCTL names another binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
ctl=${CLASSROOMCTL:-$(swift build --show-bin-path)/classroomctl}
[ -x "$ctl" ] || { echo "registry-gb18030: $ctl is missing (swift build --product classroomctl)" >&2; exit 1; }
work=$(mktemp -d /tmp/registry-gb18030.XXXXXX)
trap 'rm -rf "$work"' EXIT
for size in "${@:-4096 16384 65536 262144}"; do
  for kib in $size; do
    dir="$work/county-$kib"
    mkdir -p "$dir"
    python3 - "$dir" "$kib" <<'PY'
import sys
folder, kib = sys.argv[1], int(sys.argv[2])
def write(name, text):
    with open(f"{folder}/{name}", "wb") as f:
        f.write(text.encode("gb18030"))
write("schools.csv", "school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students\nS1,水磨中心小学,鲁甸县,水磨镇,12,500,0,0,0,0\n")
write("rooms.csv", "room_id,school_id,name,kind,stage,class_name\nR1,S1,一年级一班,classroom,primary,一年级一班\n")
write("timetable.csv", "school_id,room_id,teacher_id,weekday,start,end,subject\nS1,R1,T1,1,08:00,08:40,语文\n")
row = "T{},S1,张伟{},语文 数学\n"
target = kib << 10
header = "teacher_id,school_id,name,subjects\n".encode("gb18030")
body = bytearray(header)
i = 1
while len(body) < target:
    body += row.format(i, i).encode("gb18030")
    i += 1
# The bad byte: 0xFF is never valid in GB18030; put it in the name field of the last row but one.
lines = body.split(b"\n")
lines[-3] = lines[-3].replace(b",S1,", b",S1,\xff", 1)
open(f"{folder}/teachers.csv", "wb").write(b"\n".join(lines))
print(f"teachers.csv: {len(body) >> 10} KiB, {len(lines) - 1} lines, bad byte on line {len(lines) - 2}", file=sys.stderr)
PY
    start=$(date +%s%N)
    out=$("$ctl" registry check "$dir" 2>&1 || true)
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    printf '%7s KiB  %6d.%03d s  %s\n' "$kib" $((ms / 1000)) $((ms % 1000)) "$(echo "$out" | grep -m1 'teachers.csv' || echo "$out" | head -1)"
    rm -rf "$dir"
  done
done
