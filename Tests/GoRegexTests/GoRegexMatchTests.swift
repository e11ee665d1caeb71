import GoRegex
import Testing

/// What Go's `regexp.MatchString` and `FindString` answer, where Swift's `Regex` answers otherwise
/// (grapheme clusters, Unicode `\d`, `$` before a final newline, full case folding).
struct GoRegexMatchTests {
    static let matches: [(String, String, Bool)] = [
        ("abc", "xxabcxx", true), ("^abc$", "abc", true), ("^abc$", "xabc", false),
        // . and newlines, anchors
        (".", "\n", false), ("(?s).", "\n", true), ("a$", "a\n", false), ("^b", "a\nb", false), ("(?m)^b$", "a\nb\nc", true),
        (#"\Aa\z"#, "a", true), (#"a\z"#, "a\n", false),
        // ASCII Perl classes and word boundaries
        (#"\d"#, "٣", false), (#"\d"#, "7", true), (#"\w"#, "é", false), (#"\s"#, "\u{00A0}", false), (#"\s"#, "\u{0B}", false),
        (#"\bfoo\b"#, "éfooé", true), (#"\Bfoo"#, "afoo", true),
        // Unicode classes, POSIX classes
        (#"\pL"#, "é", true), (#"\pL"#, "1", false), (#"\p{Greek}"#, "α", true), (#"\p{Greek}"#, "a", false),
        (#"\P{Greek}"#, "a", true), (#"\p{^Greek}"#, "α", false), (#"\p{Lu}"#, "É", true), (#"\p{Han}"#, "漢", true),
        ("[[:alpha:]]", "é", false), ("[[:alpha:]]", "z", true), ("[[:^alpha:]]", "z", false), ("[^a]", "\n", true),
        ("[]a]", "]", true), ("[a-]", "-", true),
        // case folding: simple folds only, Kelvin sign and final sigma included
        ("(?i)k", "\u{212A}", true), ("(?i)[k]", "\u{212A}", true), (#"(?i)[\x{212A}]"#, "K", true),
        ("(?i)σ", "ς", true), ("(?i)Σ", "σ", true), ("(?i)straße", "STRASSE", false), ("(?i)abc", "xABCx", true),
        ("(?i)[[:upper:]]", "a", true), ("(?i)[^k]", "K", false), ("(?i:a)b", "AB", false), ("(?i:a)b", "Ab", true),
        // code points, not grapheme clusters
        ("é", "e\u{301}", false), ("e.", "e\u{301}", true), ("^.$", "\u{1F600}", true), (#"\x{1F600}"#, "😀", true),
        // escapes and literals
        (#"\Q.*\E"#, "a.*b", true), (#"\Q.*\E"#, "ab", false), (#"\101"#, "A", true), (#"\x2e"#, ".", true),
        (#"\x{D800}"#, "\u{FFFD}", false), ("a{,2}", "a{,2}", true), ("a{", "a{", true),
        // repetition
        ("^a{2,3}$", "aaaa", false), ("^a{2,3}$", "aaa", true), ("^(ab)*$", "ababab", true), ("^(a|b)+$", "", false),
        ("x*", "", true), ("", "anything", true), ("^(a*)*$", "aaaa", true), ("^(?:a?){3}a{3}$", "aaa", true),
    ]

    @Test("MatchString", arguments: matches)
    func match(_ pattern: String, _ text: String, _ expected: Bool) throws {
        let regex = try GoRegex(pattern)
        #expect(regex.matches(text) == expected, "\(pattern) on \(text.debugDescription)")
    }

    static let leftmostFirst: [(String, String, String?)] = [
        ("a|ab", "ab", "a"), ("ab|a", "ab", "ab"), ("(?U)a+", "aaa", "a"), ("a+?", "aaa", "a"), ("a+", "baaab", "aaa"),
        ("(a|ab)(c|bcd)", "abcd", "abcd"), ("a*", "baaa", ""), ("b|a+", "aab", "aa"), (#"\d+"#, "x123y45", "123"),
        ("(?i)hello", "say HeLLo", "HeLLo"), ("x", "abc", nil), ("a.c", "a\u{1F600}c", "a\u{1F600}c"),
    ]

    @Test("FindString is leftmost-first", arguments: leftmostFirst)
    func find(_ pattern: String, _ text: String, _ expected: String?) throws {
        let regex = try GoRegex(pattern)
        #expect(regex.firstMatch(in: text).map(String.init) == expected, "\(pattern) on \(text.debugDescription)")
    }

    @Test func matchingIsLinearWherePCREBacktracksExponentially() throws {
        let text = String(repeating: "a", count: 20_000)
        #expect(try GoRegex("(a*)*b").matches(text) == false)
        #expect(try GoRegex("^(a|aa)+$").matches(text + "!") == false)
        #expect(try GoRegex("(x+x+)+y").matches(String(repeating: "x", count: 5_000)) == false)
    }
}
