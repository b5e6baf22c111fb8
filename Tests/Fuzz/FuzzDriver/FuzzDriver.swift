#if canImport(Glibc)
    import Glibc
#endif

/// The one piece every fuzz target shares: libFuzzer's entry point and the `main` that starts it.
///
/// Built with `-sanitize=fuzzer -D FUZZING` (scripts/fuzz.sh) a target runs libFuzzer; in the normal
/// build it replays the files named on its command line once each (`FuzzWire crash-…` reproduces a
/// crash without the fuzzer).
public enum FuzzDriver {
    nonisolated(unsafe) static var check: ([UInt8]) -> Void = { _ in }

    /// Runs libFuzzer (or the replay) with `check` called on every input; never returns.
    public static func main(_ check: @escaping ([UInt8]) -> Void) -> Never {
        Self.check = check
        #if FUZZING
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOneInput($0, $1) })
        #else
            for path in CommandLine.arguments.dropFirst() {
                guard let bytes = read(path) else {
                    print("cannot read \(path)")
                    exit(2)
                }
                check(bytes)
                print("\(path): ok")
            }
            exit(0)
        #endif
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }
}

/// libFuzzer's entry: one input per call. A trap (or a failed `precondition` of a target) is a crash
/// that libFuzzer saves with its input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif
