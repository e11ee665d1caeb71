import GoRegex

/// Validates a user regex with Go's `regexp` grammar (RE2), as Armada compiles it.
public enum RegexCheck {
    /// `nil` when Go would compile the pattern, else Go's message and what to do instead
    /// (`invalid or unsupported Perl syntax: `(?=`; Go's regexp (RE2) has no look-ahead …`).
    public static func problem(in pattern: String) -> String? {
        guard let error = GoRegex.problem(in: pattern) else { return nil }
        return error.hint.map { "\(error); \($0)" } ?? error.description
    }
}
