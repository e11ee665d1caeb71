/// Compiles a user regex (RE2-style, as Armada's Go code uses) to report whether it is valid.
public enum RegexCheck {
    /// `nil` when the pattern compiles, else the compiler's message.
    public static func problem(in pattern: String) -> String? {
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
