#!/usr/bin/env bash
# Times `classroomctl registry check` on a synthetic registry of SCHOOLS schools (default 20000, the
# province: about 405 MB of CSV and 7.2 million lessons a week) and prints one JSON line with the
# figures of issue 18: registry_load_mb_per_s (CSV megabytes over wall seconds) and
# registry_load_peak_mb (the process's maximum resident set).
#   bash scripts/bench/registry-load.sh [--schools N] [--gb18030]
# --gb18030 re-encodes the files as GB18030 first (what Excel writes in a Chinese locale).
# Uses the release build when there is one (.build-release, then .build/release), else the debug
# build; CLASSROOMCTL names another binary. The sample is kept in /tmp/registry-load-N for reruns.
set -euo pipefail
cd "$(dirname "$0")/../.."
schools=20000
gb=0
while [ $# -gt 0 ]; do
  case $1 in
    --schools) schools=$2; shift 2 ;;
    --gb18030) gb=1; shift ;;
    -h|--help) sed -n 2,9p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "registry-load: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $schools =~ ^[0-9]+$ ]] && [ "$schools" -ge 1 ] || { echo "registry-load: --schools needs a positive number" >&2; exit 2; }
ctl=${CLASSROOMCTL:-}
for candidate in .build-release/release/classroomctl .build/release/classroomctl "$(swift build --show-bin-path 2>/dev/null)/classroomctl"; do
  [ -n "$ctl" ] && break
  [ -x "$candidate" ] && ctl=$candidate
done
[ -x "${ctl:-}" ] || { echo "registry-load: no classroomctl built (swift build -c release --product classroomctl)" >&2; exit 1; }
dir=/tmp/registry-load-$schools
if [ ! -s "$dir/timetable.csv" ]; then
  echo "registry-load: writing a $schools-school registry to $dir" >&2
  "$ctl" registry sample --out "$dir" --schools "$schools" >/dev/null
fi
if [ "$gb" = 1 ]; then
  gbdir=$dir-gb18030
  if [ ! -s "$gbdir/timetable.csv" ]; then
    mkdir -p "$gbdir"
    for f in "$dir"/*.csv; do
      python3 -c 'import sys; sys.stdout.buffer.write(open(sys.argv[1], encoding="utf-8-sig").read().encode("gb18030"))' "$f" >"$gbdir/$(basename "$f")"
    done
  fi
  dir=$gbdir
fi
python3 - "$ctl" "$dir" "$schools" "$gb" <<'PY'
import json, os, resource, subprocess, sys, time
ctl, folder, schools, gb = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder) if f.endswith(".csv"))
start = time.monotonic()
run = subprocess.run([ctl, "registry", "check", folder, "--json"], capture_output=True, text=True)
seconds = time.monotonic() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if run.returncode != 0:
    sys.exit(f"registry-load: registry check failed ({run.returncode}): {run.stderr[-2000:]}")
mb = size / 1e6
print(json.dumps({
    "registry_load_mb_per_s": round(mb / seconds, 1),
    "registry_load_peak_mb": round(peak_kb / 1024, 1),
    "registry_load_s": round(seconds, 2),
    "registry_mb": round(mb, 1),
    "peak_over_size": round(peak_kb * 1024 / size, 2),
    "schools": schools,
    "encoding": "GB18030" if gb else "UTF-8",
    "binary": ctl,
}))
PY
