#!/usr/bin/env bash
# Province-scale spot-check draw: the weekly draw (`POST /api/v1/spotcheck/draws`, what
# `classroomctl spotcheck draw` and the collector's scheduler run) timed against the real collector
# with the province registry and devices in its store (SQLite; PostgreSQL with BENCH_POSTGRES) — the store of coverage-province.sh
# (`classroom-collector bench-load`, default 20,000 schools, 300,000 devices), loaded here when missing.
#
#   scripts/bench/draw-province.sh [SCHOOLS] [DEVICES]
#
# The draw runs on a copy of that store in which every device was heard from now (bench-load's events
# are of a past week, and only machines heard from in the last 24 hours make a room eligible), for the
# current ISO week (a week can be drawn once, and not after it is over). The last line,
# `RESULT draw_province_s=… orders=… eligible_teachers=… eligible_schools=… registry_warm_s=…`, is read by
# scripts/bench.sh. The draw is timed after the collector has read the registry into memory (it does at
# start and keeps it between imports); how long that took is registry_warm_s, and the collector's log line
# `spot-check draw` gives each phase's seconds.
# Env as coverage-province.sh: BENCH_DIR (default /tmp/cf-coverage-bench), BENCH_BIN, BENCH_AT, and
# BENCH_POSTGRES (the store a PostgreSQL database; its copy is made with CREATE DATABASE … TEMPLATE).
set -euo pipefail
cd "$(dirname "$0")/../.."
SCHOOLS=${1:-20000}
DEVICES=${2:-300000}
AT=${BENCH_AT:-2026-11-22}
DIR=${BENCH_DIR:-/tmp/cf-coverage-bench}
BIN=${BENCH_BIN:-.build-release/release}
if [ ! -x "$BIN/classroom-collector" ]; then
  swift build -c release --product classroom-collector --scratch-path .build-release
fi
mkdir -p "$DIR"
source scripts/bench/province-store.sh
province_store "$SCHOOLS" "$DEVICES" "$AT" "$BIN" "$DIR"
store_copy "draw-$SCHOOLS-$DEVICES"
trap 'store_drop_copy' EXIT
store_copy_sql "UPDATE devices SET last_seen_at = $(date +%s)000 WHERE revoked_at IS NULL" >/dev/null
COPY=$STORE_COPY_DB
WEEK=$(date +%G-W%V)
echo "== store copy ($STORE_KIND) $COPY ($(store_copy_size)): $(store_copy_sql 'SELECT count(*) FROM schools') schools, $(store_copy_sql 'SELECT count(*) FROM devices') devices; drawing $WEEK"
TOKEN=$("$BIN/classroom-collector" token create --db "$COPY" --role bureau_admin --name bench --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN/classroom-collector" serve --db "$COPY" --listen "127.0.0.1:$PORT" --profiles-dir Deploy/profiles \
  --log-level info >"$DIR/draw-serve.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; store_drop_copy' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
# The collector reads the registry into memory at start and keeps it between imports: the draw is
# timed once that is done (a collector runs for weeks), and the load is reported beside it.
WARM=
for _ in $(seq 1 600); do
  WARM=$(grep -o 'load_s=[0-9.]*' "$DIR/draw-serve.log" | head -1 | cut -d= -f2) && [ -n "$WARM" ] && break
  grep -q 'registry not loaded at start' "$DIR/draw-serve.log" && break
  sleep 0.5
done
echo "registry in memory after ${WARM:-?} s (collector log)"
source scripts/bench/wait-idle.sh
wait_idle "$SERVER"
read -r CODE SECS < <(curl -sS -o "$DIR/draw.json" -w "%{http_code} %{time_total}\n" -X POST \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data "{\"week\": \"$WEEK\", \"count\": 20}" "http://127.0.0.1:$PORT/api/v1/spotcheck/draws")
echo "POST /api/v1/spotcheck/draws $WEEK: HTTP $CODE, $SECS s"
case $CODE in 2??) ;; *) echo "draw-province: the draw answered HTTP $CODE: $(head -c 500 "$DIR/draw.json")" >&2; exit 1 ;; esac
python3 - "$DIR/draw.json" "$SECS" "$WARM" "$STORE_KIND" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"  orders {d['orders']}, shortfall {d['shortfall']}, eligible teachers {d['eligible_teachers']}, "
      f"eligible schools {d['eligible_schools']}, round {d['round']}")
print(f"RESULT store={sys.argv[4]} draw_province_s={sys.argv[2]} orders={d['orders']} eligible_teachers={d['eligible_teachers']} "
      f"eligible_schools={d['eligible_schools']} registry_warm_s={sys.argv[3] or 'null'}")
PY
grep 'spot-check draw' "$DIR/draw-serve.log" | tail -1 || true
