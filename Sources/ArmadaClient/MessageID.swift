/// An event-stream message id, `<millis>:<seq>:<subIndex>:<last>`, ordered as the server
/// orders them; used to drop messages a reconnect delivered twice.
struct MessageID: Comparable, Sendable {
    let millis: UInt64, seq: UInt64, sub: UInt64

    /// Parses without allocating; nil unless there are four `:`-separated fields, the first three numbers.
    init?(_ text: String) {
        var fields: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var field = 0
        var value: UInt64 = 0
        var digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ":") {
                guard field < 3, digits > 0 else { return nil }
                switch field {
                case 0: fields.0 = value
                case 1: fields.1 = value
                default: fields.2 = value
                }
                field += 1
                value = 0
                digits = 0
            } else if field < 3 {
                guard (48...57).contains(byte) else { return nil }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(byte - 48))
                guard !o1, !o2 else { return nil }
                value = a
                digits += 1
            }
        }
        guard field == 3 else { return nil }
        (millis, seq, sub) = fields
    }

    static func < (a: MessageID, b: MessageID) -> Bool { (a.millis, a.seq, a.sub) < (b.millis, b.seq, b.sub) }
}
