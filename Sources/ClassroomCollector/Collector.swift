import ClassroomWire
import GRDB
import Hummingbird
import PostgresNIO
