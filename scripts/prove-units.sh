#!/usr/bin/env bash
# Runs the real binaries under the shipped, hardened units in a booted Debian 12 systemd container
# (systemd-nspawn -b, private network), so the sandbox is enforced by systemd itself: the collector
# starts on SQLite, a registry is imported, an enrollment token is made, classroomd enrolls, starts
# (READY=1) and reports as online; the sandbox is in force on the running processes (no capabilities,
# no_new_privs, seccomp filter). Then a spot-check under both units: nginx with the shipped RTMP
# configuration in the container, a lesson in progress in the recording classroom, `classroomctl
# spotcheck now`; the agent chimes (ALSA) and its ffmpeg streams (camera: ffmpeg's test pattern;
# microphone: ALSA capture) until nginx, authorised by the collector, writes the lesson's HLS; the agent
# is stopped mid-stream (no ffmpeg left, result "success"), and the collector converts nginx's
# recording to MP4 under its own unit. Both stop with result "success".
# Simulated hardware is the one addition to the shipped unit (a drop-in): a umockdev device tree of a
# recording classroom (LD_PRELOAD, UMOCKDEV_DIR) and an ALSA configuration whose `type file` PCMs play
# the test speech and take the chime (ALSA_CONFIG_PATH). Not covered: the udev rule (no udevd here).
#   bash scripts/prove-units.sh [BIN_DIR]     (default: $CLASSROOMFLEET_BIN or `swift build --show-bin-path`)
# The Debian root is made once with mmdebstrap and cached in /var/cache/classroomfleet (scripts/lib/container.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${CLASSROOMFLEET_BIN:-$(swift build --show-bin-path)}}
# shellcheck source=lib/container.sh
. scripts/lib/container.sh
container_root
container_boot "$container_tar" --bind-ro=/opt/swift
install -m 0755 "$bin/classroomd" "$bin/classroom-collector" "$bin/classroomctl" "$root/usr/bin/"
install -m 0644 Systemd/classroomd.service Systemd/classroom-collector.service "$root/etc/systemd/system/"
install -m 0644 Systemd/classroomd.sysusers.conf "$root/usr/lib/sysusers.d/classroomd.conf"
install -m 0644 Systemd/sysusers.d/classroom-collector.conf "$root/usr/lib/sysusers.d/classroom-collector.conf"
install -m 0644 Systemd/tmpfiles.d/classroomd.conf Systemd/tmpfiles.d/classroom-collector.conf "$root/usr/lib/tmpfiles.d/"
install -d "$root/etc/classroomd" "$root/srv/county"
# The shipped example config, without the first-connect jitter (up to 30 s) so the proof does not wait.
sed 's/^first_connect_jitter_seconds = .*/first_connect_jitter_seconds = 0/' Deploy/examples/classroomd.toml \
  >"$root/etc/classroomd/classroomd.toml"
# The recording classroom of the first school has a lesson in progress, until a few minutes from now.
school=S00001 room=S00001-R013
now=$(date +%s)
from=$((now / 60 * 60)) until=$((now / 60 * 60 + 300))
if [ "$(TZ=Asia/Shanghai date -d "@$from" +%F)" != "$(TZ=Asia/Shanghai date -d "@$until" +%F)" ]; then
  sleep $((until / 86400 * 86400 + 16 * 3600 - now + 1 > 0 ? until / 86400 * 86400 + 16 * 3600 - now + 1 : 0))  # county midnight
  now=$(date +%s) from=$((now / 60 * 60)) until=$((now / 60 * 60 + 300))
