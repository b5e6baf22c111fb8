import ClassroomWire
import FoundationEssentials
import Logging

/// The visible side of a spot-check: the chime and the notify command (the status file is
/// ``SpotCheckStatusFile``).
struct SpotCheckNotice {
    let configuration: SpotCheckConfiguration
    let logger: Logger
    let chime: (any ChimePlayer)?

    var statusPath: String { "\(configuration.stateDirectory)/spotcheck-status.json" }

    /// The Chinese notice shown to the class: a patrol (巡课) says so, so the teacher always knows who looks in.
    static func text(_ order: SpotCheckOrderPayload) -> String {
        if order.isPatrol {
            return "巡课：本节课正在被远程巡课观看（\(order.teacherName) 老师，\(order.subject)）。观看结束或下课时自动停止。"
        }
        return "本节课已被抽中直播：\(order.teacherName) 老师，\(order.subject)。直播将在下课时自动结束。"
    }

    /// The notice's title (the notify command's first argument).
    static func title(_ order: SpotCheckOrderPayload) -> String { order.isPatrol ? "巡课" : "课堂直播抽查" }

    /// Plays the chime and runs the notify command; failures are logged, never fatal.
    func announce(_ order: SpotCheckOrderPayload) async {
        if let device = configuration.chimeDevice, let chime {
            do { try await chime.playChime(device: device) } catch {
                logger.warning("cannot play the chime", metadata: ["error": "\(error)"])
            }
        }
        if let command = configuration.notifyCommand {
            do {
                let child = try ChildProcess.spawn(
                    command, [Self.title(order), Self.text(order)], stderrPath: "\(configuration.stateDirectory)/notify.log")
                child.closeInput()
                DedicatedThread.run(name: "cf-notify") { _ = child.wait() }
            } catch {
                logger.warning("cannot run the notify command", metadata: ["error": "\(error)"])
            }
        }
    }
}
