import Foundation
import Reporting
import Runner
import Testing
import TestSpec

/// Text from outside never drives the terminal of whoever runs the suite.
@Suite struct TerminalSafetyTests {
    static let hostile = "evil\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[H\r\u{9B}31m\u{7F}"

    @Test func controlCharactersAreShownNotSent() {
        let out = ConsoleStyle.printable(Self.hostile + "\nsecond\tline")
        #expect(out == #"evil\x1b]0;pwned\x07\x1b[2J\x1b[H\x0d\x9b31m\x7f"# + "\nsecond\tline")
        #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
    }

    @Test func theConsoleTheSummaryAndTheListingEscapeNamesReasonsAndMessages() {
        let result = TestResult(name: Self.hostile, file: "t.yaml", outcome: .failed("pod said \(Self.hostile)"), log: ["log \(Self.hostile)"],
                                jobs: [JobTimeline(jobId: "j", events: [TimelineEntry(type: "failed", time: Date(), received: Date(), messageId: "1",
                                                                                      retryable: false, reason: Self.hostile)])])
        let capture = ConsoleTests.Capture()
        let console = ConsoleReporter(options: .init(style: ConsoleStyle(color: true)), total: 1, write: capture.write)
        console.testStarted(TestCase(file: "t.yaml", fileName: "t", name: Self.hostile), index: 0)
        console.testFinished(result, index: 0)
        let summary = RunSummary(results: [result], style: ConsoleStyle(color: true)).render()
        let listing = ConsoleStyle.printable(TestListing(testCases: [TestCase(file: "t.yaml", fileName: "t", name: Self.hostile)]).render())
        for text in [capture.value, summary, listing] {
            // Our own colour codes start with ESC [ and a digit; nothing else may.
            let stripped = ConsoleStyle.strip(text)
            #expect(!stripped.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "\(text)")
            #expect(!text.contains("\u{1B}]") && !text.contains("\u{07}") && !text.contains("\u{1B}[2J"), "\(text)")
            #expect(text.contains(#"evil\x1b]0;pwned\x07"#))
        }
    }
}
