/// Text for places that hold one line (a JUnit `message` attribute, a summary row, a failure
/// reason in a listing): every run of white space (line breaks included) becomes one space, and a
/// text longer than the limit is shortened in the middle, so both its start and its end survive
/// (the end of a verdict says what was expected).
public enum OneLine {
    public static func fold(_ text: String, limit: Int = 1000) -> String {
        shorten(text.split(whereSeparator: \.isWhitespace).joined(separator: " "), limit: limit)
    }

    /// `head … tail` when `text` has more than `limit` characters: two thirds of the room for the
    /// start, one third for the end.
    public static func shorten(_ text: String, limit: Int) -> String {
        let limit = max(limit, 8)
        guard text.count > limit else { return text }
        let marker = " … "
        let room = limit - marker.count
        let tail = room / 3, head = room - tail
        return String(text.prefix(head)) + marker + String(text.suffix(tail))
    }
}
