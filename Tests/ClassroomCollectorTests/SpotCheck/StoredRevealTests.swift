import ClassroomCore
import Foundation
import Testing

@testable import ClassroomCollector

/// A draw's reveal is stored as gzip members written at once: what is read back is the reveal's bytes
/// exactly, in any number of members, and `gzip -d` reads the stored bytes too.
@Suite struct StoredRevealTests {
    /// Text with Chinese, an emoji, control characters and JSON, of `count` characters.
    static func text(_ count: Int, seed: UInt64) -> String {
        var g = SeededGenerator(seed: seed)
        let pieces = ["{\"room_id\":\"S00001-R01\",", "语文", "🧑‍🏫", "\u{0}", "\n", "\\\"", "a", "08:45"]
        return String((0..<count).map { _ in pieces.randomElement(using: &g)! }.joined().prefix(count))
    }

    @Test(arguments: [0, 1, 2, 17, 1_000, 100_000])
    func whatIsStoredReadsBackAsTheSameBytesInAnyNumberOfMembers(count: Int) throws {
        let reveal = Self.text(count, seed: UInt64(count) + 3)
        for members in 1...5 {
            var copy = reveal
            let stored = copy.withUTF8 { StoredReveal.compress($0, members: members) }
            #expect(
                try StoredReveal.decompress(stored).utf8.elementsEqual(reveal.utf8), "\(count) characters, \(members) members")
        }
        #expect(try StoredReveal.decompress(StoredReveal.compress(reveal)) == reveal)
    }

    @Test func aProvinceRevealIsStoredInFourMembersAndASmallOneInOne() {
        #expect(StoredReveal.memberCount(bytes: 0) == 1)
        #expect(StoredReveal.memberCount(bytes: 16 << 20) == 2)
        #expect(StoredReveal.memberCount(bytes: 64 << 20) == 4)
    }

    @Test func gzipReadsTheStoredBytes() throws {
        var reveal = Self.text(50_000, seed: 9)
        let stored = reveal.withUTF8 { StoredReveal.compress($0, members: 3) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stored-reveal-\(UUID()).gz")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(stored).write(to: file)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-dc", file.path]
        let pipe = Pipe()
        gzip.standardOutput = pipe
        try gzip.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        #expect(out == Data(reveal.utf8))
    }

    @Test func bytesThatAreNotAWholeGzipStreamAreRefused() {
        let stored = StoredReveal.compress(Self.text(5_000, seed: 4))
        #expect(throws: StoredReveal.Error.self) { try StoredReveal.decompress([]) }
        #expect(throws: StoredReveal.Error.self) { try StoredReveal.decompress(Array(stored.dropLast(9))) }
        #expect(throws: StoredReveal.Error.self) { try StoredReveal.decompress(Array("{\"format\":1}".utf8)) }
        var flipped = stored
        flipped[flipped.count / 2] ^= 0xFF
        #expect(throws: StoredReveal.Error.self) { try StoredReveal.decompress(flipped) }
    }

    @Test(
        "a draw's reveal reads back from the store as written; a draw stored as text before v680 too",
        arguments: StoreKind.allCases)
    func theStoreGivesBackTheRevealItWasGiven(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let reveal = Self.text(20_000, seed: 12)
            let audit = AuditEntry(at: 1, actor: "test", action: "spotcheck.draw", target: "spotcheck", schoolID: nil, detail: "")
            func record(_ week: String, _ reveal: String) -> SpotCheckDrawRecord {
                SpotCheckDrawRecord(
                    week: week, count: 20, orderCount: 0, shortfall: 20, commitment: "c", reveal: reveal, roundsAfter: "{}",
                    drawnAt: 1, drawnBy: "test")
            }
            #expect(try await store.insertSpotCheckDraw(record("2026-W40", reveal), orders: [], audit: audit))
            #expect(try await store.spotCheckDraw(week: "2026-W40")?.reveal == reveal)
            // What the scheduler and the next draw read: the week and rotation, no reveal.
            let summary = SpotCheckDrawSummary(week: "2026-W40", count: 20, commitment: "c", roundsAfter: "{}", revealedAt: nil)
            #expect(try await store.latestSpotCheckDrawSummary() == summary)
            #expect(try await store.spotCheckDrawSummary(week: "2026-W40") == summary)
            #expect(try await store.spotCheckDrawSummary(week: "2026-W41") == nil)
            #expect(try await store.revealSpotCheck(week: "2026-W40", at: 5, audit: audit))
            #expect(try await store.spotCheckDrawSummary(week: "2026-W40")?.revealedAt == 5)
            // Read from the gzip, not from the text column.
            try await execute(store, "UPDATE spotcheck_draws SET reveal = 'changed' WHERE week = '2026-W40'")
            #expect(try await store.spotCheckDraw(week: "2026-W40")?.reveal == reveal)
            // A draw of an older collector: its text, no gzip.
            #expect(try await store.insertSpotCheckDraw(record("2026-W39", ""), orders: [], audit: audit))
            try await execute(store, "UPDATE spotcheck_draws SET reveal = 'old text', reveal_gzip = NULL WHERE week = '2026-W39'")
            #expect(try await store.spotCheckDraw(week: "2026-W39")?.reveal == "old text")
            #expect(try await store.latestSpotCheckDrawSummary()?.week == "2026-W40")
            // Bytes that are not gzip are an error, not another reveal.
            try await execute(
                store,
                kind == .sqlite
                    ? "UPDATE spotcheck_draws SET reveal_gzip = X'00010203' WHERE week = '2026-W39'"
                    : "UPDATE spotcheck_draws SET reveal_gzip = '\\x00010203'::bytea WHERE week = '2026-W39'")
            await #expect(throws: StoredReveal.Error.self) { try await store.spotCheckDraw(week: "2026-W39") }
        }
    }
}
