import GoRegex
import Testing

/// Patterns Go's `regexp.Compile` accepts and rejects (Go 1.22+, `regexp/syntax` with Perl flags),
/// with the error code Go reports. Many of them Swift's `Regex` or PCRE treat the other way.
struct GoRegexSyntaxTests {
    static let accepted = [
        "", "a|b", "(?i)abc", "(?s).", "(?m)^a$", "(?U)a+", "(?i-s:x)", "(?i)(?-i)a", "(?:x)", "(?P<name>x)", "(?<name>x)",
        #"\pL"#, #"\PL"#, #"\p{Greek}"#, #"\p{^Greek}"#, #"\P{^Lu}"#, #"\p{Any}"#, #"\p{Han}+"#, #"\pN"#,
        "[[:alpha:]]", "[[:^space:]]", #"[\d\s]"#, #"[^\n]"#, "[]a]", "[^]a]", "[a-]", "[-a]", "[a-b-c]",
        "a{2,5}", "a{,5}", "a{", "a{2", "x{1000}", "x{01}", "(a{10}){100}", "a*?", "a+?", "a??", "a{2}?", "(a*)*", "^*",
        #"\Q.*+\E"#, #"\Qab"#, #"\x41"#, #"\x{1F600}"#, #"\x{D800}"#, #"\101"#, #"\0"#, #"\12"#, #"\."#, #"\_"#, #"\-"#,
        #"\A\z"#, #"\bfoo\B"#, "()", "(|a)", "a||b", #"\a\f\t\n\r\v"#, "é+",
        String(repeating: "(", count: 400) + String(repeating: ")", count: 400),
    ]

    @Test("Go accepts", arguments: accepted)
    func accepts(_ pattern: String) {
        #expect(GoRegex.problem(in: pattern) == nil, "\(pattern)")
    }

    static let rejected: [(String, GoRegexError.Code)] = [
        ("(?=a)", .invalidPerlOp), ("(?!a)", .invalidPerlOp), ("(?>a)", .invalidPerlOp), ("(?x)a", .invalidPerlOp),
        ("(?<=a)b", .invalidNamedCapture), ("(?<!a)b", .invalidNamedCapture), ("(?P<>a)", .invalidNamedCapture),
        ("(?P<a-b>x)", .invalidNamedCapture), ("(?P=name)", .invalidPerlOp), ("(?i-)x", .invalidPerlOp),
        ("(?-)x", .invalidPerlOp), ("(?i", .invalidPerlOp), ("(?#comment)", .invalidPerlOp),
        (#"(a)\1"#, .invalidEscape), (#"\8"#, .invalidEscape), (#"\Z"#, .invalidEscape), (#"\C"#, .invalidEscape),
        (#"\e"#, .invalidEscape), (#"\h"#, .invalidEscape), (#"\K"#, .invalidEscape), (#"[\b]"#, .invalidEscape),
        (#"\x4"#, .invalidEscape), (#"\xZZ"#, .invalidEscape), (#"\x{110000}"#, .invalidEscape), (#"\x{}"#, .invalidEscape),
        ("a++", .invalidRepeatOp), ("a*+", .invalidRepeatOp), ("a**", .invalidRepeatOp), ("a?+", .invalidRepeatOp),
        ("a{2}{3}", .invalidRepeatOp), ("a{2}*", .invalidRepeatOp), ("a*??", .invalidRepeatOp),
        ("x{1001}", .invalidRepeatSize), ("x{2,1}", .invalidRepeatSize), ("x{0,1001}", .invalidRepeatSize),
        ("(a{100}){100}", .invalidRepeatSize), ("x{99999999999}", .invalidRepeatSize),
        ("*a", .missingRepeatArgument), ("(*)", .missingRepeatArgument), ("a|*", .missingRepeatArgument),
        ("{2}", .missingRepeatArgument), ("(?i)*", .missingRepeatArgument),
        ("[a", .missingBracket), ("[]", .missingBracket), ("[^]", .missingBracket), (#"[a\"#, .trailingBackslash),
        ("[z-a]", .invalidCharRange), ("[[:foo:]]", .invalidCharRange), (#"\p{Foo}"#, .invalidCharRange),
        (#"\pX"#, .invalidCharRange), (#"\p{Alphabetic}"#, .invalidCharRange), (#"\p{greek}"#, .invalidCharRange),
        (#"\p{L"#, .invalidCharRange), (#"\p"#, .invalidCharRange),
        ("a)", .unexpectedParen), ("(a", .missingParen), ("((a)", .missingParen), (#"a\"#, .trailingBackslash),
        (String(repeating: "(", count: 1001) + String(repeating: ")", count: 1001), .nestingDepth),
    ]

    @Test("Go rejects, with Go's error code", arguments: rejected)
    func rejects(_ pattern: String, _ code: GoRegexError.Code) {
        let problem = GoRegex.problem(in: pattern)
        #expect(problem?.code == code, "\(pattern): \(problem.map(String.init(describing:)) ?? "accepted")")
    }

    @Test func errorsNameTheConstructAndSayWhatToDo() throws {
        #expect(GoRegex.problem(in: "a(?<=b)")?.description.contains("`(?<=b)`") == true)
        #expect(GoRegex.problem(in: "(?<=b)a")?.hint?.contains("look-behind") == true)
        #expect(GoRegex.problem(in: "ab++")?.description == "invalid nested repetition operator: `++`")
        #expect(GoRegex.problem(in: #"x\Z"#)?.hint?.contains(#"\z"#) == true)
        #expect(GoRegex.problem(in: #"(a)\1"#)?.hint?.contains("back-reference") == true)
        #expect(throws: GoRegexError(.invalidEscape, #"\Z"#)) { try GoRegex(#"\Z"#) }
    }
}
