import Testing

@testable import ClassroomCore

/// ``CSVStream`` reads a file in windows; whatever the windows and the reads cut (a record, a quoted
/// line break, a CRLF, a UTF-8 or GB18030 sequence, a byte-order mark), it must see what one scan of
/// the whole decoded file sees.
@Suite struct CSVStreamTests {
    /// What a scan reports, in order.
    enum Logged: Equatable {
        case record(CSVRecord)
        case progress(Int)
        case restart
    }

    /// The events and outcome of one scan over `bytes` read `piece` bytes at a time through `window`: by
    /// ``CSVStream/scan(_:window:_:)``, or by ``CSVStream/scanAhead(_:window:batchBytes:_:)`` with batches of
    /// `batchBytes`.
    static func log(_ bytes: [UInt8], piece: Int, window: Int, batchBytes: Int? = nil) -> (
        events: [Logged], outcome: CSVStream.Outcome
    ) {
        var source = ByteArraySource(bytes, pieceSize: piece)
        var events: [Logged] = []
        func note(_ event: CSVStream.Event) {
            switch event {
            case .record(let row): events.append(.record(CSVRecord(line: row.line, fields: row.fields)))
            case .progress(let rawBytes): events.append(.progress(rawBytes))
            case .restart: events.append(.restart)
            }
        }
        let outcome =
            if let batchBytes {
                CSVStream.scanAhead(&source, window: window, batchBytes: batchBytes, note)
            } else {
                CSVStream.scan(&source, window: window, note)
            }
        return (events, outcome)
    }

    /// Batch sizes for ``CSVStream/scanAhead(_:window:batchBytes:_:)``: every record in a batch of its own,
    /// a few records a batch, and the default.
    static let batchSizes = [1, 40, CSVStream.aheadBatchBytes]

    /// Records (or the failure) of one scan over `bytes` read `piece` bytes at a time through `window`;
    /// the scan ahead of its reader is checked to report exactly the same events and outcome.
    static func streamed(_ bytes: [UInt8], piece: Int, window: Int) -> (records: [CSVRecord], outcome: CSVStream.Outcome) {
        let plain = log(bytes, piece: piece, window: window)
        for batchBytes in batchSizes {
            let ahead = log(bytes, piece: piece, window: window, batchBytes: batchBytes)
            #expect(ahead.events == plain.events, "scanAhead, batches of \(batchBytes), window \(window), piece \(piece)")
            #expect(ahead.outcome == plain.outcome, "scanAhead, batches of \(batchBytes), window \(window), piece \(piece)")
        }
        var records: [CSVRecord] = []
        for event in plain.events {
            switch event {
            case .record(let record): records.append(record)
            case .restart: records.removeAll()
            case .progress: break
            }
        }
        return (records, plain.outcome)
    }

    /// A text with every construct a window may cut: quoted commas, `""`, quoted LF and CRLF, CRLF
    /// line ends, blank lines, spaces after a closing quote, Chinese (3-byte UTF-8, 2-byte GB18030),
    /// an emoji (4 bytes in both) and a last record without its line end.
    static let text =
        "school_id,room_id,subject\r\n"
        + "S1,R1,语文\r\n"
        + "\"S1\",\"R,2\",\"say \"\"hi\"\"\"\n"
        + "\r\n\n"
        + "S2,R3,\"两行\n第二行\"  \r\n"
        + "S2,R4,\"CRLF\r\n里面\",x\n"
        + "S3,😀,数学\n"
        + "S3,R5,\"\"\n"
        + "S4,R6,最后一行"

    @Test func everyCutOfAUTF8FileScansAsTheWholeFile() throws {
        let bytes = Array(Self.text.utf8)
        let expected = try CSVReader.records(Self.text)
        #expect(expected.count == 8)
        for window in [16, 17, 23, 64] {
            for piece in [1, 2, 3, 5, 7, 1000] {
                let (records, outcome) = Self.streamed(bytes, piece: piece, window: window)
                #expect(outcome == .finished(.utf8), "window \(window), piece \(piece)")
                #expect(records == expected, "window \(window), piece \(piece)")
            }
        }
    }

