import GoRegex
import Synchronization

/// Compiled user regexes (Go's `regexp` semantics) by pattern, so a pattern is compiled once per
/// process rather than once per pod or failure (the simulator checks one per run). The compiled
/// value is `Sendable`; matching runs outside the lock.
public enum RegexCache {
    private static let compiled = Mutex<[String: GoRegex?]>([:])

    /// The compiled pattern; nil when Go would not compile it.
    public static func regex(_ pattern: String) -> GoRegex? {
        compiled.withLock { cache in
            if let cached = cache[pattern] { return cached }
            let regex = try? GoRegex(pattern)
            if cache.count > 1000 { cache.removeAll() }
            cache[pattern] = regex
            return regex
        }
    }

    /// Whether `text` contains a match of `pattern`; nil when the pattern does not compile.
    public static func contains(_ pattern: String, in text: String) -> Bool? {
        regex(pattern)?.matches(text)
    }
}
