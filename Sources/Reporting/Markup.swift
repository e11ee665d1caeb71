/// Text made safe for XML and HTML (the JUnit and HTML reports): ANSI escapes and the control
/// characters XML 1.0 cannot carry removed, markup characters escaped.
public enum Markup {
    /// Plain text XML 1.0 can carry: ANSI escapes removed, then every control character except
    /// newline, carriage return and tab dropped, and the non-characters U+FFFE/U+FFFF too.
    public static func legal(_ s: String) -> String {
        String(String.UnicodeScalarView(ConsoleStyle.strip(s).unicodeScalars.filter { u in
            !((u.value < 0x20 && u != "\n" && u != "\r" && u != "\t") || u.value == 0x7F || u.value == 0xFFFE || u.value == 0xFFFF)
        }))
    }

    /// Element content: `&`, `<` and `>` escaped.
    public static func text(_ s: String) -> String {
        legal(s).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// An attribute value with its double quotes; line breaks and tabs as character references.
    public static func attr(_ s: String) -> String {
        "\"" + text(s).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\n", with: "&#10;")
            .replacingOccurrences(of: "\r", with: "&#13;").replacingOccurrences(of: "\t", with: "&#9;") + "\""
    }

    /// CDATA, with `]]>` split across sections.
    public static func cdata(_ s: String) -> String {
        "<![CDATA[" + legal(s).replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }
}
