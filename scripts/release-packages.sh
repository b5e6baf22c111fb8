#!/usr/bin/env bash
# The release packages, built, checked and measured (not in the test command: the release builds take
# about 20 minutes on 2 cores; the test command packages its debug build instead):
#   1. Deploy/debian/build-packages OUTDIR: release builds (the agent with scripts/build-agent-release.sh,
#      static Swift runtime), stripped, xz-compressed;
#   2. lintian on them, nothing suppressed (overrides in the packages, explained in Deploy/debian/README.md);
#   3. scripts/test-packages.sh on the same release binaries, in a container WITHOUT /opt/swift: install,
#      upgrade with dpkg and apt, remove, purge, restore;
#   4. a table of sizes: the .deb, its Installed-Size, each binary.
#   bash scripts/release-packages.sh [OUTDIR] [--maintainer 'NAME <EMAIL>']   (default OUTDIR: .build-packages)
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build-packages maintainer='ClassroomFleet release check <release@classroomfleet.example.org>'
while [ $# -gt 0 ]; do
  case "$1" in
    --maintainer) maintainer=${2:?--maintainer needs 'NAME <EMAIL>'}; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) out=$1; shift ;;
  esac
done
start=$(date +%s)
rm -rf "$out" && mkdir -p "$out"
bash Deploy/debian/build-packages "$out" --maintainer "$maintainer" >"$out/built.txt"
built=$(($(date +%s) - start))
lintian --fail-on error,warning "$out"/*.deb | tee "$out/lintian.txt"
# The release binaries (as packaged, before stripping) for the install test, without the Swift runtime of /opt/swift.
bins=$(mktemp -d)
trap 'rm -rf "$bins"' EXIT
ln -s "$(bash scripts/build-agent-release.sh)" "$bins/classroomd"
release=$(swift build -c release --show-bin-path)
ln -s "$release/classroom-collector" "$bins/classroom-collector"
ln -s "$release/classroomctl" "$bins/classroomctl"
for b in "$bins"/*; do
  ! readelf -d "$b" | grep -q 'RUNPATH.*/opt/swift' || { echo "release-packages: $b still needs /opt/swift" >&2; exit 1; }
done
CLASSROOMFLEET_SWIFT_RUNTIME=none bash scripts/test-packages.sh "$bins"
{
  echo "Release packages of $(git rev-parse --short=12 HEAD), built in ${built} s on $(nproc) cores ($(uname -m)):"
  printf '%-48s %10s %14s\n' package ".deb bytes" "installed KiB"
  for deb in "$out"/*.deb; do
    printf '%-48s %10s %14s\n' "$(basename "$deb")" "$(stat -c %s "$deb")" "$(dpkg-deb -f "$deb" Installed-Size)"
  done
  printf '%-48s %10s\n' binary "bytes"
  for deb in "$out"/*.deb; do
    dpkg-deb --fsys-tarfile "$deb" | tar -tv --wildcards './usr/bin/*' | awk '{ printf "%-48s %10s\n", $6, $3 }'
  done
} | tee "$out/sizes.txt"
