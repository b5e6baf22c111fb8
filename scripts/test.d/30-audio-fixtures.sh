# Speech-activity test audio (espeak-ng, sox) and the ALSA `type file` PCMs that feed it to capture.
# Sourced by scripts/test.sh; exports CLASSROOMFLEET_AUDIO_FIXTURES for Tests/LinuxHardwareTests/Audio.
CLASSROOMFLEET_AUDIO_FIXTURES=${CLASSROOMFLEET_AUDIO_FIXTURES:-/tmp/classroomfleet-audio-fixtures}
bash Tests/Fixtures/audio/make-audio-fixtures.sh "$CLASSROOMFLEET_AUDIO_FIXTURES"
export CLASSROOMFLEET_AUDIO_FIXTURES
