import Runner
import Testing

@Suite struct OneLineTests {
    @Test func foldsLineBreaksAndShortensInTheMiddle() {
        #expect(OneLine.fold("a\n\nb  c\t\r\nd\n") == "a b c d")
        #expect(OneLine.fold("  \n ") == "")
        let long = "start " + String(repeating: "x", count: 2000) + " the end"
        let folded = OneLine.fold(long, limit: 100)
        #expect(folded.count == 100 && folded.hasPrefix("start xx") && folded.hasSuffix("x the end") && folded.contains(" … "))
        #expect(OneLine.shorten("short", limit: 100) == "short")
    }

    @Test func asciiAndUnicodeTextFoldAsCharacterSplittingDoes() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "bc", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "x", "é", "\u{00A0}", "\u{2028}", "\u{85}", "日本"]
        for round in 0..<3000 {
            let asciiOnly = round % 2 == 0
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                asciiOnly ? pieces.prefix(10).randomElement(using: &rng)! : pieces.randomElement(using: &rng)!
            }.joined()
            #expect(OneLine.fold(text) == OneLine.shorten(text.split(whereSeparator: \.isWhitespace).joined(separator: " "), limit: 1000),
                    "\(text.debugDescription)")
        }
        #expect(OneLine.fold("already folded text") == "already folded text")
    }
}
