# Sourced by coverage-province.sh and draw-province.sh: the synthetic province's store, SQLite (default)
# or PostgreSQL, loaded once by `classroom-collector bench-load` and reused by later runs.
#
#   BENCH_POSTGRES=postgres://USER:PASSWORD@HOST:PORT   a PostgreSQL server whose role may create
#                                                        databases (scripts/bench.sh passes the test
#                                                        server's); unset: a SQLite file in $DIR.
#
# province_store SCHOOLS DEVICES AT BIN DIR: sets STORE_KIND (sqlite|postgres), STORE_DB (the collector's
# --db), STORE_LABEL; loads the store when it is missing (a PostgreSQL database counts as loaded only once
# its load finished: its comment says so), and then sets STORE_LOADED_S to the load's wall seconds.
# store_sql SQL: one value from the store. store_copy NAME: a copy of the store to change (the draw
# writes its orders) in STORE_COPY_DB; store_drop_copy removes it.

store_seconds_since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(date +%s.%N)"; }

store_pg_admin() { psql "$BENCH_POSTGRES/postgres?sslmode=disable" -X -q -v ON_ERROR_STOP=1 "$@"; }

province_store() {
  local schools=$1 devices=$2 at=$3 bin=$4 dir=$5 t0
  STORE_LOADED_S=""
  if [ -n "${BENCH_POSTGRES:-}" ]; then
    STORE_KIND=postgres
    STORE_NAME=cf_province_${schools}_${devices}
    STORE_DB="$BENCH_POSTGRES/$STORE_NAME?sslmode=disable"
    STORE_LABEL="PostgreSQL database $STORE_NAME"
    local done
    done=$(store_pg_admin -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$STORE_NAME'")
    if [ "$done" != "bench-load complete $at" ]; then
      echo "== loading $schools schools, $devices devices, week ending $at into $STORE_LABEL"
      store_pg_admin -c "DROP DATABASE IF EXISTS $STORE_NAME WITH (FORCE)" -c "CREATE DATABASE $STORE_NAME"
      t0=$(date +%s.%N)
      "$bin/classroom-collector" bench-load --db "$STORE_DB" --schools "$schools" --devices "$devices" --at "$at"
      # What autovacuum does in time, once: the planner's statistics and the visibility map of the
      # bulk-loaded tables (a report right after a load would otherwise be timed without them).
      psql "$STORE_DB" -X -q -v ON_ERROR_STOP=1 -c "VACUUM ANALYZE"
      STORE_LOADED_S=$(store_seconds_since "$t0")
      store_pg_admin -c "COMMENT ON DATABASE $STORE_NAME IS 'bench-load complete $at'"
    fi
  else
    STORE_KIND=sqlite
    local file="$dir/province-$schools-$devices.sqlite"
    STORE_DB="sqlite:$file"
    STORE_FILE=$file
    STORE_LABEL=$file
    if [ ! -f "$file" ]; then
      echo "== loading $schools schools, $devices devices, week ending $at into $file"
      t0=$(date +%s.%N)
      "$bin/classroom-collector" bench-load --db "$STORE_DB" --schools "$schools" --devices "$devices" --at "$at"
      STORE_LOADED_S=$(store_seconds_since "$t0")
    fi
  fi
}

store_sql() {
  if [ "$STORE_KIND" = postgres ]; then psql "$STORE_DB" -X -tAc "$1"; else sqlite3 "$STORE_FILE" "$1"; fi
}

store_size() {
  if [ "$STORE_KIND" = postgres ]; then
    store_sql "SELECT pg_size_pretty(pg_database_size(current_database()))"
  else
    du -h "$STORE_FILE" | cut -f1
  fi
}

store_copy() { # NAME: STORE_COPY_DB, STORE_COPY_SQL (runs SQL on the copy)
  local name=$1
  if [ "$STORE_KIND" = postgres ]; then
    STORE_COPY_NAME=cf_${name//-/_}
    store_pg_admin -c "DROP DATABASE IF EXISTS $STORE_COPY_NAME WITH (FORCE)" \
      -c "CREATE DATABASE $STORE_COPY_NAME TEMPLATE $STORE_NAME STRATEGY FILE_COPY"
    STORE_COPY_DB="$BENCH_POSTGRES/$STORE_COPY_NAME?sslmode=disable"
  else
    STORE_COPY_FILE="$(dirname "$STORE_FILE")/$name.sqlite"
    rm -f "$STORE_COPY_FILE" "$STORE_COPY_FILE-wal" "$STORE_COPY_FILE-shm"
    sqlite3 "$STORE_FILE" ".backup '$STORE_COPY_FILE'"
    STORE_COPY_DB="sqlite:$STORE_COPY_FILE"
  fi
}

store_copy_sql() {
  if [ "$STORE_KIND" = postgres ]; then
    psql "$STORE_COPY_DB" -X -q -v ON_ERROR_STOP=1 -tAc "$1"
  else
    sqlite3 "$STORE_COPY_FILE" "$1"
  fi
}

store_copy_size() {
  if [ "$STORE_KIND" = postgres ]; then
    store_copy_sql "SELECT pg_size_pretty(pg_database_size(current_database()))"
  else
    du -h "$STORE_COPY_FILE" | cut -f1
  fi
}

store_drop_copy() {
  if [ "$STORE_KIND" = postgres ]; then
    store_pg_admin -c "DROP DATABASE IF EXISTS $STORE_COPY_NAME WITH (FORCE)" >/dev/null 2>&1 || true
  else
    rm -f "$STORE_COPY_FILE" "$STORE_COPY_FILE-wal" "$STORE_COPY_FILE-shm"
  fi
}
