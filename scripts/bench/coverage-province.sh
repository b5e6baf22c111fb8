#!/usr/bin/env bash
# Province-scale coverage benchmark: a synthetic province (default 20,000 schools, 300,000 devices,
# a week of agent events) loaded into a fresh collector SQLite store through the store's own API
# (`classroom-collector bench-load`), then GET /api/v1/coverage timed against the real server, and
# `classroomctl coverage report` against it, each under /usr/bin/time -v (wall, CPU, max RSS).
#
#   scripts/bench/coverage-province.sh [SCHOOLS] [DEVICES]
#
# Release builds in .build-release (built when missing; BENCH_BIN=DIR uses other builds). Env: BENCH_DIR (default /tmp/cf-coverage-bench;
# the store is reused when present — delete it to reload), BENCH_AT (the week's last day, default 2026-11-22),
# BENCH_POSTGRES (a PostgreSQL server URL, postgres://USER:PASSWORD@HOST:PORT: the store is a database
# there, cf_province_SCHOOLS_DEVICES, loaded once; see province-store.sh).
# The last line, `RESULT key=value …`, holds the figures for scripts/bench.sh: coverage_province_s (the
# first GET /api/v1/coverage), coverage_province_warm_s (the second), coverage_trend_s, coverage_ctl_s
# (`classroomctl coverage report`, table), collector_max_rss_mb, and load_s when the store was loaded.
set -euo pipefail
cd "$(dirname "$0")/../.."
SCHOOLS=${1:-20000}
DEVICES=${2:-300000}
AT=${BENCH_AT:-2026-11-22}
DIR=${BENCH_DIR:-/tmp/cf-coverage-bench}
BIN=${BENCH_BIN:-.build-release/release}
if [ ! -x "$BIN/classroom-collector" ] || [ ! -x "$BIN/classroomctl" ]; then
  swift build -c release --product classroom-collector --scratch-path .build-release
  swift build -c release --product classroomctl --scratch-path .build-release
fi
mkdir -p "$DIR"
RESULT=""
timed() { # label, command…: /usr/bin/time -v, summary lines only; its wall seconds in $WALL_S
  local label=$1; shift
  /usr/bin/time -v "$@" 2>"$DIR/time.txt" >"$DIR/out.txt" || { cat "$DIR/time.txt"; exit 1; }
  WALL_S=$(awk -F': ' '/Elapsed \(wall/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$DIR/time.txt")
  awk -v l="$label" -F': ' '/Elapsed \(wall/ {w=$2} /User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {r=$2}
    END {printf "%-34s wall %s  user %ss  sys %ss  max RSS %.0f MB\n", l, w, u, s, r/1024}' "$DIR/time.txt"
}
source scripts/bench/province-store.sh
province_store "$SCHOOLS" "$DEVICES" "$AT" "$BIN" "$DIR"
[ -z "$STORE_LOADED_S" ] || RESULT+=" load_s=$STORE_LOADED_S"
DB=$STORE_DB
echo "== store ($STORE_KIND): $STORE_LABEL, $(store_size)  events: $(store_sql 'SELECT count(*) FROM events')  devices: $(store_sql 'SELECT count(*) FROM devices')"
TOKEN=$("$BIN/classroom-collector" token create --db "$DB" --role bureau_admin --name bench --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/time -v "$BIN/classroom-collector" serve --db "$DB" --listen "127.0.0.1:$PORT" \
  --profiles-dir Deploy/profiles --log-level info >"$DIR/serve.log" 2>"$DIR/serve-time.txt" &
TIMER=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
SERVER=$(pgrep -P "$TIMER") # the collector itself, so that /usr/bin/time reports its figures
trap 'kill -TERM $SERVER 2>/dev/null || true' EXIT
source scripts/bench/wait-idle.sh
wait_idle "$SERVER"
URL="http://127.0.0.1:$PORT/api/v1/coverage?profile=zhaotong-2025&at=$AT"
get() { # label, output file, URL: prints the line, sets $CODE and $SECS
  read -r CODE SECS BYTES < <(curl -sS -o "$2" -w "%{http_code} %{time_total} %{size_download}\n" \
    -H "Authorization: Bearer $TOKEN" "$3")
  echo "$1: HTTP $CODE, $SECS s, $BYTES bytes"
  [ "$CODE" = 200 ] || { echo "coverage-province: $1 answered HTTP $CODE: $(head -c 500 "$2")" >&2; exit 1; }
}
get "GET /api/v1/coverage (run 1)" "$DIR/report.json" "$URL"
RESULT+=" coverage_province_s=$SECS"
get "GET /api/v1/coverage (run 2)" "$DIR/report.json" "$URL"
RESULT+=" coverage_province_warm_s=$SECS"
get "GET /api/v1/coverage 2 weekly points" "$DIR/trend.json" "$URL&from=$(date -d "$AT -7 days" +%F)&to=$AT"
RESULT+=" coverage_trend_s=$SECS"
export CLASSROOM_COLLECTOR="http://127.0.0.1:$PORT" CLASSROOM_TOKEN="$TOKEN" XDG_CONFIG_HOME="$DIR"
timed "classroomctl (table)" "$BIN/classroomctl" coverage report --profile zhaotong-2025 --at "$AT"
RESULT+=" coverage_ctl_s=$WALL_S"
timed "classroomctl (json)" "$BIN/classroomctl" coverage report --profile zhaotong-2025 --at "$AT" --format json
python3 - "$DIR/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for i in r["county"]["indicators"]:
    if i.get("target") is not None:
        print(f'  county {i["key"]:<40} {i["stage"]:<8} {i["numerator"]:>12.0f} / {i["denominator"]:>12.0f}')
PY
kill -TERM "$SERVER"; wait "$TIMER" || true; trap - EXIT
echo "== the collector's phases per request (wall seconds):"
grep -h "coverage \(report\|trend\)" "$DIR/serve.log" "$DIR/serve-time.txt" | sed 's/^/  /' || true
awk -F': ' '/Elapsed \(wall/ {w=$2} /User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {r=$2}
  END {printf "%-34s wall %s  user %ss  sys %ss  max RSS %.0f MB\n", "collector serve (whole run)", w, u, s, r/1024}' "$DIR/serve-time.txt"
RESULT+=" collector_max_rss_mb=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$DIR/serve-time.txt")"
echo "RESULT store=$STORE_KIND schools=$SCHOOLS devices=$DEVICES$RESULT"
