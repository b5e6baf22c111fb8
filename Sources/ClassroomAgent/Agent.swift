import CCurl
import CSQLite
import ClassroomWire
import LinuxHardware
