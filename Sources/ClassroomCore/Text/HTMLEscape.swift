/// Escaping of text placed into HTML or SVG markup (element content and quoted attribute values):
/// the agent's status page, `classroomctl`'s printable reports and the console's charts.
public enum HTMLEscape {
    /// `s` with `&`, `<`, `>`, `"` and `'` replaced by character references, so that any text, such
    /// as a school named `<script>`, shows as text.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