    @Test func byteOrderMarkCutByTheReadsIsSkipped() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Array(Self.text.utf8)
        let expected = try CSVReader.records(Self.text)
        for piece in [1, 2, 4] {
            let (records, outcome) = Self.streamed(bytes, piece: piece, window: 16)
            #expect(outcome == .finished(.utf8WithBOM))
            #expect(records == expected, "piece \(piece)")
        }
    }

    @Test func everyCutOfAGB18030FileScansAsTheWholeFile() throws {
        let bytes = try #require(TextDecoder.encodeGB18030(Self.text))
        let expected = try CSVReader.records(Self.text)
        for window in [16, 19, 64] {
            for piece in [1, 2, 3, 5, 1000] {
                let (records, outcome) = Self.streamed(bytes, piece: piece, window: window)
                #expect(outcome == .finished(.gb18030), "window \(window), piece \(piece)")
                #expect(records == expected, "window \(window), piece \(piece)")
            }
        }
    }

    @Test func aMalformedRecordPastManyWindowsNamesItsLine() {
        var text = "a,b\n"
        for i in 0..<200 { text += "\(i),\"x\ny\"\n" }
        text += "bad,x\"y\n"
        text += "after,1\n"
        for piece in [1, 7, 1 << 20] {
            let (records, outcome) = Self.streamed(Array(text.utf8), piece: piece, window: 32)
            #expect(outcome == .malformed(CSVReader.Failure(line: 402, message: "stray quote inside an unquoted field"), .utf8))
            #expect(records.count == 201)
        }
        let (_, unclosed) = Self.streamed(Array("a,b\n1,\"open\n2,3\n".utf8), piece: 3, window: 16)
        #expect(unclosed == .malformed(CSVReader.Failure(line: 2, message: "quoted field is never closed"), .utf8))
    }

    @Test func aFileThatIsNotUTF8PastTheFirstWindowIsReadAgainAsGB18030() throws {
        // ASCII for several windows, then Chinese: the UTF-8 pass reports records before it finds out.
        var text = "id,name\n"
        for i in 0..<100 { text += "T\(i),teacher\(i)\n" }
        text += "T100,张伟\n"
        let bytes = try #require(TextDecoder.encodeGB18030(text))
        let plain = Self.log(bytes, piece: 5, window: 16)
        #expect(plain.outcome == .finished(.gb18030))
        #expect(plain.events.filter { $0 == .restart }.count == 1)
        #expect(Self.streamed(bytes, piece: 5, window: 16).records == (try CSVReader.records(text)))
    }

    @Test func theScanAheadHandsOnRecordsWiderAndLongerThanItsBatches() throws {
        // 40 fields (more spans than a small batch holds), a quoted field of 2,000 bytes with line breaks
        // (longer than a batch and than the window), then short rows again.
        let wide = (0..<40).map { "f\($0)" }.joined(separator: ",")
        let long = "\"" + String(repeating: "长文本\n\"\"x", count: 200) + "\""
        let text = "a,b\n" + wide + "\n1," + long + "\n2,3\n" + String(repeating: "4,5\n", count: 50)
        let expected = try CSVReader.records(text)
        #expect(expected.count == 54)
        for batchBytes in [1, 40, 100, 4096] {
            for window in [16, 4096] {
                let plain = Self.log(Array(text.utf8), piece: 7, window: window)
                let ahead = Self.log(Array(text.utf8), piece: 7, window: window, batchBytes: batchBytes)
                #expect(ahead.events == plain.events, "batches of \(batchBytes), window \(window)")
                #expect(ahead.outcome == .finished(.utf8))
                #expect(ahead.events.compactMap { if case .record(let r) = $0 { r } else { nil } } == expected)
            }
        }
    }

    @Test func undecodableBytesAreLocatedInTheFile() throws {
        // GB18030 (so not UTF-8 from its first Chinese character on) until a byte that is neither
        // (0xFF never starts a GB18030 sequence), past several windows.
        let good = try #require(TextDecoder.encodeGB18030(String(repeating: "1,张\n", count: 40)))
        let bad = good + [0x41, 0xFF, 0x0A]
        for piece in [1, 3, 1000] {
            #expect(Self.streamed(bad, piece: piece, window: 16).outcome == .undecodable(offset: good.count + 1))
        }
        // With a byte-order mark the file is UTF-8 or nothing.
        let utf8 = Array(String(repeating: "1,张\n", count: 40).utf8)
        let badUTF8 = [0xEF, 0xBB, 0xBF] + utf8 + [0x41, 0xFF, 0x0A]
        #expect(Self.streamed(badUTF8, piece: 2, window: 16).outcome == .undecodable(offset: utf8.count + 4))
        // A GB18030 sequence cut short by the end of the file.
        let cut = try #require(TextDecoder.encodeGB18030("a,b\n1,张")) + [0x81]
        #expect(Self.streamed(cut, piece: 1, window: 16).outcome == .undecodable(offset: cut.count - 1))
        // A UTF-8 sequence cut short by the end of a file with a byte-order mark.
        let utf8Cut: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\n1,".utf8) + [0xE5, 0xBC]
        #expect(Self.streamed(utf8Cut, piece: 1, window: 16).outcome == .undecodable(offset: utf8Cut.count - 2))
    }

    /// xorshift64*: the same bytes each run.
    struct Bytes: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    @Test func utf8CheckAgreesWithTheStandardLibrary() {
        var random = Bytes(state: 0x5EED)
        // Bytes biased towards the edges of the UTF-8 ranges, where validators go wrong.
        let interesting: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        for _ in 0..<20_000 {
            let count = Int(random.next() % 12)
            var bytes = (0..<count).map { _ in interesting[Int(random.next() % UInt64(interesting.count))] }
            // Mostly valid text with one change, too.
            if random.next() % 2 == 0 {
                bytes = Array("ab中文😀z".utf8)
                bytes[Int(random.next() % UInt64(bytes.count))] = interesting[Int(random.next() % UInt64(interesting.count))]
            }
            let check = bytes.withUnsafeBufferPointer {
                UTF8Check.validPrefix($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count)
            }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((check.length == bytes.count) == valid, "\(bytes)")
            if !valid {
                #expect(check.length == TextDecoder.firstInvalidUTF8(bytes[...]), "\(bytes)")
                // A truncated sequence is one that a longer text could complete.
                #expect(
                    check.truncated
                        == (String(validating: bytes + [0x80, 0x80, 0x80], as: UTF8.self) != nil
                            || String(validating: bytes + [0x80, 0x80], as: UTF8.self) != nil
                            || String(validating: bytes + [0x80], as: UTF8.self) != nil
                            || String(validating: bytes + [0x90, 0x80, 0x80], as: UTF8.self) != nil
                            || String(validating: bytes + [0xA0, 0x80], as: UTF8.self) != nil),
                    "\(bytes)")
            }
        }
    }
}
