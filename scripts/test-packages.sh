#!/usr/bin/env bash
# The Debian packages installed as a county IT office installs them, in a booted Debian 12 container
# (scripts/lib/container.sh; its root, with the packages' dependencies, made once by mmdebstrap and cached):
#   install      users made, units enabled, nothing started (the agent waits for its enrollment);
#   configure    the collector started, a registry imported, the agent enrolled, started, delivering;
#   upgrade      the next version over it: edited config, database and enrollment kept, both running;
#   apt          the next classroomd from a signed apt repository (Deploy/debian/publish-repo) with apt-get;
#   remove       binaries gone, config and state kept;
#   purge        config and state deleted;
#   restore      installed again, the database backed up before (classroom-collector backup) restored.
# The packages are made from BIN_DIR (default: the debug build) with Deploy/debian/build-packages
# --bin-dir, uncompressed; debug binaries use the Swift runtime of /opt/swift, lent read-only.
#   bash scripts/test-packages.sh [BIN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${CLASSROOMFLEET_BIN:-$(swift build --show-bin-path)}}
# shellcheck source=lib/container.sh
. scripts/lib/container.sh
container_root
debs=$(mktemp -d /var/tmp/classroomfleet-debs.XXXXXX)
trap 'rm -rf "$debs"' EXIT
for v in 1 2 3; do
  bash Deploy/debian/build-packages "$debs/$v" --version "0.1.0~test$v" --bin-dir "$bin" --compress none \
    --maintainer 'ClassroomFleet tests <packages@classroomfleet.example.org>' >/dev/null
done
# lintian: no error or warning. Suppressed, because these throw-away packages are made from the debug
# build and left uncompressed: the RUNPATH of the debug build's Swift runtime (/opt/swift; release
# builds link it statically) and the uncompressed tarballs. Deploy/debian/README.md explains the rest.
lintian --fail-on error,warning --suppress-tags \
  custom-library-search-path,uses-no-compression-for-control-tarball,uses-no-compression-for-data-tarball \
  "$debs"/1/*.deb || { echo "test-packages: FAILED: lintian" >&2; exit 1; }
# Bad options are refused before anything is built, naming the option.
for bad in "--version 1_0" "--version $(printf 'x%.0s' {1..60})" "--maintainer nobody" "--compress zstd" "--frobnicate"; do
  # shellcheck disable=SC2086
  if msg=$(bash Deploy/debian/build-packages "$debs/bad" $bad --bin-dir "$bin" 2>&1); then
    echo "test-packages: FAILED: build-packages accepted $bad" >&2; exit 1
  fi
  grep -q -- "${bad%% *}" <<<"$msg" || grep -q "not a Debian version" <<<"$msg" ||
    { echo "test-packages: FAILED: build-packages $bad said: $msg" >&2; exit 1; }
done
[ ! -e "$debs/bad" ] || [ -z "$(ls -A "$debs/bad")" ] || { echo "test-packages: FAILED: a refused build left files" >&2; exit 1; }
# The bureau's update channel: a signed flat repository with the third version of classroomd.
export GNUPGHOME="$debs/gnupg"
install -d -m 0700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'ClassroomFleet test archive <archive@classroomfleet.test>' ed25519 sign never
bash Deploy/debian/publish-repo "$debs/repo" --key archive@classroomfleet.test "$debs/3/classroomd_0.1.0~test3_amd64.deb" >/dev/null
# Debug binaries need the Swift runtime of /opt/swift; release-packages.sh checks its static binaries without it.
runtime=(--bind-ro=/opt/swift)
[ "${CLASSROOMFLEET_SWIFT_RUNTIME:-}" != none ] || runtime=()
container_boot "$container_tar" "${runtime[@]}" --bind-ro="$debs:/debs" --bind-ro="$PWD/Deploy/examples/county:/srv/county"
trap 'container_cleanup; rm -rf "$debs"' EXIT
step() { echo "test-packages: $*"; }
fail() {
  echo "test-packages: FAILED: $*" >&2
  inside journalctl --no-pager -u classroomd -u classroom-collector | tail -40 >&2 || true
  exit 1
}
exists() { inside test -e "$1"; }
active() { inside systemctl is-active --quiet "$1"; }

step "install 0.1.0~test1"
inside env DEBIAN_FRONTEND=noninteractive dpkg -i /debs/1/classroom-collector_0.1.0~test1_amd64.deb \
  /debs/1/classroomd_0.1.0~test1_amd64.deb >/dev/null || fail "dpkg -i"
for user in classroomd classroom-collector; do inside getent passwd "$user" >/dev/null || fail "no user $user"; done
inside id -nG classroomd | grep -qw audio || fail "classroomd is not in the audio group"
# The state folders exist at once (tmpfiles.d), owned by the services' users, closed to others.
[ "$(inside stat -c '%U %a' /var/lib/classroomd)" = "classroomd 700" ] || fail "/var/lib/classroomd is not classroomd's, 0700"
[ "$(inside stat -c '%U %a' /var/lib/classroom-collector)" = "classroom-collector 750" ] ||
  fail "/var/lib/classroom-collector is not classroom-collector's, 0750"
for unit in classroomd classroom-collector; do
  [ "$(inside systemctl is-enabled "$unit")" = enabled ] || fail "$unit is not enabled"
  ! active "$unit" || fail "$unit started before it was configured"
done
exists /usr/share/classroomfleet/console/templates/layout.mustache || fail "the console's templates are missing"
for page in classroomd classroom-collector classroomctl; do
  exists "/usr/share/man/man1/$page.1.gz" || fail "no manual page for $page"
  [ "$(inside "$page" --version)" = 0.1.0~test1 ] || fail "$page --version is not the package's version"
done

step "configure: collector, registry, enrollment"
db=sqlite:/var/lib/classroom-collector/collector.sqlite
collector_start || fail "the collector did not start with its registry"
agent_enroll S00001 S00001-R001 || fail "enroll"
inside systemctl start classroomd || fail "classroomd did not start"
# Online, with the agent version VERSION (the package's, stamped into the binary) in the collector's list.
online() {
  for _ in $(seq 1 60); do
    ctl devices list 2>/dev/null | grep -q "S00001-R001 .* online  $1\$" && return 0
    sleep 0.5
  done
  return 1
}
online 0.1.0~test1 || fail "the agent is not online (with version 0.1.0~test1)"
# The installed collector serves its OpenAPI document (read from /usr/share/classroomfleet/openapi).
inside bash -c 'exec 3<>/dev/tcp/127.0.0.1/8470; printf "GET /api/v1/openapi.yaml HTTP/1.0\r\n\r\n" >&3; cat <&3' |
  grep -q "^openapi: 3" || fail "the installed collector does not serve /api/v1/openapi.yaml"
device=$(inside cat /var/lib/classroomd/enrollment.json | sed -E 's/.*"device_id" *: *"([^"]+)".*/\1/')
[ -n "$device" ] || fail "no device id in the enrollment"
inside sh -c 'printf "\n# edited by the county IT office\n" >>/etc/classroomd/classroomd.toml'
inside runuser -u classroom-collector -- classroom-collector backup --db "$db" --to /var/tmp/collector-backup.sqlite >/dev/null ||
  fail "backup"

