/// A duration written in Go's `time.ParseDuration` syntax (`"100s"`, `"1m30s"`, `"1.5h"`, `"-2ms"`),
/// the form Armada's test-case files and configs use. Stored as whole nanoseconds, like Go.
public struct GoDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public static func seconds(_ s: Int64) -> GoDuration { GoDuration(nanoseconds: s * 1_000_000_000) }
    public static let zero = GoDuration(nanoseconds: 0)

    public var isZero: Bool { nanoseconds == 0 }
    public var seconds: Double { Double(nanoseconds) / 1e9 }
    public var duration: Duration { .nanoseconds(nanoseconds) }

    public static func < (a: GoDuration, b: GoDuration) -> Bool { a.nanoseconds < b.nanoseconds }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case missingUnit(String)
        case unknownUnit(String, in: String)
        case invalid(String)
        case overflow(String)

        public var description: String {
            switch self {
            case .empty: return "empty duration"
            case .missingUnit(let s): return "missing unit in duration \"\(s)\""
            case .unknownUnit(let u, let s): return "unknown unit \"\(u)\" in duration \"\(s)\""
            case .invalid(let s): return "invalid duration \"\(s)\""
            case .overflow(let s): return "duration \"\(s)\" is out of range"
            }
        }
    }

    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// Parses Go duration syntax: an optional sign and one or more decimal-number+unit pairs.
    /// `"0"` alone is accepted as Go does; any other number needs a unit.
    public init(parsing text: String) throws(ParseError) {
        var s = Substring(text)
        guard !s.isEmpty else { throw .empty }
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        if s == "0" { self.init(nanoseconds: 0); return }
        guard !s.isEmpty else { throw .invalid(text) }
        var total = 0.0
        while !s.isEmpty {
            let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                  let value = Double(number.hasPrefix(".") ? "0" + number : String(number)) else {
                throw .invalid(text)
            }
            s = s.dropFirst(number.count)
            let unitText = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard !unitText.isEmpty else { throw .missingUnit(text) }
            guard let unit = GoDuration.units.first(where: { $0.0 == unitText }) else {
                throw .unknownUnit(String(unitText), in: text)
            }
            s = s.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total < 9.223372036854775e18 else { throw .overflow(text) }
        let ns = Int64(total.rounded())
        self.init(nanoseconds: negative ? -ns : ns)
    }

    /// Go's `Duration.String()` form: `1h2m3.5s`, `1.5ms`, `0s`.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let ns = nanoseconds.magnitude
        var out: String
        if ns < 1_000 {
            out = "\(ns)ns"
        } else if ns < 1_000_000 {
            out = GoDuration.fraction(ns, 1_000) + "µs"
        } else if ns < 1_000_000_000 {
            out = GoDuration.fraction(ns, 1_000_000) + "ms"
        } else {
            let h = ns / 3_600_000_000_000
            let m = (ns / 60_000_000_000) % 60
            let rest = ns % 60_000_000_000
            out = ""
            if h > 0 { out += "\(h)h" }
            if h > 0 || m > 0 { out += "\(m)m" }
            out += GoDuration.fraction(rest, 1_000_000_000) + "s"
        }
        return negative ? "-" + out : out
    }

    private static func fraction(_ value: UInt64, _ unit: UInt64) -> String {
        let whole = value / unit
        var frac = value % unit
        guard frac > 0 else { return "\(whole)" }
        var digits = String(unit).count - 1
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        let fracText = String(frac)
        return "\(whole)." + String(repeating: "0", count: digits - fracText.count) + fracText
    }
}
