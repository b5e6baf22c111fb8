#!/usr/bin/env bash
# The main job on embedded defaults, from a fresh Debian 12 clone: installs what it needs, builds,
# and brings up what exists so far on the sample county in Deploy/examples/county.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh run
swift build --product classroomctl
swift build --product classroom-collector
swift build --product classroomd
bin=$(swift build --show-bin-path)
echo
"$bin/classroomctl" registry check Deploy/examples/county
echo
# Coverage of the sample county against the Luxi 2025 targets (declared basis, offline), and the
# printable zh-CN report with charts.
"$bin/classroomctl" coverage report --profile luxi-2025 --registry Deploy/examples/county
"$bin/classroomctl" coverage report --profile luxi-2025 --registry Deploy/examples/county --format html \
  --out /tmp/classroomfleet-coverage.html
echo "HTML coverage report: /tmp/classroomfleet-coverage.html"

# The collector on embedded SQLite (state in ./.run), the sample county imported, then several
# classroomd agents on simulated classroom hardware (umockdev device trees, ALSA capture fed from
# generated speech), enrolled into rooms of the first school; everything stops on Ctrl-C.
state=${CLASSROOMFLEET_STATE:-$PWD/.run}
mkdir -p "$state"
db="sqlite:$state/collector.sqlite"
listen=${CLASSROOMFLEET_LISTEN:-127.0.0.1:8470}
url="http://$listen"
token=$("$bin/classroom-collector" token create --role bureau_admin --name "run.sh $(date +%F)" --db "$db")
# A demo sign-in for the web console: a bureau admin with a fresh password each run (kept in ./.run).
demo_user=demo
demo_password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 14)
printf '%s\n' "$demo_password" | "$bin/classroom-collector" user create --username "$demo_user" --role bureau_admin \
  --password-file - --db "$db" >/dev/null 2>&1 ||
  printf '%s\n' "$demo_password" | "$bin/classroom-collector" user passwd --username "$demo_user" --password-file - --db "$db" >/dev/null
# A demo observer (教研员): watches the called lesson live on its watch page; fresh password each run.
observer_user=jiaoyan
observer_password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 14)
printf '%s\n' "$observer_password" | "$bin/classroom-collector" user create --username "$observer_user" --role observer \
  --password-file - --db "$db" >/dev/null 2>&1 ||
  printf '%s\n' "$observer_password" | "$bin/classroom-collector" user passwd --username "$observer_user" \
    --password-file - --db "$db" >/dev/null

# The media server for the live spot-check: nginx-rtmp from the shipped Deploy/media/nginx-rtmp.conf,
# rendered for loopback with a fresh hook secret (shared with the collector), recording what it
# accepts into ./.run/media/record so that the demo can show it; and the shipped HTTP site
# (Deploy/media/nginx-site.conf): the console proxied, the live lessons' HLS behind the collector's
# authorization, on one origin.
media="$state/media"
rtmp_port=${CLASSROOMFLEET_RTMP_PORT:-1935}
http_port=${CLASSROOMFLEET_HTTP_PORT:-8460}
site="http://127.0.0.1:$http_port"