fi
# shellcheck source=lib/demo-lesson.sh
. scripts/lib/demo-lesson.sh
demo_lesson Deploy/examples/county "$root/srv/county" "$school" "$room" "$from" "$until"
# Simulated hardware: the device tree, the audio (made on the host, where espeak-ng and sox are).
audio=${CLASSROOMFLEET_AUDIO_FIXTURES:-$root/var/cache/classroomfleet-audio}
bash Tests/Fixtures/audio/make-audio-fixtures.sh "$audio"
install -d "$root/srv/audio" "$root/srv/umockdev" "$root/etc/systemd/system/classroomd.service.d"
cp "$audio"/*.raw "$root/srv/audio/"
sed "s#$audio/#/srv/audio/#g" "$audio/asound.conf" >"$root/srv/audio/asound.conf"
cp Tests/Fixtures/umockdev/recording-classroom.umockdev "$root/srv/umockdev/"
# The simulated recording classroom: its microphone and chime PCMs, ffmpeg's test pattern as the camera.
sed -i -e 's/^chime_device = .*/chime_device = "chime_out"/' -e 's/^stream_video_size = .*/stream_video_size = "640x360"/' \
  "$root/etc/classroomd/classroomd.toml"
cat >>"$root/etc/classroomd/classroomd.toml" <<'TOML'
microphone = "speech_zh"
camera = "-re -f lavfi -i testsrc2=size=640x360:rate=25"
TOML
cat >"$root/etc/systemd/system/classroomd.service.d/simulated-hardware.conf" <<'UNIT'
# prove-units: the recording classroom's hardware, simulated under the real libudev and ALSA.
[Service]
Environment=ALSA_CONFIG_PATH=/srv/audio/asound.conf
# UMOCKDEV_DIR and LD_PRELOAD of the testbed that umockdev-testbed.service holds.
EnvironmentFile=/run/umockdev-testbed/env
# The chime PCM writes what it plays to /srv/audio/chime-out.raw.
ReadWritePaths=/srv/audio
UNIT
# The media server as the operator's guide sets it up: nginx, the shipped RTMP configuration.
secret=$root.secret
(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$secret")
install -d -m 0750 "$root/etc/classroomfleet"
install -m 0640 "$secret" "$root/etc/classroomfleet/media-secret"
bash Deploy/media/render-nginx-rtmp.sh --secret-file "$secret" | install -m 0600 /dev/stdin "$root/etc/nginx/classroomfleet-rtmp.conf"
rm -f "$secret"
sed -i '\#include /etc/nginx/modules-enabled/\*.conf;#a include /etc/nginx/classroomfleet-rtmp.conf;' "$root/etc/nginx/nginx.conf"
cat >"$root/etc/classroomfleet/collector.env" <<'ENV'
CLASSROOM_COLLECTOR_ARGS=--db sqlite:/var/lib/classroom-collector/collector.sqlite --media-secret-file /etc/classroomfleet/media-secret --spotcheck-ingest rtmp://127.0.0.1/live --trusted-proxy 127.0.0.1 --recording-ingest-dir /var/lib/classroomfleet/media --recordings-dir /var/lib/classroom-collector/recordings
ENV
fail() { echo "prove-units: $*" >&2; inside journalctl --no-pager -u classroomd -u classroom-collector | tail -40 >&2; exit 1; }

inside systemd-sysusers
inside systemd-tmpfiles --create classroomd.conf classroom-collector.conf
inside chgrp classroom-collector /etc/classroomfleet /etc/classroomfleet/media-secret
inside install -d -o www-data -g classroom-collector -m 2770 /var/lib/classroomfleet/media /var/lib/classroomfleet/hls
inside chown classroomd /srv/audio
inside systemctl restart nginx || fail "nginx did not start with the shipped RTMP configuration"
inside systemctl daemon-reload
collector_start || fail "the collector did not start with its registry"
agent_enroll "$school" "$room" || fail "enroll failed"
# The testbed: umockdev-run holds the recording classroom's device tree while it runs.
inside systemd-run --quiet --unit=umockdev-testbed -p User=classroomd -p RuntimeDirectory=umockdev-testbed \
  --setenv=TMPDIR=/run/umockdev-testbed umockdev-run -d /srv/umockdev/recording-classroom.umockdev -- \
  sh -c 'printf "UMOCKDEV_DIR=%s\nLD_PRELOAD=%s\n" "$UMOCKDEV_DIR" "$LD_PRELOAD" >/run/umockdev-testbed/env.new &&
    mv /run/umockdev-testbed/env.new /run/umockdev-testbed/env && exec sleep infinity'
for _ in $(seq 1 50); do inside test -s /run/umockdev-testbed/env && break; sleep 0.1; done
inside test -s /run/umockdev-testbed/env || fail "the umockdev testbed did not start"
inside systemctl start classroomd || fail "classroomd did not start (READY=1 under the sandbox)"
# Delivered: the agent's first events left its outbox over the network (StatusText "queue 0 …").
delivered=""
for _ in $(seq 1 60); do
  inside systemctl show -p StatusText --value classroomd | grep -q '^queue 0 ' && { delivered=yes; break; }
  sleep 0.5
done
[ -n "$delivered" ] || fail "the agent did not deliver its events ($(inside systemctl show -p StatusText --value classroomd))"
ctl devices list | grep -q "$room.*online" || fail "the agent is not listed as online"
for unit in classroomd classroom-collector; do
  pid=$(inside systemctl show -p MainPID --value "$unit")
  status=$(inside cat "/proc/$pid/status")
  grep -qE '^CapEff:\s+0+$' <<<"$status" || fail "$unit has capabilities"
  grep -qE '^NoNewPrivs:\s+1$' <<<"$status" || fail "$unit lacks no_new_privs"
  grep -qE '^Seccomp:\s+2$' <<<"$status" || fail "$unit has no seccomp filter"
done

# The spot-check: called now, the agent chimes and streams until nginx writes the lesson's HLS.
order=$(ctl spotcheck now --school "$school" --json) || fail "spotcheck now refused the lesson in progress"
id=$(sed -nE 's/.*"id" *: *"([^"]+)".*/\1/p' <<<"$order" | head -1)
[ -n "$id" ] || fail "no order id in: $order"
hls=/var/lib/classroomfleet/hls/lesson-$id/index.m3u8
streamed=""
for _ in $(seq 1 120); do
  inside test -s "$hls" && { streamed=yes; break; }
  sleep 0.5
done
[ -n "$streamed" ] || fail "no HLS for order $id within 60 s ($(inside journalctl --no-pager -u nginx -u classroomd | tail -5))"
inside test -s /srv/audio/chime-out.raw || fail "the chime was not played"
# The stream's ffmpeg runs in the agent's unit (its cgroup), under the same sandbox.
agent_ffmpeg() {
  inside sh -c 'for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = ffmpeg ] && grep -q "/classroomd.service$" "$p/cgroup" 2>/dev/null && echo "${p#/proc/}"
  done; true'
}
ffmpeg_pid=$(agent_ffmpeg | head -1)
[ -n "$ffmpeg_pid" ] || fail "the stream's ffmpeg is not in classroomd's cgroup"
grep -qE '^Seccomp:\s+2$' <(inside cat "/proc/$ffmpeg_pid/status") || fail "the stream's ffmpeg has no seccomp filter"
inside systemctl stop classroomd
[ "$(inside systemctl show -p Result --value classroomd)" = success ] || fail "classroomd did not stop cleanly mid-stream"
[ -z "$(agent_ffmpeg)" ] || fail "an ffmpeg of the agent outlived it"
# nginx reports the recording when the stream ends; the collector converts it under its unit.
converted=""
for _ in $(seq 1 60); do
  inside sh -c 'ls /var/lib/classroom-collector/recordings/*.mp4' >/dev/null 2>&1 && { converted=yes; break; }
  sleep 0.5
done
[ -n "$converted" ] || fail "the collector did not convert the recording"
inside sh -c '! ls /var/lib/classroomfleet/media/*.flv' >/dev/null 2>&1 || fail "the converted FLV was not removed"
inside systemctl stop classroom-collector
for unit in classroomd classroom-collector; do
  [ "$(inside systemctl show -p Result --value "$unit")" = success ] || fail "$unit did not stop cleanly"
done
echo "prove-units: both units ran hardened: collector up, agent enrolled, delivered its events, online; a spot-check" \
  "chimed and streamed through nginx (HLS of order $id), the agent stopped mid-stream cleanly, the recording" \
  "converted; both stopped cleanly"