step "upgrade to 0.1.0~test2"
inside env DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold /debs/2/classroom-collector_0.1.0~test2_amd64.deb \
  /debs/2/classroomd_0.1.0~test2_amd64.deb >/dev/null || fail "upgrade"
[ "$(inside dpkg-query -W -f '${Version}' classroomd)" = 0.1.0~test2 ] || fail "classroomd was not upgraded"
inside grep -q "edited by the county IT office" /etc/classroomd/classroomd.toml || fail "the upgrade replaced the edited config"
inside grep -q "\"$device\"" /var/lib/classroomd/enrollment.json || fail "the upgrade lost the enrollment"
for unit in classroomd classroom-collector; do active "$unit" || fail "$unit is not running after the upgrade"; done
online 0.1.0~test2 || fail "the agent is not online with version 0.1.0~test2 after the upgrade"
ctl devices list | grep -q "$device" || fail "the collector lost the device"

step "apt-get upgrade from the signed repository"
inside install -m 0644 /debs/repo/classroomfleet-archive-keyring.gpg /usr/share/keyrings/
inside sh -c 'echo "deb [signed-by=/usr/share/keyrings/classroomfleet-archive-keyring.gpg] file:/debs/repo ./" \
  >/etc/apt/sources.list.d/classroomfleet.list'
# Only this source: the container has no network for the Debian mirror.
apt_only=(-o Dir::Etc::SourceList=/etc/apt/sources.list.d/classroomfleet.list -o Dir::Etc::SourceParts=-)
inside apt-get "${apt_only[@]}" -q update >/dev/null || fail "apt-get update (signature?)"
inside env DEBIAN_FRONTEND=noninteractive apt-get "${apt_only[@]}" -q -y -o Dpkg::Options::=--force-confold \
  install --only-upgrade classroomd >/dev/null || fail "apt-get upgrade"
[ "$(inside dpkg-query -W -f '${Version}' classroomd)" = 0.1.0~test3 ] || fail "apt did not upgrade classroomd"
inside grep -q "edited by the county IT office" /etc/classroomd/classroomd.toml || fail "apt replaced the edited config"
active classroomd || fail "classroomd is not running after apt's upgrade"
online 0.1.0~test3 || fail "the agent is not online with version 0.1.0~test3 after apt's upgrade"

step "remove"
inside env DEBIAN_FRONTEND=noninteractive dpkg -r classroomd classroom-collector >/dev/null || fail "dpkg -r"
! exists /usr/bin/classroomd || fail "classroomd is still installed"
for f in /etc/classroomd/classroomd.toml /var/lib/classroomd/enrollment.json /etc/classroomfleet/collector.env \
  /var/lib/classroom-collector/collector.sqlite; do
  exists "$f" || fail "remove deleted $f"
done

step "purge"
inside env DEBIAN_FRONTEND=noninteractive dpkg -P classroomd classroom-collector >/dev/null || fail "dpkg -P"
for f in /etc/classroomd /var/lib/classroomd /etc/classroomfleet /var/lib/classroom-collector; do
  ! exists "$f" || fail "purge left $f"
done
step "install again, restore the backup"
inside env DEBIAN_FRONTEND=noninteractive dpkg -i /debs/2/classroom-collector_0.1.0~test2_amd64.deb >/dev/null ||
  fail "dpkg -i after purge"
# The state folder is back (tmpfiles.d); the restore runs as the collector's user before it starts.
inside runuser -u classroom-collector -- classroom-collector restore --from /var/tmp/collector-backup.sqlite --db "$db" \
  >/dev/null || fail "restore"
inside systemctl start classroom-collector || fail "classroom-collector did not start on the restored database"
ctl devices list | grep -q "$device" || fail "the restored database lacks the device"
echo "test-packages: install, configure, upgrade with dpkg and with apt from the signed repository (config, database," \
  "enrollment kept), remove (kept), purge (deleted), backup restored: all as expected"
