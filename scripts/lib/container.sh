# Booted Debian 12 systemd containers for the unit and package tests (sourced, not run).
#   $container_tar                 the root both tests share: minbase + systemd + $container_packages
#                                  (what the packages depend on or recommend, and umockdev for
#                                  simulated hardware); its name changes with the list
#   container_root [TAR PACKAGES…] makes TAR once with mmdebstrap (minbase + systemd + PACKAGES), cached;
#                                  older roots in the cache are deleted (default: $container_tar)
#   container_boot TAR [NSPAWN-OPTION…]  extracts TAR into a fresh root, boots it (systemd-nspawn -b,
#                                  private network) and waits for it; sets $root, $init
#   inside COMMAND…                runs COMMAND in the container (nsenter)
#   collector_start                starts classroom-collector (SQLite), makes a bureau-admin token and
#                                  imports the registry in /srv/county; then `ctl` runs classroomctl against it
#   agent_enroll SCHOOL ROOM       enrolls classroomd (as its user) into ROOM with a new enrollment token
# The container is halted and its root removed on exit.
container_cache=/var/cache/classroomfleet
container_packages="libudev1 libasound2 libcurl4 libsqlite3-0 ffmpeg acl nginx libnginx-mod-rtmp umockdev"
container_tar=$container_cache/bookworm-$(sha1sum <<<"$container_packages" | cut -c1-8).tar
root="" init="" nspawn=""

container_root() {
  if [ $# -eq 0 ]; then
    # shellcheck disable=SC2086
    set -- "$container_tar" $container_packages
  fi
  local tar=$1; shift
  for tool in systemd-nspawn mmdebstrap nsenter; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install systemd-container mmdebstrap)" >&2; return 1; }
  done
  [ ! -s "$tar" ] || return 0
  mkdir -p "$(dirname "$tar")"
  local include=systemd,systemd-sysv,dbus,ca-certificates
  for p in "$@"; do include+=",$p"; done
  mmdebstrap --format=tar --variant=minbase --include="$include" bookworm "$tar.tmp" http://deb.debian.org/debian
  mv "$tar.tmp" "$tar"
  find "$container_cache" -maxdepth 1 -name 'bookworm-*.tar' ! -name "$(basename "$tar")" -delete
}

container_cleanup() {
  if [ -n "$nspawn" ] && kill -0 "$nspawn" 2>/dev/null; then
    kill "$nspawn" 2>/dev/null || true   # SIGTERM: nspawn halts the container
    for _ in $(seq 1 50); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$nspawn" 2>/dev/null || true
  fi
  [ -z "$root" ] || rm -rf "$root"
}

container_boot() {
  local tar=$1; shift
  root=$(mktemp -d /var/tmp/classroomfleet-container.XXXXXX)
  trap container_cleanup EXIT
  tar -xf "$tar" -C "$root"
  echo classroomfleet-test >"$root/etc/hostname"
  systemd-nspawn --register=no --keep-unit --private-network -D "$root" -M "cftest$$" -b --console=passive "$@" \
    </dev/null >"$root.log" 2>&1 &
  nspawn=$!
  for _ in $(seq 1 100); do
    init=$(pgrep -P "$nspawn" | head -1 || true)
    [ -n "$init" ] && nsenter -t "$init" -a systemctl is-system-running --wait >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the container did not boot; see $root.log" >&2
  return 1
}

inside() { nsenter -t "$init" -a "$@"; }

token=""
ctl() { inside env CLASSROOM_TOKEN="$token" classroomctl "$@" --collector http://127.0.0.1:8470; }

collector_start() {
  inside systemctl start classroom-collector || { echo "classroom-collector did not start" >&2; return 1; }
  token=$(inside runuser -u classroom-collector -- classroom-collector token create \
    --db sqlite:/var/lib/classroom-collector/collector.sqlite --role bureau_admin --name container --json |
    sed -E 's/.*"token":"([^"]+)".*/\1/')
  ctl registry import /srv/county >/dev/null || { echo "the registry import failed" >&2; return 1; }
}

agent_enroll() {
  local enroll
  enroll=$(ctl enroll-token create --school "$1" | grep -o 'cfe_[A-Za-z0-9_-]*' | head -1)
  [ -n "$enroll" ] || { echo "no enrollment token" >&2; return 1; }
  inside runuser -u classroomd -- classroomd enroll --collector http://127.0.0.1:8470 --token "$enroll" --room "$2" >/dev/null
}
