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
}
