import ArmadaAPI
import Runner

/// ANSI styling for the console, or none: colour only on a terminal, and never with `NO_COLOR`
/// set (https://no-color.org) or `--no-color`.
public struct ConsoleStyle: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    /// The style for standard output given whether it is a terminal, the environment and the flag.
    public static func detect(isTTY: Bool, environment: [String: String], noColorFlag: Bool) -> ConsoleStyle {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        return ConsoleStyle(color: isTTY && !noColor && !noColorFlag && !dumb)
    }

    func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    public func bold(_ text: String) -> String { paint(text, "1") }
    public func dim(_ text: String) -> String { paint(text, "2") }

    /// The status label in its colour: green pass, red failure, yellow error/timeout, grey skipped.
    public func status(_ status: TestResult.Status) -> String {
        switch status {
        case .passed: paint(status.label, "32")
        case .flaky: paint(status.label, "35")
        case .failed: paint(status.label, "31")
        case .timedOut, .error, .interrupted, .invalid: paint(status.label, "33")
        case .skipped: paint(status.label, "90")
        }
    }

    /// Text from outside (test names, server reasons, pod termination messages) made safe for a
    /// terminal: every control character but newline and tab (ESC, BEL, CR, the C1 controls, DEL)
    /// is shown as `\x1b`-style text, so nothing can move the cursor, retitle or clear the screen;
    /// then credentials are redacted. Always applied, colour or not.
    public static func printable(_ text: String) -> String {
        let safe: String
        if text.unicodeScalars.contains(where: isControl) {
            var out = ""
            for u in text.unicodeScalars {
                if isControl(u) {
                    out += "\\x" + String(u.value, radix: 16).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
            safe = out
        } else {
            safe = text
        }
        return Redaction.apply(safe)
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x20 && u != "\n" && u != "\t") || (0x7F...0x9F).contains(u.value)
    }

    /// Removes ANSI escape sequences (CSI and OSC), for reports that must hold plain text.
    public static func strip(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let u = scalars.next() {
            guard u == "\u{1B}" else { out.append(u); continue }
            guard let kind = scalars.next() else { break }
            if kind == "[" { // CSI: parameters, then a final byte in 0x40...0x7E
                while let c = scalars.next(), !(0x40...0x7E).contains(c.value) {}
            } else if kind == "]" { // OSC: until BEL or ESC \
                while let c = scalars.next(), c != "\u{07}", c != "\u{1B}" {}
            }
        }
        return String(out)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
