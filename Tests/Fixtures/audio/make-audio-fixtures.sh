#!/usr/bin/env bash
# Makes the speech-activity test audio and an ALSA configuration that captures from it.
#   make-audio-fixtures.sh DIR
# DIR/*.raw are 16 kHz mono S16_LE; DIR/asound.conf defines one `type file` PCM per fixture
# (pcm.speech_en, pcm.noise_pink, …) whose `infile` feeds that raw file to ALSA capture, and
# pcm.chime_out, a playback PCM that writes what it plays to DIR/chime-out.raw.
# Idempotent: an existing, complete DIR is kept.
set -euo pipefail
dir=${1:?usage: make-audio-fixtures.sh DIR}
version=4
if [ -f "$dir/.complete" ] && [ "$(cat "$dir/.complete")" = "$version" ]; then exit 0; fi
mkdir -p "$dir"
cd "$dir"
raw=(-r 16000 -c 1 -b 16 -e signed-integer -t raw)

espeak-ng -v en -s 150 -w speech-en.wav \
  "Good morning, class. Today we will learn about the water cycle. Please open your books to page twelve, \
and read the first paragraph quietly. When you have finished, look at the picture and tell your partner \
what happens to the rain after it falls on the mountains."
espeak-ng -v cmn -s 150 -w speech-zh.wav \
  "同学们好。今天我们学习水的循环。请大家打开课本第十二页，先默读第一段。读完以后，看一看图片，和同桌说一说，雨水落到山上以后会去哪里。"
sox -R -V1 speech-en.wav "${raw[@]}" speech-en.raw
sox -R -V1 speech-zh.wav "${raw[@]}" speech-zh.raw
# Near-silence: a quiet room through a decent microphone, about -70 dBFS.
sox -R -V1 -n "${raw[@]}" near-silence.raw synth 10 whitenoise vol 0.0003
# Steady fan / projector noise at a classroom level (about -30 dBFS).
sox -R -V1 -n "${raw[@]}" noise-pink.raw synth 10 pinknoise vol 0.08
sox -R -V1 -n "${raw[@]}" noise-brown.raw synth 10 brownnoise vol 0.1
# A constant 1 kHz tone (a test signal, a whining projector).
sox -R -V1 -n "${raw[@]}" tone-1khz.raw synth 10 sine 1000 vol 0.3
# The English lesson over the fan noise, about 15 dB speech-to-noise.
sox -R -V1 -n "${raw[@]}" fan-for-mix.raw synth 16 brownnoise vol 0.06
sox -R -V1 -m -t raw -r 16000 -c 1 -b 16 -e signed-integer speech-en.raw -t raw -r 16000 -c 1 -b 16 -e signed-integer \
  fan-for-mix.raw "${raw[@]}" speech-over-fan.raw trim 0 14
# An overdriven microphone: the same speech 24 dB too loud, clipped.
sox -R -V1 -t raw -r 16000 -c 1 -b 16 -e signed-integer speech-en.raw "${raw[@]}" speech-clipped.raw gain 24 2>/dev/null
rm -f fan-for-mix.raw

{
  for f in speech-en speech-zh near-silence noise-pink noise-brown tone-1khz speech-over-fan speech-clipped; do
    cat <<CONF
pcm.${f//-/_} {
  type file
  slave.pcm { type null }
  file "/dev/null"
  infile "$dir/$f.raw"
  format "raw"
}
CONF
  done
  cat <<CONF
pcm.chime_out {
  type file
  slave.pcm { type null }
  file "$dir/chime-out.raw"
  format "raw"
}
CONF
} >asound.conf
echo "$version" >.complete
