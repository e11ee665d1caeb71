import Synchronization

/// Compiled user regexes by pattern, so a pattern is compiled once per process rather than once
/// per pod or failure (the simulator checks one per run). Matching happens under the lock, since
/// `Regex` is not `Sendable`; the matches are short.
public enum RegexCache {
    private static let compiled = Mutex<[String: Regex<AnyRegexOutput>?]>([:])

    /// Whether `text` contains a match of `pattern`; nil when the pattern does not compile.
    public static func contains(_ pattern: String, in text: String) -> Bool? {
        compiled.withLock { cache in
            let regex: Regex<AnyRegexOutput>?
            if let cached = cache[pattern] {
                regex = cached
            } else {
                regex = try? Regex(pattern)
                if cache.count > 1000 { cache.removeAll() }
                cache[pattern] = regex
            }
            return regex.map { text.contains($0) }
        }
    }
}
