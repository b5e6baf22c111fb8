#!/usr/bin/env bash
# Console page benchmark: a store with DEVICES enrolled devices in SCHOOLS schools (default 300,000
# in 20,000, the province scale of ARCHITECTURE.md §7), seeded straight into SQLite after
# `classroom-collector migrate`, then the console's pages fetched with curl by a signed-in bureau
# viewer (token sign-in), each timed: the devices list unfiltered, filtered, a later page, its CSV
# is left out (it is a download of every device, not a page).
#
#   scripts/bench/console-pages.sh [DEVICES] [SCHOOLS]
#
# Builds: BENCH_BIN=DIR (default: the debug build of `swift build --show-bin-path`; a release build
# in .build-release is used when present). BENCH_DIR (default /tmp/cf-console-bench) keeps the store;
# delete it to reseed. A bench, not a test: it prints the figures, it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
DEVICES=${1:-300000}
SCHOOLS=${2:-20000}
DIR=${BENCH_DIR:-/tmp/cf-console-bench}
if [ -n "${BENCH_BIN:-}" ]; then BIN=$BENCH_BIN
elif [ -x .build-release/release/classroom-collector ]; then BIN=.build-release/release
else BIN=$(swift build --show-bin-path); fi
[ -x "$BIN/classroom-collector" ] || { echo "no classroom-collector in $BIN (swift build first)" >&2; exit 1; }
mkdir -p "$DIR"
DB="$DIR/console-$SCHOOLS-$DEVICES.sqlite"
if [ ! -f "$DB" ]; then
  echo "== seeding $SCHOOLS schools, $DEVICES devices into $DB"
  "$BIN/classroom-collector" migrate --db "sqlite:$DB" >/dev/null
  start=$(date +%s.%N)
  sqlite3 "$DB" <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $SCHOOLS)
INSERT INTO schools SELECT printf('S%06d', i), '第' || i || '中心小学', '样例县', '第' || (i % 40) || '镇', 12, 480, 0, 0, 0, 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $DEVICES)
INSERT INTO rooms SELECT printf('R%07d', i), printf('S%06d', (i % $SCHOOLS) + 1), '教室' || i,
  CASE WHEN i % 18 = 0 THEN 'recording' ELSE 'classroom' END, 'primary', '', NULL FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $DEVICES)
INSERT INTO devices (id, school_id, room_id, hostname, agent_version, public_key, credential_hash, enrolled_at,
  last_seen_at, clock_skew_ms, revoked_at, cameras, microphones, inventory_seq)
SELECT printf('dev-%07d', i), printf('S%06d', (i % $SCHOOLS) + 1), printf('R%07d', i), printf('host-%07d', i),
  CASE WHEN i % 10 = 0 THEN '0.9.0' ELSE '0.10.0' END, 'k', 'h' || i, 1700000000000,
  CASE WHEN i % 7 = 0 THEN NULL ELSE (strftime('%s','now') * 1000) - (i % 5) * 3600000 END, 0, NULL,
  CASE WHEN i % 18 = 0 THEN 1 WHEN i % 13 = 0 THEN NULL ELSE 0 END, CASE WHEN i % 11 = 0 THEN 0 ELSE 1 END, 1 FROM n;
COMMIT;
SQL
  echo "seeded in $(echo "$(date +%s.%N) - $start" | bc) s"
fi
echo "== store: $(du -h "$DB" | cut -f1), devices: $(sqlite3 "$DB" 'SELECT count(*) FROM devices'), build: $BIN"
TOKEN=$("$BIN/classroom-collector" token create --db "sqlite:$DB" --role bureau_viewer --name bench --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN/classroom-collector" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --profiles-dir Deploy/profiles \
  >"$DIR/serve.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
JAR="$DIR/cookies.txt"
rm -f "$JAR"
CSRF=$(curl -sS -c "$JAR" "http://127.0.0.1:$PORT/login" | python3 -c '
import re, sys; m = re.search(r"name=\"csrf\" value=\"([^\"]+)\"", sys.stdin.read()); print(m.group(1) if m else "")')
curl -sS -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "csrf=$CSRF" --data-urlencode "token=$TOKEN" \
  --data-urlencode "next=/devices" "http://127.0.0.1:$PORT/login"
grep -q cf_session "$JAR" || { echo "sign-in failed" >&2; exit 1; }
AFTER=$(printf 'dev-%07d' $((DEVICES / 2)))
page() { # label, path: three runs, the first warms the caches
  for run in 1 2 3; do
    curl -sS -b "$JAR" -o "$DIR/page.html" -w "%{http_code} %{time_total} %{size_download}\n" "http://127.0.0.1:$PORT$2" >"$DIR/t.txt"
    read -r code secs bytes <"$DIR/t.txt"
    printf '%-44s run %d: HTTP %s  %6.3f s  %7d bytes\n' "$1" "$run" "$code" "$secs" "$bytes"
  done
}
page "GET /devices" "/devices"
page "GET /devices?offline=1" "/devices?offline=1"
page "GET /devices?no_camera=1&no_microphone=1" "/devices?no_camera=1&no_microphone=1"
page "GET /devices?outdated=1" "/devices?outdated=1"
page "GET /devices?after=(middle)" "/devices?after=$AFTER"
page "GET /devices/{id}" "/devices/$AFTER"
echo "collector log: $DIR/serve.log"
