/// Why a pattern does not compile, in the words of Go's `regexp/syntax` (`error parsing regexp:
/// invalid or unsupported Perl syntax: `(?=``), so a message here reads like the one Armada logs.
public struct GoRegexError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case invalidCharClass = "invalid character class"
        case invalidCharRange = "invalid character class range"
        case invalidEscape = "invalid escape sequence"
        case invalidNamedCapture = "invalid named capture"
        case invalidPerlOp = "invalid or unsupported Perl syntax"
        case invalidRepeatOp = "invalid nested repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case missingRepeatArgument = "missing argument to repetition operator"
        case trailingBackslash = "trailing backslash at end of expression"
        case unexpectedParen = "unexpected )"
        case nestingDepth = "expression nests too deeply"
        case large = "expression too large"
    }

    public var code: Code
    /// The offending part of the pattern (`(?=`, `\Z`, `a**`).
    public var expr: String

    public init(_ code: Code, _ expr: String) {
        self.code = code
        self.expr = expr
    }

    /// `invalid or unsupported Perl syntax: `(?<=`` (Go's text without its "error parsing regexp" prefix).
    public var description: String { expr.isEmpty ? code.rawValue : "\(code.rawValue): `\(expr)`" }

    /// What RE2 does instead, for the constructs people bring from PCRE, Java or Swift.
    public var hint: String? {
        switch code {
        case .invalidPerlOp where expr.hasPrefix("(?=") || expr.hasPrefix("(?!"),
             .invalidNamedCapture where expr.hasPrefix("(?<=") || expr.hasPrefix("(?<!"):
            return "Go's regexp (RE2) has no look-ahead or look-behind; match the text itself or use two patterns"
        case .invalidPerlOp where expr.hasPrefix("(?>"):
            return "Go's regexp (RE2) has no atomic groups; a plain group (?:…) matches the same text"
        case .invalidRepeatOp:
            return "Go's regexp (RE2) has no possessive quantifiers (a++, a*+); drop the second operator"
        case .invalidEscape where expr.count == 2 && expr.last!.isNumber:
            return "Go's regexp (RE2) has no back-references"
        case .invalidEscape where expr == "\\Z":
            return "use \\z (end of text); RE2 has no \\Z"
        case .invalidRepeatSize:
            return "RE2 allows at most 1000 repetitions, also when counted repeats nest"
        default:
            return nil
        }
    }
}
