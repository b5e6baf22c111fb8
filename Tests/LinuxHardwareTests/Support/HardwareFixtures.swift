import ClassroomCore
import ClassroomTestSupport
import Foundation

/// Paths and runners shared by the hardware tests.
enum HardwareFixtures {
    /// `Tests/Fixtures` of this checkout.
    static let fixtures = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Fixtures")

    static func umockdevFile(_ name: String) -> URL { fixtures.appending(path: "umockdev/\(name).umockdev") }

    /// A system tool installed by scripts/install-deps.sh; fails the test clearly when missing.
    static func tool(_ name: String) throws -> URL {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let url = URL(filePath: "\(dir)/\(name)")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw TestSupportError("\(name) is missing: run 'bash scripts/install-deps.sh test'")
    }

    /// Runs the real `classroomd` with `arguments` under `umockdev-run` on the given device tree
    /// (nil: an empty simulated machine).
    static func classroomdUnderUmockdev(
        _ tree: String?, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> TestProcess.Output {
        let classroomd = try TestProcess.product("classroomd")
        var args: [String] = []
        if let tree { args += ["-d", umockdevFile(tree).path] }
        args += ["--", classroomd.path] + arguments
        return try TestProcess.run(try tool("umockdev-run"), args, environment: environment)
    }

    /// `classroomd inventory --json` on a simulated machine, decoded.
    static func inventory(_ tree: String?) throws -> HardwareInventory {
        let output = try classroomdUnderUmockdev(tree, ["inventory", "--json"])
        guard output.status == 0 else {
            throw TestSupportError("classroomd inventory exited \(output.status): \(output.stderr)")
        }
        return try JSONDecoder().decode(HardwareInventory.self, from: Data(output.stdout.utf8))
    }
}
