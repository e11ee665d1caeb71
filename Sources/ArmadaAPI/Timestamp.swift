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
