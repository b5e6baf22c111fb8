# Sourced by scripts/test.sh: a running PostgreSQL 15 with a test role that may create databases
# (each collector test makes its own and drops it). Idempotent. Exports CLASSROOMFLEET_TEST_POSTGRES_URL.
pg_sudo() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
pg_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

pg_ready() {
  for _ in $(seq 1 50); do
    pg_sudo psql -qtAc 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main .* online'; then
  pg_root pg_ctlcluster 15 main start
fi
pg_ready
# The suites run in parallel, each PostgreSQL test with a database and a pool of its own: Debian's 100
# connections ran out in CI ("remaining connection slots are reserved", a pool's request then timing
# out after 60 s). 400 leaves room on this 24 GiB machine; it takes effect at a restart.
if [ "$(pg_sudo psql -qtAc 'SHOW max_connections')" -lt 400 ]; then
  pg_sudo psql -qtAc 'ALTER SYSTEM SET max_connections = 400' >/dev/null
  pg_root pg_ctlcluster 15 main restart
  pg_ready
fi
# Every test creates and drops a database, and each CREATE/DROP DATABASE forces a checkpoint that syncs
# every file of the cluster: in CI one spent 10.2 s in sync (PostgreSQL's log) while a test's queries
# waited, and the test failed. A test cluster needs no durability across an OS crash. scripts/bench.sh
# turns fsync back on (CLASSROOMFLEET_PG_FSYNC=on) before it measures PostgreSQL.
want_fsync=${CLASSROOMFLEET_PG_FSYNC:-off}
if [ "$(pg_sudo psql -qtAc 'SHOW fsync')" != "$want_fsync" ]; then
  pg_sudo psql -qtAc "ALTER SYSTEM SET fsync = $want_fsync" >/dev/null
  pg_sudo psql -qtAc 'SELECT pg_reload_conf()' >/dev/null
  for _ in $(seq 1 50); do [ "$(pg_sudo psql -qtAc 'SHOW fsync')" = "$want_fsync" ] && break; sleep 0.1; done
fi
pg_sudo psql -v ON_ERROR_STOP=1 -qtA <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'classroomfleet_test') THEN
    CREATE ROLE classroomfleet_test LOGIN CREATEDB PASSWORD 'classroomfleet_test';
  END IF;
END $$;
-- Each test drops its database WITH (FORCE), which terminates the sessions still on it. An autovacuum
-- worker is one of no role, and only pg_signal_backend may end it: without this the drop failed now
-- and then (42501 "must be a member of the role whose process is being terminated or member of
-- pg_signal_backend", seen in CI on 2026-12-05).
GRANT pg_signal_backend TO classroomfleet_test;
SQL
if ! pg_sudo psql -qtAc "SELECT 1 FROM pg_database WHERE datname = 'classroomfleet_test'" | grep -q 1; then
  pg_sudo createdb -O classroomfleet_test classroomfleet_test
fi
export CLASSROOMFLEET_TEST_POSTGRES_URL="postgres://classroomfleet_test:classroomfleet_test@127.0.0.1:5432/classroomfleet_test?sslmode=disable"
echo "PostgreSQL ready: ${CLASSROOMFLEET_TEST_POSTGRES_URL%%\?*}"
