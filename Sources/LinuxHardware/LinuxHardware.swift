import CALSA
import CUdev
import ClassroomCore
