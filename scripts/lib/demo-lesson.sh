# One short demo lesson added to a copy of a county registry, so that a spot-check can be called at
# any hour (sourced, not run; used by scripts/run.sh and scripts/prove-units.sh).
#   demo_lesson SRC DST SCHOOL ROOM FROM UNTIL
# copies the registry SRC to DST and adds teacher SCHOOL-TDEMO (演示教师) teaching 语文 in ROOM from
# FROM to UNTIL (Unix seconds, on one county day, Asia/Shanghai; minutes are what the timetable holds).
# The school's other lessons that overlap it are left out, so that it is the one lesson running there.
# When the registry has a term calendar (calendar.csv: weekends, holidays, breaks), the demo's date
# becomes a make-up school day (workday) that follows its own weekday's timetable, so the demo runs on
# any day.
demo_lesson() {
  local src=$1 dst=$2 school=$3 room=$4 from=$5 until=$6
  local weekday start end extra
  weekday=$(TZ=Asia/Shanghai date -d "@$from" +%u)
  start=$(TZ=Asia/Shanghai date -d "@$from" +%H:%M)
  end=$(TZ=Asia/Shanghai date -d "@$until" +%H:%M)
  if [ "$(TZ=Asia/Shanghai date -d "@$from" +%F)" != "$(TZ=Asia/Shanghai date -d "@$until" +%F)" ]; then
    echo "demo_lesson: $start-$end crosses midnight in the county" >&2
    return 1
  fi
  rm -rf "$dst" && mkdir -p "$dst" && cp -r "$src"/. "$dst"/
  awk -F, -v school="$school" -v day="$weekday" -v s="$start" -v e="$end" '
    function minutes(t,  p) { split(t, p, ":"); return p[1] * 60 + p[2] }
    NR == 1 || !($1 == school && $4 == day && minutes($5) < minutes(e) && minutes($6) > minutes(s))' \
    "$src/timetable.csv" >"$dst/timetable.csv"
  # Empty optional columns (such as `position`) after the four required ones of teachers.csv.
  extra=$(head -1 "$dst/teachers.csv" | tr -cd , | cut -c4-)
  printf '%s,%s,演示教师,语文%s\n' "$school-TDEMO" "$school" "$extra" >>"$dst/teachers.csv"
  printf '%s,%s,%s,%s,%s,%s,语文\n' "$school" "$room" "$school-TDEMO" "$weekday" "$start" "$end" >>"$dst/timetable.csv"
  if [ -f "$src/calendar.csv" ]; then
    local date
    date=$(TZ=Asia/Shanghai date -d "@$from" +%F)
    grep -v "^$date," "$src/calendar.csv" >"$dst/calendar.csv"
    printf '%s,workday,演示课,%s\n' "$date" "$weekday" >>"$dst/calendar.csv"
  fi
}
