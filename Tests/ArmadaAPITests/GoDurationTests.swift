import ArmadaAPI
import Testing

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("100s", Int64(100_000_000_000)),
        ("1m30s", Int64(90_000_000_000)),
        ("1.5h", Int64(5_400_000_000_000)),
        ("250ms", Int64(250_000_000)),
        ("2us", Int64(2_000)),
        ("3µs", Int64(3_000)),
        ("7ns", Int64(7)),
        ("0", Int64(0)),
        ("0s", Int64(0)),
        ("-2ms", Int64(-2_000_000)),
        ("+1s", Int64(1_000_000_000)),
        (".5s", Int64(500_000_000)),
        ("1h2m3s4ms", Int64(3_723_004_000_000)),
    ])
    func parsesGoSyntax(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration(parsing: text).nanoseconds == nanoseconds)
    }

    @Test func rejectsMalformedText() {
        #expect(throws: GoDuration.ParseError.missingUnit("100")) { try GoDuration(parsing: "100") }
        #expect(throws: GoDuration.ParseError.unknownUnit("d", in: "1d")) { try GoDuration(parsing: "1d") }
        #expect(throws: GoDuration.ParseError.empty) { try GoDuration(parsing: "") }
        #expect(throws: GoDuration.ParseError.invalid("s")) { try GoDuration(parsing: "s") }
        #expect(throws: GoDuration.ParseError.invalid("1..2s")) { try GoDuration(parsing: "1..2s") }
        #expect(throws: GoDuration.ParseError.invalid("-")) { try GoDuration(parsing: "-") }
        #expect(throws: GoDuration.ParseError.overflow("3000000h")) { try GoDuration(parsing: "3000000h") }
    }

    @Test(arguments: [
        (Int64(0), "0s"), (Int64(100_000_000_000), "1m40s"), (Int64(12_345_678_901), "12.345678901s"),
        (Int64(5_400_000_000_000), "1h30m0s"), (Int64(1_500_000), "1.5ms"), (Int64(2_000), "2µs"),
        (Int64(7), "7ns"), (Int64(-90_000_000_000), "-1m30s"),
    ])
    func printsLikeGo(nanoseconds: Int64, text: String) {
        #expect(GoDuration(nanoseconds: nanoseconds).description == text)
    }
}
