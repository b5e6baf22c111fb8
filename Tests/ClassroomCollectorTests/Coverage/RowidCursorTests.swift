import Testing

@testable import ClassroomCollector

@Suite("The hour rows' cursor over the placements' rowids")
struct RowidCursorTests {
    @Test("rows in the placements' order: found by stepping forward, devices without rows skipped")
    func inOrder() {
        var cursor = RowidCursor([40, 7, 12, 99])
        #expect([7, 7, 12, 99, 99].map { cursor.index(of: $0) } == [1, 1, 2, 3, 3])
        #expect(cursor.lookup == nil)
    }

    @Test("a rowid out of order is looked up, one never placed is nil, and stepping goes on from the one found")
    func outOfOrder() {
        var cursor = RowidCursor([40, 7, 12, 99])
        #expect(cursor.index(of: 12) == 2)
        #expect(cursor.index(of: 40) == 0)
        #expect(cursor.index(of: 5) == nil)
        #expect(cursor.index(of: 7) == 1)
        #expect(cursor.index(of: 99) == 3)
        #expect(RowidCursor([]).rowids.isEmpty)
        var empty = RowidCursor([])
        #expect(empty.index(of: 1) == nil)
    }
}
