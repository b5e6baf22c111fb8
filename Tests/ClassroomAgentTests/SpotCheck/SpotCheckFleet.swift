import ClassroomTestSupport
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A county for an end-to-end spot-check: the real `classroom-collector` (SQLite, media hook secret,
/// short grace) with nginx-rtmp calling its hooks, and a registry of one-room schools whose only
/// lesson today runs for one minute from ``scheduleLesson(secondsFromNow:)`` (county zone Asia/Shanghai).
final class SpotCheckFleet: @unchecked Sendable {
    let directory: URL
    let collector: Process
    let base: String
    let adminToken: String
    let media: MediaServerProcess
    let schools: [String]
    /// The lesson's first second (a whole minute), and its end ``lessonMinutes`` later.
    private(set) var lessonStart: Date
    private(set) var lessonMinutes = 1
    var lessonEnd: Date { lessonStart.addingTimeInterval(Double(lessonMinutes) * 60) }
    /// The collector's SQLite database URL (for `classroom-collector token|user create --db`).
    let database: String
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    var registry: URL { directory.appending(path: "county") }

    /// Starts everything and imports `schools` (ids), their lesson a day away until ``scheduleLesson(secondsFromNow:)``.
    /// With `http`, nginx also serves the shipped HTTP site (console and HLS, ``MediaServerProcess/site``).
    /// `collectorArguments` gets the RTMP port and gives extra `serve` options.
    init(schools: [String], http: Bool = false, collectorArguments: (Int) -> [String] = { _ in [] }) async throws {
        directory = try TestProcess.temporaryDirectory("spotcheck-e2e")
        self.schools = schools
        lessonStart = Self.wholeMinute(after: Date().addingTimeInterval(86_400))
        try Self.writeRegistry(schools: schools, lessonStart: lessonStart, to: directory.appending(path: "county"))

        let binary = try TestProcess.product("classroom-collector")
        let db = "sqlite:" + directory.appending(path: "collector.sqlite").path
        database = db
        let created = try TestProcess.run(binary, ["token", "create", "--role", "bureau_admin", "--name", "e2e", "--db", db])
        guard created.status == 0 else { throw TestSupportError("token create: \(created.stderr)") }
        adminToken = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let secret = "e2e-hook-secret-\(UUID().uuidString)"
        let secretFile = directory.appending(path: "media-secret")
        try secret.write(to: secretFile, atomically: true, encoding: .utf8)
        let rtmpPort = try MediaServerProcess.freePort()
        collector = Process()
        collector.executableURL = binary
        collector.arguments =
            [
                "serve", "--listen", "127.0.0.1:0", "--db", db, "--log-level", "warning", "--media-secret-file", secretFile.path,
                "--spotcheck-ingest", "rtmp://127.0.0.1:\(rtmpPort)/live", "--spotcheck-grace", "5", "--spotcheck-zone",
                "Asia/Shanghai",
            ] + collectorArguments(rtmpPort)
        let out = Pipe()
        collector.standardOutput = out
        let log = directory.appending(path: "collector.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        collector.standardError = try FileHandle(forWritingTo: log)
        try collector.run()
        let line = try Self.readLine(out.fileHandleForReading, containing: "listening on")
        guard let port = line.split(separator: ":").last else { throw TestSupportError("no port in '\(line)'") }
        base = "http://127.0.0.1:\(port.trimmingCharacters(in: .whitespacesAndNewlines))"
        media = try MediaServerProcess(collector: base, secret: secret, record: true, rtmpPort: rtmpPort, http: http)
        try importRegistry()
    }

    func importRegistry() throws {
        let imported = try ctl(["registry", "import", registry.path, "--collector", base])
        guard imported.status == 0 else { throw TestSupportError("registry import: \(imported.stdout)\(imported.stderr)") }
    }

    /// Moves every school's lesson to the first whole minute at least `seconds` from now (re-imports the registry).
    func scheduleLesson(secondsFromNow seconds: Double) throws {
        lessonStart = Self.wholeMinute(after: Date().addingTimeInterval(seconds))
        try Self.writeRegistry(schools: schools, lessonStart: lessonStart, minutes: lessonMinutes, to: registry)
        try importRegistry()
    }

    /// Moves every school's lesson to one that began at the last whole minute and lasts `minutes`
    /// (so at least `minutes - 1` remain): a lesson in progress now, for `spotcheck now`. Close to
    /// midnight (county time) it first waits for the new day, as a timetable lesson cannot cross it.
    func scheduleLessonInProgress(minutes: Int) async throws {
        var start = Self.calendar.dateInterval(of: .minute, for: Date())!.start
        let midnight = Self.calendar.startOfDay(for: start.addingTimeInterval(Double(minutes) * 60))
        if midnight > start {
            try await Task.sleep(for: .seconds(midnight.timeIntervalSinceNow + 1))
            start = midnight
        }
        lessonStart = start
        lessonMinutes = minutes
        try Self.writeRegistry(schools: schools, lessonStart: lessonStart, minutes: minutes, to: registry)
        try importRegistry()
    }

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The first whole minute after `date` whose one-minute lesson does not cross midnight.
    static func wholeMinute(after date: Date) -> Date {
        var start = calendar.nextDate(after: date, matching: DateComponents(second: 0), matchingPolicy: .nextTime)!
        if calendar.component(.hour, from: start) == 23 && calendar.component(.minute, from: start) == 59 {
            start = start.addingTimeInterval(120)
        }
        return start
    }

    func stop() {
        media.stop()
        if collector.isRunning {
            collector.terminate()
            collector.waitUntilExit()
        }
    }

    func ctl(_ arguments: [String]) throws -> TestProcess.Output {
        try TestProcess.run(
            TestProcess.product("classroomctl"), arguments, environment: ["CLASSROOM_TOKEN": adminToken], timeout: .seconds(60))
    }

    /// A fresh single-use-per-agent enrollment token of `school`.
    func enrollmentToken(school: String, uses: Int) throws -> String {
        let out = try ctl(["enroll-token", "create", "--collector", base, "--school", school, "--uses", "\(uses)"])
        guard let token = out.stdout.split(whereSeparator: { $0.isWhitespace }).first(where: { $0.hasPrefix("cfe_") }) else {
            throw TestSupportError("enroll-token create: \(out.stdout)\(out.stderr)")
        }
        return String(token)
    }

    /// An operator API call with the admin token (or `token`); the JSON object answered.
    func call(_ method: String, _ path: String, json: [String: Any]? = nil, token: String? = nil) async throws -> (
        Int, [String: Any]
    ) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 60
        request.setValue("Bearer \(token ?? adminToken)", forHTTPHeaderField: "Authorization")
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let object =
            (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? ["raw": String(decoding: data, as: UTF8.self)]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }

    /// Schools `E1`… each with one recording classroom `E1-R1`, a teacher `E1-T1` and one lesson today.
    static func writeRegistry(schools: [String], lessonStart: Date, minutes: Int = 1, to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let parts = calendar.dateComponents([.hour, .minute, .weekday], from: lessonStart)
        let weekday = (parts.weekday! + 5) % 7 + 1  // Calendar: 1 = Sunday; registry: 1 = Monday
        func time(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
        let start = parts.hour! * 60 + parts.minute!
        var schoolsCSV = "school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,"
        schoolsCSV += "high_classes,high_students\n"
        var rooms = "room_id,school_id,name,kind,stage,class_name\n"
        var teachers = "teacher_id,school_id,name,subjects\n"
        var timetable = "school_id,room_id,teacher_id,weekday,start,end,subject\n"
        for (index, school) in schools.enumerated() {
            schoolsCSV += "\(school),测试学校\(index + 1),样例县,文屏镇,6,200,0,0,0,0\n"
            rooms += "\(school)-R1,\(school),录播教室,recording,primary,一年级1班\n"
            teachers += "\(school)-T1,\(school),教师\(index + 1),语文\n"
            timetable += "\(school),\(school)-R1,\(school)-T1,\(weekday),\(time(start)),\(time(start + minutes)),语文\n"
        }
        for (name, text) in [
            ("schools.csv", schoolsCSV), ("rooms.csv", rooms), ("teachers.csv", teachers), ("timetable.csv", timetable),
        ] {
            try text.write(to: dir.appending(path: name), atomically: true, encoding: .utf8)
        }
    }

    static func readLine(_ handle: FileHandle, containing needle: String) throws -> String {
        var buffer = Data()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.contains(needle) }) { return String(line) }
        }
        throw TestSupportError("no '\(needle)' from the collector: \(String(decoding: buffer, as: UTF8.self))")
    }
}
