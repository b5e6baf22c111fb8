#!/usr/bin/env bash
# One bench for every figure of issue 18, in one run on one machine: runs the parts under
# scripts/bench/ (release builds, their own scratch paths) and writes DIR/bench.json and DIR/bench.md
# (a Markdown table) with the machine's details (docs/bench.md shows a run and what each figure is).
#
#   scripts/bench.sh [--quick | --smoke] [--out DIR] [--keep]
#
#   --quick   a smaller province (2,000 schools, 20,000 devices, 2,000 long-polling agents, shorter
#             idle and speech phases, 30 kill cycles): about 10 minutes on 2 cores once built.
#             Without it: the province (20,000 schools, 300,000 devices, 10,000 agents, 1,000 kill
#             cycles), about 40 minutes on 2 cores once built, plus the province's PostgreSQL load
#             for the PostgreSQL parts (docs/bench.md).
#   --smoke   tiny sizes (50 schools, 50 agents, 3 kill cycles …): checks the bench itself in a few
#             minutes; its figures mean nothing.
#   --out DIR where bench.json, bench.md and each part's output (DIR/parts/NAME.out, .err, .status)
#             go; default bench-out (ignored by git). DIR/work holds the stores; removed unless --keep.
#
# Each part prints its figures as JSON or a last `RESULT key=value …` line; scripts/bench/assemble.py
# puts them together. A failing part is reported on stderr, its figures are null with its error, and
# the run goes on; the exit status is 1 when any part failed. Progress goes to stderr. Installs only
# what scripts/install-deps.sh test does, plus python3-psycopg (the PostgreSQL ingest's raw inserts).
# BENCH_GIT_COMMIT / BENCH_GIT_DIRTY name the commit when git cannot (e.g. inside a bind mount).
# BENCH_BIN=DIR (classroom-collector, classroomctl) and BENCH_AGENT=FILE (classroomd) use other builds
# instead of building (the part build is then skipped).
set -uo pipefail
cd "$(dirname "$0")/.."
quick=0
out=bench-out
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; shift ;;
    --smoke) quick=smoke; shift ;;
    --out) [ $# -ge 2 ] || { echo "bench: --out needs a folder" >&2; exit 2; }; out=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set /{/^set /!p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$quick" = smoke ]; then
  mode=smoke schools=50 devices=500 agents=50 commands=5 interval=0.1 events=16000
  idle=3 speech=3 appends=3 cycles=3 hls=10
elif [ "$quick" = 1 ]; then
  mode=quick schools=2000 devices=20000 agents=2000 commands=100 interval=0.3 events=100000
  idle=20 speech=20 appends=10 cycles=30 hls=30
else
  mode=full schools=20000 devices=300000 agents=10000 commands=200 interval=0.15 events=200000
  idle=60 speech=60 appends=30 cycles=1000 hls=40
fi
mkdir -p "$out/parts" "$out/work"
out=$(cd "$out" && pwd)
rm -f "$out"/parts/* "$out/bench.json" "$out/bench.md"
started=$(date +%s.%N)
failed=()
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(date +%s.%N)"; }
say() { echo "[bench +$(elapsed "$started") s] $*" >&2; }
part() { # NAME COMMAND…: runs it, its output in DIR/parts/NAME.{out,err,status}
  local name=$1; shift
  local t0 rc
  say "part $name: $*"
  t0=$(date +%s.%N)
  "$@" >"$out/parts/$name.out" 2>"$out/parts/$name.err" </dev/null
  rc=$?
  local seconds
  seconds=$(elapsed "$t0")
  python3 -c 'import json, sys; print(json.dumps({"command": sys.argv[1], "exit": int(sys.argv[2]), "seconds": float(sys.argv[3])}))' \
    "${PART_COMMAND:-$*}" "$rc" "$seconds" >"$out/parts/$name.status"
  if [ "$rc" = 0 ]; then
    say "part $name: done in $seconds s"
  else
    failed+=("$name")
    say "part $name: FAILED (exit $rc) after $seconds s: $(tail -n 3 "$out/parts/$name.err" | tr '\n' ' ' | cut -c1-400)"
    say "  see $out/parts/$name.err and $out/parts/$name.out"
  fi
  return 0
}
skip() { # NAME REASON
  python3 -c 'import json, sys; print(json.dumps({"command": None, "exit": None, "seconds": None, "skipped": sys.argv[1]}))' \
    "$2" >"$out/parts/$1.status"
  say "part $1: skipped: $2"
}
sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# Debian's interpreter for what imports python3-psycopg: a python3 earlier in PATH (pyenv, a venv) does
# not see Debian's packages.
pg_python=/usr/bin/python3
[ -x "$pg_python" ] || pg_python=$(command -v python3)
say "ClassroomFleet bench, $mode run, output in $out"

# Set-up: the packages, the release builds, PostgreSQL. Each is a part, so that a failure is recorded.
deps() {
  command -v prometheus-node-exporter >/dev/null && command -v psql >/dev/null || bash scripts/install-deps.sh test
  if ! "$pg_python" -c 'import psycopg' 2>/dev/null; then
    DEBIAN_FRONTEND=noninteractive sudo_ apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends python3-psycopg
  fi
}
part deps deps
build() {
  swift build -c release --product classroom-collector --scratch-path .build-release &&
    swift build -c release --product classroomctl --scratch-path .build-release &&
    bash scripts/build-agent-release.sh >"$out/work/agent-path"
}
if [ -n "${BENCH_BIN:-}" ] && [ -n "${BENCH_AGENT:-}" ]; then
  bin=$(cd "$BENCH_BIN" && pwd) agent=$BENCH_AGENT
  skip build "BENCH_BIN=$BENCH_BIN and BENCH_AGENT=$BENCH_AGENT given"
else
  PART_COMMAND="swift build -c release --product classroom-collector|classroomctl --scratch-path .build-release; bash scripts/build-agent-release.sh" \
    part build build
  bin=$PWD/.build-release/release
  agent=$(cat "$out/work/agent-path" 2>/dev/null || echo "$PWD/.build-agent-release/release/classroomd")
fi
mkdir -p "$out/work/bin"
ln -sf "$bin/classroom-collector" "$bin/classroomctl" "$agent" "$out/work/bin/"
audio=${CLASSROOMFLEET_AUDIO_FIXTURES:-/tmp/classroomfleet-audio-fixtures}
part audio-fixtures bash Tests/Fixtures/audio/make-audio-fixtures.sh "$audio"
pg_url=""
postgres() {
  # shellcheck source=scripts/test.d/10-postgres.sh
  CLASSROOMFLEET_PG_FSYNC=on source scripts/test.d/10-postgres.sh >&2 || return 1
  local base=${CLASSROOMFLEET_TEST_POSTGRES_URL%%\?*}
  for db in cf_bench_ingest cf_bench_longpoll; do
    psql "$base" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" || return 1
  done
  echo "${base%/*}"
}
part postgres postgres
[ -s "$out/parts/postgres.out" ] && pg_url=$(tail -n 1 "$out/parts/postgres.out")

# The parts with figures.
PART_COMMAND="CLASSROOMCTL=$bin/classroomctl scripts/bench/registry-load.sh --schools $schools" \
  part registry-load env CLASSROOMCTL="$bin/classroomctl" bash scripts/bench/registry-load.sh --schools "$schools"
export BENCH_DIR=$out/work/province BENCH_BIN=$bin
PART_COMMAND="BENCH_DIR=$BENCH_DIR BENCH_BIN=$bin scripts/bench/coverage-province.sh $schools $devices" \
  part coverage-province bash scripts/bench/coverage-province.sh "$schools" "$devices"
PART_COMMAND="BENCH_DIR=$BENCH_DIR BENCH_BIN=$bin scripts/bench/draw-province.sh $schools $devices" \
  part draw-province bash scripts/bench/draw-province.sh "$schools" "$devices"
# The same two on PostgreSQL: the province a database of the test server (loaded by bench-load, then
# VACUUM ANALYZE; dropped at the end like DIR/work unless --keep), the draw on a copy of it (CREATE
# DATABASE … TEMPLATE).
if [ -n "$pg_url" ]; then
  PART_COMMAND="BENCH_POSTGRES=$pg_url BENCH_DIR=$BENCH_DIR BENCH_BIN=$bin scripts/bench/coverage-province.sh $schools $devices" \
    part coverage-province-postgres env BENCH_POSTGRES="$pg_url" bash scripts/bench/coverage-province.sh "$schools" "$devices"
  PART_COMMAND="BENCH_POSTGRES=$pg_url BENCH_DIR=$BENCH_DIR BENCH_BIN=$bin scripts/bench/draw-province.sh $schools $devices" \
    part draw-province-postgres env BENCH_POSTGRES="$pg_url" bash scripts/bench/draw-province.sh "$schools" "$devices"
else
  skip coverage-province-postgres "PostgreSQL could not be set up (see the part postgres)"
  skip draw-province-postgres "PostgreSQL could not be set up (see the part postgres)"
fi
unset BENCH_DIR BENCH_BIN
part ingest-sqlite python3 scripts/bench/collector-ingest.py --bin "$bin" --db "sqlite:$out/work/ingest.sqlite" \
  --events "$events" --json
if [ -n "$pg_url" ]; then
  part ingest-postgres "$pg_python" scripts/bench/collector-ingest.py --bin "$bin" \
    --db "$pg_url/cf_bench_ingest?sslmode=disable" --events "$events" --json
else
  skip ingest-postgres "PostgreSQL could not be set up (see the part postgres)"
fi
part longpoll python3 scripts/bench/collector-longpoll.py --bin "$bin" --agents "$agents" --commands "$commands" \
  --interval "$interval" --json
longpoll_help=$(python3 scripts/bench/collector-longpoll.py --help 2>&1)
if ! grep -q -- '--collectors' <<<"$longpoll_help"; then
  skip longpoll-3collectors "not available in this checkout (collector-longpoll.py has no --collectors option)"
elif [ -z "$pg_url" ]; then
  skip longpoll-3collectors "PostgreSQL could not be set up (see the part postgres)"
else
  db_option=()
  grep -q -- '--db' <<<"$longpoll_help" && db_option=(--db "$pg_url/cf_bench_longpoll?sslmode=disable")
  part longpoll-3collectors python3 scripts/bench/collector-longpoll.py --bin "$bin" --collectors 3 "${db_option[@]}" \
    --agents "$agents" --commands "$commands" --interval "$interval" --json
fi
part agent python3 scripts/bench/agent-bench.py --agent "$agent" --bin "$bin" --audio "$audio" --idle "$idle" \
  --speech "$speech" --appends "$appends" --json
part kill-cycles python3 scripts/bench/agent-kill-cycles.py --cycles "$cycles" --bin "$out/work/bin" \
  --json "$out/parts/kill-cycles.json"
part hls-latency python3 scripts/bench/hls-latency.py --seconds "$hls"
skip console-pages "its figures (device pages of the console) are not among issue 18's; run scripts/bench/console-pages.sh alone"
skip registry-gb18030 "issue 13's linear-time check of a bad GB18030 byte, not a figure of issue 18; run it alone"
skip classroomd-order "regenerates Deploy/classroomd.order (an input of the agent's build), not a figure"

wall=$(elapsed "$started")
scale=$(printf '{"schools": %s, "devices": %s, "long_poll_agents": %s, "commands": %s, "ingest_events": %s, "idle_s": %s, "speech_s": %s, "appends_s": %s, "kill_cycles": %s, "hls_s": %s}' \
  "$schools" "$devices" "$agents" "$commands" "$events" "$idle" "$speech" "$appends" "$cycles" "$hls")
python3 scripts/bench/assemble.py machine >"$out/machine.json"
python3 scripts/bench/assemble.py assemble --parts "$out/parts" --machine "$out/machine.json" --mode "$mode" \
  --scale "$scale" --wall "$wall" --out "$out" >&2 || failed+=(assemble)
if [ "$keep" != 1 ]; then
  rm -rf "$out/work"
  [ -z "$pg_url" ] || psql "$pg_url/postgres?sslmode=disable" -X -q \
    -c "DROP DATABASE IF EXISTS cf_province_${schools}_${devices} WITH (FORCE)" >&2 || true
fi
if [ ${#failed[@]} -gt 0 ]; then
  say "done in $wall s; FAILED parts: ${failed[*]}; $out/bench.md"
  exit 1
fi
say "done in $wall s; $out/bench.md"
