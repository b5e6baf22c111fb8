#!/usr/bin/env bash
# Compiles cftest-plugin.c into DIR/libasound_module_pcm_cftest.so and writes DIR/asound.conf, an ALSA
# configuration whose PCMs `busy` and `vanish` use it (idempotent: skipped when both are up to date).
#   build-cftest-plugin.sh DIR
set -euo pipefail
dir=${1:?usage: build-cftest-plugin.sh DIR}
src="$(cd "$(dirname "$0")" && pwd)/cftest-plugin.c"
lib="$dir/libasound_module_pcm_cftest.so"
mkdir -p "$dir"
if ! { [ -f "$lib" ] && [ "$lib" -nt "$src" ] && [ "$dir/asound.conf" -nt "$src" ]; }; then
  compiler=${CC:-}
  if [ -z "$compiler" ]; then
    for c in cc gcc clang; do command -v "$c" >/dev/null && { compiler=$c; break; }; done
  fi
  # shellcheck disable=SC2046
  "$compiler" -O1 -Wall -Werror -shared -fPIC -DPIC -o "$lib.tmp" "$src" $(pkg-config --cflags --libs alsa) -lm
  mv "$lib.tmp" "$lib"
  cat >"$dir/asound.conf.tmp" <<CONF
# Failing capture devices for Tests/LinuxHardwareTests/Audio/AudioFailureTests.swift.
pcm_type.cftest { lib "$lib" }
# Another program holds the microphone: open fails with EBUSY.
pcm.busy { type cftest mode "busy" }
# A USB microphone unplugged after 1 s (16000 frames at 16 kHz): then ENODEV.
pcm.vanish { type cftest mode "vanish" frames 16000 }
# Unplugged before the first frame.
pcm.vanish_at_once { type cftest mode "vanish" frames 0 }
CONF
  mv "$dir/asound.conf.tmp" "$dir/asound.conf"
fi
