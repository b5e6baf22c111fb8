import ClassroomCore
import Foundation
import Testing

@Suite struct DebianVersionTests {
    /// Pairs in dpkg's order (the first sorts before the second), as apt sees package upgrades.
    static let ordered: [(String, String)] = [
        ("0.1.0~test1", "0.1.0"), ("0.1.0~test1", "0.1.0~test2"), ("0.1.0~test9", "0.1.0~test10"),
        ("0.1.0", "0.1.0+git20261204.ab12cd34"), ("0.1.0+git20261204.ff", "0.1.0+git20261205.00"),
        ("0.1.0", "0.1.1"), ("0.9.0", "0.10.0"), ("1.0", "1.0-1"), ("1.0-1", "1.0-2"), ("1.0-9", "1.0-10"),
        ("9.9", "1:0.1"), ("1.0~rc1", "1.0~rc1+b1"), ("1.0a", "1.0b"), ("1.0", "1.0a"), ("1.0~", "1.0"),
        ("1.0~~", "1.0~"), ("1.0a", "1.0+"), ("1.01", "1.2"),
    ]

    @Test func ordersLikeDpkg() {
        for (a, b) in Self.ordered {
            #expect(DebianVersion.compare(a, b) < 0, "\(a) < \(b)")
            #expect(DebianVersion.compare(b, a) > 0, "\(b) > \(a)")
        }
        #expect(DebianVersion.compare("1.001", "1.1") == 0)
        #expect(DebianVersion.compare("0:1.0", "1.0") == 0)
        #expect(DebianVersion.compare("0.1.0~test3", "0.1.0~test3") == 0)
    }

    /// The same answers as the real dpkg on this machine, for every pair of the versions above.
    @Test func agreesWithDpkgCompareVersions() throws {
        let dpkg = URL(filePath: "/usr/bin/dpkg")
        try #require(FileManager.default.isExecutableFile(atPath: dpkg.path), "dpkg is part of Debian")
        let versions = Array(Set(Self.ordered.flatMap { [$0.0, $0.1] })).sorted()
        for a in versions {
            for b in versions where a < b {
                let process = Process()
                process.executableURL = dpkg
                process.arguments = ["--compare-versions", a, "lt", b]
                try process.run()
                process.waitUntilExit()
                #expect(DebianVersion.less(a, b) == (process.terminationStatus == 0), "\(a) lt \(b) by dpkg")
            }
        }
    }
}
