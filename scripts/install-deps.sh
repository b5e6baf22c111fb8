#!/usr/bin/env bash
# Installs the Debian packages ClassroomFleet needs, idempotently.
#   scripts/install-deps.sh build   — what `swift build` needs (C headers of the system-library targets)
#   scripts/install-deps.sh run     — build + what the demo runs (umockdev, ALSA tools, sox, espeak-ng, nginx-rtmp, ffmpeg …)
#   scripts/install-deps.sh test    — run + what the test suite drives (PostgreSQL, nginx-rtmp, ffmpeg, Chromium …)
set -euo pipefail
level=${1:-test}

build=(pkg-config libudev-dev libasound2-dev libcurl4-openssl-dev libsqlite3-dev zlib1g-dev tzdata ca-certificates)
run=(umockdev libumockdev-dev alsa-utils sox espeak-ng curl nginx libnginx-mod-rtmp ffmpeg)
test=(postgresql chromium fonts-noto-cjk systemd python3-venv sqlite3 prometheus-node-exporter systemd-container mmdebstrap apt-utils gnupg lintian openssl gdb)

want=("${build[@]}")
[ "$level" = run ] || [ "$level" = test ] && want+=("${run[@]}")
[ "$level" = test ] && want+=("${test[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
fi
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
