/// An event-stream message id, `<millis>:<seq>:<subIndex>:<last>`, ordered as the server
/// orders them; used to drop messages a reconnect delivered twice.
struct MessageID: Comparable, Sendable {
    let parts: [UInt64]

    init?(_ text: String) {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 4 else { return nil }
        var parts: [UInt64] = []
        for field in fields.prefix(3) {
            guard let n = UInt64(field) else { return nil }
            parts.append(n)
        }
        self.parts = parts
    }

    static func < (a: MessageID, b: MessageID) -> Bool { a.parts.lexicographicallyPrecedes(b.parts) }
}
