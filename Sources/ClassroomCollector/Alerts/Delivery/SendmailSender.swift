import ClassroomCore
import Foundation

/// Mails a notification through the local MTA: the message goes to `sendmail -t` on its standard
/// input (recipients from its `To:` header). Exit status 0 is delivered to the MTA's queue; any
/// other status, or no exit within the timeout (the process is then killed), is a failure.
public struct SendmailSender: AlertSender {
    let sendmail: String
    let from: String
    let to: String
    let zone: CountyTimeZone
    let consoleURL: String?
    let timeout: Duration

    public init(sendmail: String, from: String, to: String, zone: CountyTimeZone, consoleURL: String?, timeout: Duration) {
        self.sendmail = sendmail
        self.from = from
        self.to = to
        self.zone = zone
        self.consoleURL = consoleURL
        self.timeout = timeout
    }

    public func send(_ notification: AlertNotification) async throws {
        let message = AlertMessage(notification: notification, zone: zone, consoleURL: consoleURL).email(from: from, to: to)
        let process = Process()
        process.executableURL = URL(filePath: sendmail)
        process.arguments = ["-t", "-oi"]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        // Written before the process starts: the message is far below a pipe's buffer, so this never
        // blocks, and a sendmail that exits without reading cannot raise SIGPIPE in the collector.
        input.fileHandleForWriting.write(Data(message.utf8))
        let status: Int32 = try await withCheckedThrowingContinuation { (outer: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { p in outer.resume(returning: p.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                outer.resume(throwing: AlertSendError("cannot run \(sendmail): \(error.localizedDescription)"))
                return
            }
            let timeout = timeout
            Task {
                try? await Task.sleep(for: timeout)
                if process.isRunning { process.terminate() }
            }
            try? input.fileHandleForWriting.close()
        }
        guard status == 0 else {
            let stderr = String(decoding: errors.fileHandleForReading.availableData.prefix(300), as: UTF8.self)
            throw AlertSendError("\(sendmail) exited with \(status)\(stderr.isEmpty ? "" : ": \(stderr)")")
        }
    }
}
