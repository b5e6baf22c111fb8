import Testing

@testable import ClassroomCore

@Suite struct TextDecodingTests {
    /// A GB18030 teachers.csv of `rows` rows of Chinese names (a few MB), not valid UTF-8.
    static func largeTeachersFile(rows: Int) throws -> [UInt8] {
        var text = "teacher_id,school_id,name,subjects\n"
        text.reserveCapacity(rows * 32)
        for i in 1...rows { text += "T\(i),S1,张伟\(i),\"语文, 数学\"\n" }
        return try #require(TextDecoder.encodeGB18030(text))
    }

    @Test func badByteNearTheEndOfALargeFileIsLocatedByLineAndField() throws {
        var bytes = try Self.largeTeachersFile(rows: 120_000)
        #expect(bytes.count > 3_000_000)
        // Corrupt the subjects field (4th column, quoted with a comma inside) of the last row but one.
        var lineStarts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
        let line = lineStarts.count - 2  // 1-based line number of the last row but one
        let rowStart = lineStarts[line - 1]
        let quote = try #require(bytes[rowStart...].firstIndex(of: UInt8(ascii: "\"")))
        bytes[quote + 1] = 0xFF
        do {
            _ = try TextDecoder.decode(bytes)
            Issue.record("expected a decoding failure")
        } catch {
            #expect(error.line == line)
            #expect(error.offset == quote + 1)
        }
        #expect(CSVReader.fieldIndex(at: quote + 1, in: bytes) == 3)
        #expect(RegistryValidator.headerName(ofFieldAt: quote + 1, in: bytes) == "subjects")
    }

    @Test func registryProblemNamesFileLineAndFieldOfTheBadByte() throws {
        var files = RegistryFixture().files()
        var bytes = try Self.largeTeachersFile(rows: 50_000)
        let lastRow = try #require(bytes.dropLast().lastIndex(of: 0x0A)) + 1
        // `T50000,S1,张…`: the byte after the second comma starts the name.
        bytes.insert(0x81, at: lastRow + "T50000,S1,".utf8.count)
        bytes.insert(0x20, at: lastRow + "T50000,S1,".utf8.count + 1)
        files["teachers.csv"] = bytes
        do {
            _ = try RegistryLoader.load(files)
            Issue.record("expected a problem")
        } catch {
            let problem = try #require(error.problems.first { $0.file == "teachers.csv" })
            #expect(problem.line == 50_001)
            #expect(problem.field == "name")
            #expect(problem.message.hasPrefix("not valid UTF-8 or GB18030 text (byte offset \(lastRow + 10))"))
        }
    }

    @Test func truncatedSequenceAtTheEndIsLocatedAtItsFirstByte() throws {
        let bytes = try #require(TextDecoder.encodeGB18030("a,b\n1,张")) + [0x81]
        #expect(throws: TextDecoder.Failure(offset: bytes.count - 1, line: 2)) { try TextDecoder.decode(bytes) }
        #expect(RegistryValidator.headerName(ofFieldAt: bytes.count - 1, in: bytes) == "b")
    }

    @Test func byteInTheHeaderOrPastTheHeaderColumnsIsNamedHonestly() throws {
        let header: [UInt8] = Array("a,".utf8) + [0xFF] + Array("\n1,2,3\n".utf8)
        #expect(throws: TextDecoder.Failure(offset: 2, line: 1)) { try TextDecoder.decode(header) }
        #expect(RegistryValidator.headerName(ofFieldAt: 2, in: header).isEmpty)
        let extra: [UInt8] = Array("a,b\n1,2,".utf8) + [0xFF] + Array("\n".utf8)
        #expect(RegistryValidator.headerName(ofFieldAt: 8, in: extra) == "column 3")
    }

    @Test func invalidUTF8AfterAByteOrderMarkIsLocatedExactly() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\n1,".utf8) + [0xE4, 0xB8] + Array(",x\n".utf8)
        #expect(throws: TextDecoder.Failure(offset: 9, line: 2)) { try TextDecoder.decode(bytes) }
    }

    @Test func validGB18030RoundTrips() throws {
        let text = "学校,教师\n水磨中心小学,张伟\n𠀀\n"
        let bytes = try #require(TextDecoder.encodeGB18030(text))
        let decoded = try TextDecoder.decode(bytes)
        #expect(decoded.text == text)
        #expect(decoded.encoding == .gb18030)
    }
}

/// The decoder's 1 MiB pieces (UTF-8 validation) and window (GB18030 conversion) leave no seam.
@Suite struct TextDecodingWindowTests {
    /// Text of more than `mebibytes` MiB in which multi-byte characters straddle every MiB boundary.
    static func text(mebibytes: Int) -> String {
        var text = "school_id,name\n"
        var i = 0
        while text.utf8.count < mebibytes << 20 {
            text += "S\(i),鲁甸县水磨镇中心小学🏫\(i)\n"
            i += 1
        }
        return text
    }

    @Test func utf8OfSeveralMebibytesIsTakenAsItIsWithoutACopy() throws {
        let bytes = Array(Self.text(mebibytes: 3).utf8)
        let decoded = try TextDecoder.utf8(bytes)
        #expect(decoded.encoding == .utf8 && decoded.start == 0 && decoded.bytes == bytes)
        let withBOM = [0xEF, 0xBB, 0xBF] + bytes
        let fromBOM = try TextDecoder.utf8(withBOM)
        #expect(fromBOM.encoding == .utf8WithBOM && fromBOM.start == 3)
    }

    @Test func aBadByteAfterTheFirstMebibyteIsFoundWhereItIs() throws {
        let good = Array(Self.text(mebibytes: 2).utf8)
        #expect(TextDecoder.isValidUTF8(good, from: 0))
        // With a BOM the file is UTF-8 or nothing: the offset is the UTF-8 check's own.
        var bytes = [0xEF, 0xBB, 0xBF] + good
        // An ASCII byte replaced (a replaced continuation byte would make its sequence's first byte the bad one).
        let offset = try #require(bytes[((1 << 20) + 1_234)...].firstIndex { $0 < 0x80 })
        bytes[offset] = 0xFF
        #expect(!TextDecoder.isValidUTF8(bytes, from: 3))
        do {
            _ = try TextDecoder.utf8(bytes)
            Issue.record("expected a decoding failure")
        } catch {
            #expect(error.offset == offset)
        }
    }

    @Test func gb18030OfSeveralMebibytesConvertsAcrossTheWindow() throws {
        let text = Self.text(mebibytes: 3)
        let gb = try #require(TextDecoder.encodeGB18030(text))
        #expect(gb.count > 2 << 20)
        let decoded = try TextDecoder.utf8(gb)
        #expect(decoded.encoding == .gb18030)
        #expect(String(decoding: decoded.bytes, as: UTF8.self) == text)
    }
}
