import ClassroomCore
import FuzzDriver

/// The status page's request head parser and its `Host` check on hostile bytes.
@main enum FuzzStatusRequest {
    static let policy = LoopbackHostPolicy(port: 8471, extraNames: ["kiosk"])

    static func main() {
        FuzzDriver.main { bytes in
            guard let head = try? HTTPRequestHead.parse(bytes) else { return }
            precondition(head.target.hasPrefix("/") && (head.version == "HTTP/1.1" || head.version == "HTTP/1.0"))
            precondition(head.fields.count <= HTTPRequestHead.maximumFields)
            _ = head.path
            if let host = head.field("host"), policy.allows(host) {
                let name = host.lowercased().split(separator: ":").first.map(String.init) ?? ""
                precondition(
                    ["127.0.0.1", "localhost", "kiosk", "["].contains { name.hasPrefix($0) } && host.hasSuffix(":8471"),
                    "only loopback names with the page's port pass: \(host)")
            }
        }
    }
}
