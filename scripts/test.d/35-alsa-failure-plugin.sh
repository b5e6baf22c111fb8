# Builds the cftest ALSA I/O plugin (Tests/Fixtures/alsa/cftest-plugin.c) and its ALSA configuration
# (PCMs `busy`, `vanish`, `vanish_at_once`). Sourced by scripts/test.sh; exports
# CLASSROOMFLEET_ALSA_FAILURE_PLUGIN_DIR (holds asound.conf) for Tests/LinuxHardwareTests/Audio.
CLASSROOMFLEET_ALSA_FAILURE_PLUGIN_DIR=${CLASSROOMFLEET_ALSA_FAILURE_PLUGIN_DIR:-/tmp/classroomfleet-alsa-failure-plugin}
bash Tests/Fixtures/alsa/build-cftest-plugin.sh "$CLASSROOMFLEET_ALSA_FAILURE_PLUGIN_DIR"
export CLASSROOMFLEET_ALSA_FAILURE_PLUGIN_DIR
