# Builds the umockdev hotplug driver (libumockdev testbed API; Tests/Fixtures/umockdev/hotplug-driver.c).
# Sourced by scripts/test.sh; exports CLASSROOMFLEET_HOTPLUG_DRIVER for Tests/LinuxHardwareTests/Hotplug.
CLASSROOMFLEET_HOTPLUG_DRIVER=${CLASSROOMFLEET_HOTPLUG_DRIVER:-/tmp/classroomfleet-hotplug-driver}
bash Tests/Fixtures/umockdev/build-hotplug-driver.sh "$CLASSROOMFLEET_HOTPLUG_DRIVER"
export CLASSROOMFLEET_HOTPLUG_DRIVER
