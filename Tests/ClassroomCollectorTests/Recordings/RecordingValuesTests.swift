import ClassroomTestSupport
import Foundation
import Testing

@testable import ClassroomCollector

/// The pure parts: byte ranges against a size, `--recording-min-free`, and the real statvfs probe
/// against what `stat -f` says of the same file system.
@Suite("Recording values")
struct RecordingValuesTests {
    @Test(
        "Range headers against a 1000-byte file",
        arguments: [
            (nil, ByteRange.whole), ("", .whole), ("bytes=0-99", .part(0...99)), ("bytes=500-", .part(500...999)),
            ("bytes=-100", .part(900...999)), ("bytes=-5000", .part(0...999)), ("bytes=990-2000", .part(990...999)),
            ("bytes=999-999", .part(999...999)), ("bytes=1000-", .unsatisfiable), ("bytes=1000-1001", .unsatisfiable),
            ("bytes=5-4", .unsatisfiable), ("bytes=abc-", .unsatisfiable), ("bytes=-0", .unsatisfiable),
            ("bytes=1-2-3", .unsatisfiable), ("bytes=+1-2", .unsatisfiable), ("items=0-1", .whole),
            ("bytes=0-1,5-6", .whole), ("BYTES=0-0", .part(0...0)),
        ] as [(String?, ByteRange)])
    func ranges(header: String?, expected: ByteRange) {
        #expect(ByteRange(header: header, size: 1_000) == expected)
    }

    @Test("an empty file satisfies no range")
    func emptyFile() {
        #expect(ByteRange(header: "bytes=0-", size: 0) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=-1", size: 0) == .unsatisfiable)
        #expect(ByteRange(header: nil, size: 0) == .whole)
    }

    @Test("--recording-min-free values")
    func minimumFree() {
        #expect(RecordingMinimumFree(parsing: "10%") == .percent(10))
        #expect(RecordingMinimumFree(parsing: "2.5%") == .percent(2.5))
        #expect(RecordingMinimumFree(parsing: "500M") == .bytes(500 << 20))
        #expect(RecordingMinimumFree(parsing: "20g") == .bytes(20 << 30))
        #expect(RecordingMinimumFree(parsing: "1048576") == .bytes(1_048_576))
        for bad in ["", "%", "101%", "-1%", "ten", "5X", "G", "-5G", "99999999999T", "1.5G"] {
            #expect(RecordingMinimumFree(parsing: bad) == nil, "\(bad) was accepted")
        }
        let space = FileSystemSpace(total: 1_000, available: 100)
        #expect(RecordingMinimumFree.percent(10).isSatisfied(by: space))
        #expect(!RecordingMinimumFree.percent(10.1).isSatisfied(by: space))
        #expect(RecordingMinimumFree.bytes(100).isSatisfied(by: space))
        #expect(!RecordingMinimumFree.bytes(101).isSatisfied(by: space))
    }

    @Test("statvfs agrees with stat -f on the size of the file system; a missing path throws")
    func statvfsProbe() throws {
        let dir = FileManager.default.temporaryDirectory.path
        let space = try StatvfsFreeSpace().space(of: dir)
        let stat = try TestProcess.run(URL(filePath: "/usr/bin/stat"), ["-f", "-c", "%b %S %a", dir]).stdout
        let fields = stat.split(separator: " ").compactMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(fields.count == 3, "stat -f said \(stat)")
        #expect(space.total == fields[0] * fields[1])
        // Free space moves with other writers on the machine: only its bounds are exact.
        #expect(space.available >= 0 && space.available <= space.total)
        #expect(throws: StoreError.self) { try StatvfsFreeSpace().space(of: "/nonexistent/\(UUID().uuidString)") }
        // Before the first recording its folder may not exist: the disk page measures the nearest parent.
        let tmp = URL(filePath: dir).standardizedFileURL.path
        #expect(RecordingsPage.existingFolder(tmp + "/not-yet/recordings") == tmp)
        #expect(RecordingsPage.existingFolder("/nonexistent-\(UUID().uuidString)/x") == "/")
    }

    @Test("sizes and durations as the console shows them")
    func labels() {
        #expect(RecordingAccess.size(512) == "512 B")
        #expect(RecordingAccess.size(1_536) == "1.5 KB")
        #expect(RecordingAccess.size(52_428_800) == "50.0 MB")
        #expect(RecordingAccess.duration(nil) == "—")
        #expect(RecordingAccess.duration(3_400) == "0:03")
        #expect(RecordingAccess.duration(2_700_000) == "45:00")
        #expect(RecordingAccess.duration(3_723_000) == "1:02:03")
    }

    @Test(
        "serve refuses bad recording options by name",
        arguments: [
            (["--recording-min-free", "5X"], "--recording-min-free must be"),
            (["--recording-min-free", "150%"], "--recording-min-free must be"),
            (["--recording-retention-days", "0"], "--recording-retention-days must be 1…3650"),
            (["--recording-ingest-dir", "media"], "--recording-ingest-dir must be an absolute path"),
        ])
    func serveOptions(arguments: [String], message: String) throws {
        let dir = try TestProcess.temporaryDirectory("recording-options")
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = try TestProcess.run(
            try TestProcess.product("classroom-collector"),
            ["serve", "--db", "sqlite:" + dir.appending(path: "c.sqlite").path, "--listen", "127.0.0.1:0"] + arguments)
        #expect(output.status != 0)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }
}
