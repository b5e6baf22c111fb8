#!/usr/bin/env bash
# Compiles hotplug-driver.c into OUT (idempotent: skipped when OUT is newer than the source).
#   build-hotplug-driver.sh OUT
set -euo pipefail
out=${1:?usage: build-hotplug-driver.sh OUT}
src="$(cd "$(dirname "$0")" && pwd)/hotplug-driver.c"
[ -x "$out" ] && [ "$out" -nt "$src" ] && exit 0
compiler=${CC:-}
if [ -z "$compiler" ]; then
  for c in cc gcc clang; do command -v "$c" >/dev/null && { compiler=$c; break; }; done
fi
# shellcheck disable=SC2046
"$compiler" -O1 -Wall -o "$out.tmp" "$src" $(pkg-config --cflags --libs umockdev-1.0)
mv "$out.tmp" "$out"
