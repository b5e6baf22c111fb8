import Foundation
import Testing

@testable import ClassroomCollector

/// The pieces of the PostgreSQL window read that run on every row: a device's hour rows as the server
/// packs them (``HourRecords``), and the placement found for each row's device (``PlacementCursor``).
@Suite struct PostgresWindowPartsTests {
    struct Record: Equatable {
        var hour: Int64
        var lastAt: Int64
        var contacts: [UInt8]
        var active: [UInt8]
    }

    /// What `int8send(hour) || int8send(last_at) || int4send(length) || list …` gives for `records`.
    static func packed(_ records: [Record]) -> [UInt8] {
        var out: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.bigEndian) { out += $0 } }
        for r in records {
            put(r.hour)
            put(r.lastAt)
            put(Int32(r.contacts.count))
            out += r.contacts
            put(Int32(r.active.count))
            out += r.active
        }
        return out
    }

    static func unpacked(_ bytes: [UInt8]) throws -> [Record] {
        var out: [Record] = []
        try bytes.withUnsafeBytes { raw in
            try HourRecords.forEach(raw) { hour, lastAt, contacts, active in
                out.append(Record(hour: hour, lastAt: lastAt, contacts: Array(contacts), active: Array(active)))
            }
        }
        return out
    }

    @Test func packedRecordsReadBackWithEmptyListsAndTheEndsOfInt64() throws {
        let records = [
            Record(hour: 498_000, lastAt: 1_764_000_000_000, contacts: [], active: Array(0..<32)),
            Record(hour: -1, lastAt: .min, contacts: Array(repeating: 7, count: 16), active: []),
            Record(hour: .max, lastAt: .max, contacts: [], active: []),
            Record(hour: 0, lastAt: 0, contacts: Array(1...8), active: Array(repeating: 0xFF, count: 64)),
        ]
        #expect(try Self.unpacked(Self.packed(records)) == records)
        #expect(try Self.unpacked([]) == [])
    }

    @Test func aRecordCutShortAnywhereIsAnError() throws {
        let bytes = Self.packed([
            Record(hour: 1, lastAt: 2, contacts: [1, 2, 3, 4, 5, 6, 7, 8], active: Array(0..<32)),
            Record(hour: 3, lastAt: 4, contacts: [], active: []),
        ])
        let first = 8 + 8 + 4 + 8 + 4 + 32
        for cut in 1..<bytes.count where cut != first {
            #expect(throws: HourRecords.Truncated.self, "cut at \(cut)") { try Self.unpacked(Array(bytes[..<cut])) }
        }
        #expect(try Self.unpacked(Array(bytes[..<first])).count == 1)
        // A negative length is no list.
        var negative = Self.packed([Record(hour: 1, lastAt: 2, contacts: [], active: [])])
        negative[16..<20] = [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(throws: HourRecords.Truncated.self) { try Self.unpacked(negative) }
    }

    @Test func theCursorFindsDevicesInOrderSkippedOrNotAndUnknownOnes() {
        let ids = (0..<300).map { "dev-\($0)" }
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var cursor = PlacementCursor(ids, index: index)
        func find(_ id: String) -> Int? { Array(id.utf8).withUnsafeBytes { cursor.index(of: $0) } }
        #expect(find("dev-0") == 0)
        #expect(find("dev-0") == 0, "a device's next row")
        #expect(find("dev-5") == 5, "devices without rows skipped")
        #expect(find("dev-250") == 250, "further than the cursor compares: looked up")
        #expect(find("dev-3") == 3, "an earlier device: looked up")
        #expect(find("dev-4") == 4)
        #expect(find("nobody") == nil)
        #expect(find("dev-6") == 6, "the cursor goes on after an unknown device")
        #expect(find("") == nil)
        #expect(find("dev-299") == 299)
    }
}
