import ClassroomReports
import Hummingbird

/// CSV downloads of console tables, written by ``ClassroomReports/CSVTable`` (UTF-8 with BOM, Chinese
/// headers, formula-like text made inert), the writer `classroomctl`'s coverage CSV uses too.
enum ConsoleCSV {
    /// A download named `filename` (ASCII, e.g. `audit-2026-12-04.csv`).
    static func response(_ table: CSVTable, filename: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"",
                .cacheControl: "no-store",
            ], body: .init(byteBuffer: ByteBuffer(bytes: table.bytes())))
    }

    /// Whether the request asks for the CSV of the page (`?format=csv`).
    static func wanted(_ request: Request) -> Bool { request.uri.queryParameters["format"] == "csv" }
}
