/// Text for places that hold one line (a JUnit `message` attribute, a summary row, a failure
/// reason in a listing): every run of white space (line breaks included) becomes one space, and a
/// text longer than the limit is shortened in the middle, so both its start and its end survive
/// (the end of a verdict says what was expected).
public enum OneLine {
    public static func fold(_ text: String, limit: Int = 1000) -> String {
        shorten(collapsingWhitespace(text), limit: limit)
    }

    /// Runs of whitespace as one space, none at either end. ASCII text is folded byte by byte (the
    /// runner folds the reason of every failed event: splitting by `Character` costs a Unicode
    /// property lookup per character); anything else by `Character.isWhitespace`.
    static func collapsingWhitespace(_ text: String) -> String {
        let ascii: String?? = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
            // Already folded (no whitespace but single spaces between words): the text itself.
            var folded = true
            for (i, b) in bytes.enumerated() {
                guard b < 0x80 else { return nil }
                if isSpace(b), b != 0x20 || i == 0 || i == bytes.count - 1 || isSpace(bytes[i + 1]) { folded = false }
            }
            if folded { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            for b in bytes {
                if isSpace(b) {
                    pendingSpace = true
                    continue
                }
                if pendingSpace, !out.isEmpty { out.append(0x20) }
                pendingSpace = false
                out.append(b)
            }
            return String(decoding: out, as: UTF8.self)
        }
        if case .some(.some(let folded)) = ascii { return folded }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `head … tail` when `text` has more than `limit` characters: two thirds of the room for the
    /// start, one third for the end.
    public static func shorten(_ text: String, limit: Int) -> String {
        let limit = max(limit, 8)
        guard text.utf8.count > limit, text.count > limit else { return text } // UTF-8 bytes ≥ characters

        let marker = " … "
        let room = limit - marker.count
        let tail = room / 3, head = room - tail
        return String(text.prefix(head)) + marker + String(text.suffix(tail))
    }
}
