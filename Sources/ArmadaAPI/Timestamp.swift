import Foundation

/// `google.protobuf.Timestamp` as the gateway writes it: `{"seconds": …, "nanos": …}` (nanos
/// omitted when 0). Reading also accepts an RFC 3339 string, the form used before July 2024.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    public var seconds: Int64
    public var nanos: Int32

    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public init(_ date: Date) {
        let t = date.timeIntervalSince1970
        let s = t.rounded(.down)
        self.init(seconds: Int64(s), nanos: Int32(((t - s) * 1e9).rounded()).clamped(to: 0...999_999_999))
    }

    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9) }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { (a.seconds, a.nanos) < (b.seconds, b.nanos) }

    private enum CodingKeys: String, CodingKey { case seconds, nanos }

    public init(from decoder: any Decoder) throws {
        if let c = try? decoder.container(keyedBy: CodingKeys.self) {
            self.init(seconds: c.lenientInteger(.seconds), nanos: c.lenientInteger(.nanos))
            return
        }
        let single = try decoder.singleValueContainer()
        let text = try single.decode(String.self)
        if let exact = Timestamp(rfc3339: text) {
            self = exact
            return
        }
        guard let date = Timestamp.parseRFC3339(text) else {
            throw DecodingError.dataCorruptedError(in: single, debugDescription: "not an RFC 3339 timestamp: \(text)")
        }
        self.init(date)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNonZero(seconds, forKey: .seconds)
        try c.encodeNonZero(nanos, forKey: .nanos)
    }

    static func parseRFC3339(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let d = plain.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = fractional.date(from: text) { return d }
        // Nanosecond precision (Go's RFC3339Nano): keep milliseconds.
        guard let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." })
        else { return nil }
        let digits = text[text.index(after: dot)..<end]
        guard digits.count > 3 else { return nil }
        return fractional.date(from: String(text[..<dot]) + "." + digits.prefix(3) + text[end...])
    }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}

extension Timestamp {
    /// Parses `2026-12-01T23:16:07.123456789Z` or with a `±hh:mm` offset, at full precision and
    /// without a formatter (the gateway writes every event's `created` this way).
    public init?(rfc3339 text: String) {
        var utf8 = Array(text.utf8)
        guard utf8.count >= 20 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                let d = Int(utf8[i]) - 48
                guard (0...9).contains(d) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let year = number(0, 4), utf8[4] == UInt8(ascii: "-"), let month = number(5, 2), utf8[7] == UInt8(ascii: "-"),
              let day = number(8, 2), utf8[10] | 0x20 == UInt8(ascii: "t"), let hour = number(11, 2), utf8[13] == UInt8(ascii: ":"),
              let minute = number(14, 2), utf8[16] == UInt8(ascii: ":"), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var nanos = 0
        if utf8[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < utf8.count, (48...57).contains(utf8[i]) {
                if digits < 9 { nanos = nanos * 10 + Int(utf8[i]) - 48 }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 { for _ in digits..<9 { nanos *= 10 } }
        }
        guard i < utf8.count else { return nil }
        var offset = 0
        if utf8[i] | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if utf8[i] == UInt8(ascii: "+") || utf8[i] == UInt8(ascii: "-") {
            guard i + 6 == utf8.count, let h = number(i + 1, 2), utf8[i + 3] == UInt8(ascii: ":"), let m = number(i + 4, 2) else { return nil }
            offset = (h * 3600 + m * 60) * (utf8[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == utf8.count else { return nil }
        utf8 = []
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        self.init(seconds: Int64(days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset), nanos: Int32(nanos))
    }
}
