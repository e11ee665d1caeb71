/// "Did you mean …?" for misspelt keys and names.
public enum Suggestions {
    /// The candidate closest to `word` by edit distance (case-insensitive), if it is close enough
    /// to be a likely typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased())
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(w, Array(candidate.lowercased()))
            if best == nil || d < best!.1 { best = (candidate, d) }
        }
        guard let (match, d) = best else { return nil }
        let limit = max(1, min(3, (max(w.count, match.count) + 2) / 4))
        if d <= limit { return match }
        // A prefix or an extension of a real key (`expectedEvent` / `expectedEventsList`).
        let lower = match.lowercased(), wl = word.lowercased()
        if wl.count >= 4, lower.hasPrefix(wl) || wl.hasPrefix(lower) { return match }
        return nil
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prevPrev = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(prev[j] + 1, current[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], prevPrev[j - 2] + 1)
                }
            }
            prevPrev = prev
            prev = current
        }
        return prev[b.count]
    }
}