[ -s "$state/media-secret" ] || (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$state/media-secret")
[ ! -f "$media/nginx.pid" ] || kill -TERM -- -"$(cat "$media/nginx.pid")" 2>/dev/null || true  # an earlier run's
sleep 0.2
bash Tests/Fixtures/media/media-server.sh start "$media" "$rtmp_port" "$url" "$(cat "$state/media-secret")" record \
  "http=$http_port"
ingest="rtmp://127.0.0.1:$rtmp_port/live"
stop_media() { [ ! -f "$media/nginx.pid" ] || kill -TERM -- -"$(cat "$media/nginx.pid")" 2>/dev/null || true; }

# The weekly self-test (自检推流) of the recording rooms, normally in the midday break of school days:
# here a one-minute window today (county time) about five minutes from now, after the demo lesson
# below, so that a second recording classroom is verified by its self-test while the demo runs.
# CLASSROOMFLEET_SELFTEST=0 schedules none (recording rooms are then verified by spot-checks only).
selftest_at=$(( ($(date +%s) + 300 + 59) / 60 * 60 ))
if [ "$(TZ=Asia/Shanghai date -d "@$selftest_at" +%F)" != "$(TZ=Asia/Shanghai date -d "@$((selftest_at + 60))" +%F)" ]; then
  selftest_at=$((selftest_at + 120))  # not across the county's midnight
fi
selftest_options=(--selftest-window "$(TZ=Asia/Shanghai date -d "@$selftest_at" +%H:%M)-$(TZ=Asia/Shanghai date -d "@$((selftest_at + 60))" +%H:%M)"
  --selftest-days "$(TZ=Asia/Shanghai date -d "@$selftest_at" +%u)" --selftest-seconds 60)
[ "${CLASSROOMFLEET_SELFTEST:-1}" != 0 ] || selftest_options=(--no-selftest)
"$bin/classroom-collector" serve --db "$db" --listen "$listen" --media-secret-file "$state/media-secret" \
  --spotcheck-ingest "$ingest" --trusted-proxy 127.0.0.1 --recording-ingest-dir "$media/record" \
  --recordings-dir "$state/recordings" "${selftest_options[@]}" >"$state/collector.log" 2>&1 &
pids=($!)
trap 'kill -TERM "${pids[@]}" 2>/dev/null; stop_media; wait 2>/dev/null' INT TERM EXIT
for _ in $(seq 1 100); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$url/healthz" >/dev/null || { echo "run.sh: the collector did not start; see $state/collector.log" >&2; exit 1; }
export CLASSROOM_TOKEN=$token
school=$(awk -F, 'NR == 2 { print $1 }' Deploy/examples/county/schools.csv | tr -d '\357\273\277')
recording=$(awk -F, -v s="$school" '$2 == s && $4 == "recording" { print $1; exit }' Deploy/examples/county/rooms.csv)
classrooms=($(awk -F, -v s="$school" '$2 == s && $4 == "classroom" { print $1 }' Deploy/examples/county/rooms.csv | head -2))
# The second school's first recording classroom gets an agent too: it is never called in the demo,
# and its weekly self-test verifies it.
school2=$(awk -F, 'NR == 3 { print $1 }' Deploy/examples/county/schools.csv)
recording2=$(awk -F, -v s="$school2" '$2 == s && $4 == "recording" { print $1; exit }' Deploy/examples/county/rooms.csv)

# The sample county, plus one short demo lesson in the recording classroom so that the spot-check at
# the end works at any hour: taught by an added demo teacher, CLASSROOMFLEET_DEMO_MINUTES (3) long
# (time to open its watch page and watch it live), starting at the first minute boundary at least
# 30 s from now (county time, Asia/Shanghai; after midnight if it would cross it); the first school's
# other lessons at that time are left out, so that it is the one lesson running there.
county="$state/county"
demo_minutes=${CLASSROOMFLEET_DEMO_MINUTES:-3}
demo_at=$(( ($(date +%s) + 30 + 59) / 60 * 60 ))
if [ "$(TZ=Asia/Shanghai date -d "@$demo_at" +%F)" != "$(TZ=Asia/Shanghai date -d "@$((demo_at + demo_minutes * 60))" +%F)" ]; then
  demo_at=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date -d "@$demo_at" +%F) + 1 day 00:00" +%s)
fi
demo_until=$((demo_at + demo_minutes * 60))
demo_start=$(TZ=Asia/Shanghai date -d "@$demo_at" +%H:%M)
demo_end=$(TZ=Asia/Shanghai date -d "@$demo_until" +%H:%M)
# shellcheck source=lib/demo-lesson.sh
. scripts/lib/demo-lesson.sh
demo_lesson Deploy/examples/county "$county" "$school" "$recording" "$demo_at" "$demo_until"
# A self-test never runs during (or within 5 minutes of) a timetabled lesson of its room: the demo
# leaves out the self-test room's lessons on the self-test's weekday.
awk -F, -v room="$recording2" -v day="$(TZ=Asia/Shanghai date -d "@$selftest_at" +%u)" 'NR == 1 || !($2 == room && $4 == day)' \
  "$county/timetable.csv" >"$county/timetable.tmp" && mv "$county/timetable.tmp" "$county/timetable.csv"
