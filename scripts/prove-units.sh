#!/usr/bin/env bash
# Runs the real binaries under the shipped, hardened units in a booted Debian 12 systemd container
# (systemd-nspawn -b, private network), so the sandbox is enforced by systemd itself: the collector
# starts on SQLite, a registry is imported, an enrollment token is made, classroomd enrolls, starts
# (READY=1), reports as online, and both stop with result "success". It also checks that the
# sandbox is in force on the running processes (no capabilities, no_new_privs, seccomp filter).
# Not covered here: a spot-check stream (no camera/ALSA devices in the container) and the udev rule.
#   bash scripts/prove-units.sh [BIN_DIR]     (default: $CLASSROOMFLEET_BIN or `swift build --show-bin-path`)
# The Debian root is made once with mmdebstrap and cached in /var/cache/classroomfleet (scripts/lib/container.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${CLASSROOMFLEET_BIN:-$(swift build --show-bin-path)}}
# shellcheck source=lib/container.sh
. scripts/lib/container.sh
# The same root as scripts/test-packages.sh (the packages' dependencies included), made once.
tar=$container_cache/bookworm-packages.tar
container_root "$tar" libudev1 libasound2 libcurl4 libsqlite3-0 ffmpeg acl
container_boot "$tar" --bind-ro=/opt/swift
install -m 0755 "$bin/classroomd" "$bin/classroom-collector" "$bin/classroomctl" "$root/usr/bin/"
install -m 0644 Systemd/classroomd.service Systemd/classroom-collector.service "$root/etc/systemd/system/"
install -m 0644 Systemd/classroomd.sysusers.conf "$root/usr/lib/sysusers.d/classroomd.conf"
install -m 0644 Systemd/sysusers.d/classroom-collector.conf "$root/usr/lib/sysusers.d/classroom-collector.conf"
install -d "$root/etc/classroomd" "$root/srv/county"
# The shipped example config, without the first-connect jitter (up to 30 s) so the proof does not wait.
sed 's/^first_connect_jitter_seconds = .*/first_connect_jitter_seconds = 0/' Deploy/examples/classroomd.toml \
  >"$root/etc/classroomd/classroomd.toml"
cp Deploy/examples/county/*.csv "$root/srv/county/"
fail() { echo "prove-units: $*" >&2; inside journalctl --no-pager -u classroomd -u classroom-collector | tail -40 >&2; exit 1; }

inside systemd-sysusers
inside systemctl daemon-reload
inside systemctl start classroom-collector || fail "classroom-collector did not start"
db=sqlite:/var/lib/classroom-collector/collector.sqlite
token=$(inside runuser -u classroom-collector -- classroom-collector token create --db "$db" --role bureau_admin --name prove --json |
  sed -E 's/.*"token":"([^"]+)".*/\1/')
ctl() { inside env CLASSROOM_TOKEN="$token" classroomctl "$@" --collector http://127.0.0.1:8470; }
ctl registry import /srv/county >/dev/null || fail "registry import failed"
enroll=$(ctl enroll-token create --school S00001 | grep -o 'cfe_[A-Za-z0-9_-]*' | head -1)
[ -n "$enroll" ] || fail "no enrollment token"
# The state directory as the unit makes it (StateDirectory=classroomd, 0700), then enroll as the agent.
inside install -d -o classroomd -g classroomd -m 0700 /var/lib/classroomd
inside runuser -u classroomd -- classroomd enroll --collector http://127.0.0.1:8470 --token "$enroll" --room S00001-R001 ||
  fail "enroll failed"
inside systemctl start classroomd || fail "classroomd did not start (READY=1 under the sandbox)"
# Delivered: the agent's first events left its outbox over the network (StatusText "queue 0 …").
delivered=""
for _ in $(seq 1 60); do
  inside systemctl show -p StatusText --value classroomd | grep -q '^queue 0 ' && { delivered=yes; break; }
  sleep 0.5
done
[ -n "$delivered" ] || fail "the agent did not deliver its events ($(inside systemctl show -p StatusText --value classroomd))"
ctl devices list | grep -q 'S00001-R001.*online' || fail "the agent is not listed as online"
for unit in classroomd classroom-collector; do
  pid=$(inside systemctl show -p MainPID --value "$unit")
  status=$(inside cat "/proc/$pid/status")
  grep -qE '^CapEff:\s+0+$' <<<"$status" || fail "$unit has capabilities"
  grep -qE '^NoNewPrivs:\s+1$' <<<"$status" || fail "$unit lacks no_new_privs"
  grep -qE '^Seccomp:\s+2$' <<<"$status" || fail "$unit has no seccomp filter"
done
inside systemctl stop classroomd classroom-collector
for unit in classroomd classroom-collector; do
  [ "$(inside systemctl show -p Result --value "$unit")" = success ] || fail "$unit did not stop cleanly"
done
echo "prove-units: both units ran hardened: collector up, agent enrolled, delivered its events, online, stopped cleanly"