if [ -f "$county/calendar.csv" ] && [ "$(TZ=Asia/Shanghai date -d "@$selftest_at" +%F)" != "$(TZ=Asia/Shanghai date -d "@$demo_at" +%F)" ]; then
  d=$(TZ=Asia/Shanghai date -d "@$selftest_at" +%F)
  grep -v "^$d," "$county/calendar.csv" >"$county/calendar.tmp" && mv "$county/calendar.tmp" "$county/calendar.csv"
  printf '%s,workday,演示自检,%s\n' "$d" "$(TZ=Asia/Shanghai date -d "@$selftest_at" +%u)" >>"$county/calendar.csv"
fi
"$bin/classroomctl" registry import "$county" --collector "$url"

# Simulated classroom machines: device tree, microphone input, room.
audio="$state/audio"
bash Tests/Fixtures/audio/make-audio-fixtures.sh "$audio"
machines=("recording-classroom:speech_zh:$recording" "blackboard-panel:speech_en:${classrooms[0]}"
  "classroom-pc:near_silence:${classrooms[1]}" "recording-classroom:speech_zh:$recording2")
enroll=$("$bin/classroomctl" enroll-token create --collector "$url" --school "$school" --uses 3 --expires 1d)
enroll=$(printf '%s\n' "$enroll" | grep -o 'cfe_[A-Za-z0-9_-]*' | head -1)
enroll2=$("$bin/classroomctl" enroll-token create --collector "$url" --school "$school2" --uses 1 --expires 1d)
enroll2=$(printf '%s\n' "$enroll2" | grep -o 'cfe_[A-Za-z0-9_-]*' | head -1)
status_port=$((${CLASSROOMFLEET_STATUS_PORT:-8471} - 1))
declare -A status_pages
for m in "${machines[@]}"; do
  IFS=: read -r tree mic room <<<"$m"
  status_port=$((status_port + 1))
  status_pages[$room]=$status_port
  dir="$state/agents/$room"
  mkdir -p "$dir/state"
  cat >"$dir/classroomd.toml" <<TOML
collector = "$url"
state_directory = "$dir/state"
microphone = "$mic"
first_connect_jitter_seconds = 0
heartbeat_seconds = 30
camera = "-re -f lavfi -i testsrc2=size=640x360:rate=25"
status_port = $status_port
TOML
  [ -f "$dir/state/enrollment.json" ] ||
    "$bin/classroomd" enroll --collector "$url" --token "$([ "$room" = "$recording2" ] && echo "$enroll2" || echo "$enroll")" \
      --room "$room" --config "$dir/classroomd.toml"
  ALSA_CONFIG_PATH="$audio/asound.conf" umockdev-run -d "Tests/Fixtures/umockdev/$tree.umockdev" -- \
    "$bin/classroomd" run --config "$dir/classroomd.toml" >"$dir/classroomd.log" 2>&1 &
  pids+=($!)
  echo "classroomd for room $room ($tree, microphone $mic): log $dir/classroomd.log," \
    "status page http://127.0.0.1:$status_port/"
done
sleep 3
echo
"$bin/classroomctl" devices list --collector "$url"

# The live spot-check (随机点课直播) on the simulated fleet: the demo lesson is called at its start;
# its room's agent chimes and streams (camera: ffmpeg's test pattern; microphone: its ALSA capture) to
# nginx, which asks the collector whether the single-use key may publish; at the lesson's end the agent
# stops and sends its signed evidence, and the collector classifies the order.
echo
echo "Spot-check: the demo lesson in $recording runs $demo_start-$demo_end (county time); waiting for it to start ..."
sleep $((demo_at - $(date +%s) + 1 > 0 ? demo_at - $(date +%s) + 1 : 0))
echo "classroomctl spotcheck now --school $school"
if order=$("$bin/classroomctl" spotcheck now --school "$school" --collector "$url" --json); then
  field() { grep -o "\"$1\" *: *\"[^\"]*\"" <<<"$order" | head -1 | sed 's/.*"\([^"]*\)"$/\1/'; }
  echo "Order $(field id): teacher $(field teacher_name), room $(field room_id), $(field start)-$(field end);" \
    "its agent streams to $ingest/<single-use key>."
  page=${status_pages[$(field room_id)]:-}
  echo
  echo "Watch it live in the console (the browser's own player, about 10 s behind the camera):"
  watch_url="$site/lessons/$(field id)"
  echo "  $watch_url   sign in as '$observer_user' (教研员), password '$observer_password'"
  echo
  sleep 15
  [ -z "$page" ] || echo "The room's agent (http://127.0.0.1:$page/status.json): $(curl -s "http://127.0.0.1:$page/status.json")"
  echo "Waiting for the lesson to end ..."
  sleep $((demo_until - $(date +%s) + 15 > 0 ? demo_until - $(date +%s) + 15 : 0))
  "$bin/classroomctl" spotcheck results --week "$(field week)" --collector "$url"
  echo "What nginx-rtmp did (log $media/error.log, recordings $media/record):"
  grep -E 'notify: publish|refused|error response' "$media/error.log" | sed -E 's/secret=[^ ,'"'"']*/secret=.../' | tail -3 || true
  # nginx reported each recorded FLV (on_record_done); the collector converted it into $state/recordings.
  for f in "$state"/recordings/*.mp4; do
    [ -s "$f" ] || continue
    echo "  recorded and converted: $(basename "$f") ($(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f") s;" \
      "$(ffprobe -v error -show_entries stream=codec_type -of csv=p=0 "$f" | sort | tr '\n' ' '))"
  done
  echo "  watch it in the console: $url/lessons/$(field id)/recording"
else
  echo "run.sh: no spot-check ordered (see the message above)" >&2
fi
# The self-test of the second recording classroom: queued by the collector for its window, streamed by
# its agent without chime or notice to nginx-rtmp's `selftest` application, proven by on_publish /
# on_publish_done like a spot-check, never listed as one.
if [ "${CLASSROOMFLEET_SELFTEST:-1}" != 0 ]; then
  echo
  echo "Self-test: $recording2 ($school2) publishes for 60 s at $(TZ=Asia/Shanghai date -d "@$selftest_at" +%H:%M) (county time); waiting for it ..."
  sleep $((selftest_at + 60 + 10 - $(date +%s) > 0 ? selftest_at + 60 + 10 - $(date +%s) : 0))
  grep -E '"self-test scheduled"|self-test scheduled' "$state/collector.log" | tail -1 || true
  echo "  the agent: $(grep -E 'self-test order' "$state/agents/$recording2/classroomd.log" | tail -1)"
  echo "  nginx-rtmp: $(grep -E 'notify: publish' "$media/error.log" | grep -c selftest) publish(es) to the selftest application"
fi
# Coverage on the verified basis: what the agents proved (inventories, usage, the streams above),
# beside what the schools declared; the same report as /api/v1/coverage. Printed whole: the county's
# indicators, the procurement list and the national school rule (the six indicators schools declare in
# schools.csv plus the verified multimedia classrooms).
echo
echo "Verified coverage from the collector (classroomctl coverage report --collector $url --profile luxi-2025 --format html):"
"$bin/classroomctl" coverage report --profile luxi-2025 --collector "$url" --format html \
  --out "$state/coverage-verified.html" && echo "  written to $state/coverage-verified.html"
"$bin/classroomctl" coverage report --profile luxi-2025 --collector "$url"
echo
echo "Collector: $url (OpenAPI at /api/v1/openapi.yaml, metrics at /metrics); log $state/collector.log"
echo "Media server: $ingest (nginx-rtmp, shipped config rendered into $media/rtmp.conf)"
echo "Web console (zh-CN; English with ?lang=en): $site/ (through nginx; also $url/ without live video)"
echo "  sign in as '$demo_user' (bureau admin), password '$demo_password', or as '$observer_user' (教研员), password '$observer_password'"
[ -z "${watch_url:-}" ] || echo "Watch page of the called lesson: $watch_url"
echo "Bureau admin token: $token"
echo "Try: CLASSROOM_TOKEN=$token $bin/classroomctl devices list --collector $url"
echo "Ctrl-C stops the collector and the agents."
wait
