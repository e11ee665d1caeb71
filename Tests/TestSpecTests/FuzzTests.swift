import Foundation
import Testing
@testable import TestSpec

/// The loader must never crash: truncated and randomly mutated inputs only ever produce diagnostics.
@Suite struct FuzzTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func corpus() throws -> [Data] {
        let files = try TestDiscovery(workingDirectory: repositoryRoot.path).resolve("testcases/**/*.yaml")
        return try files.map { try Data(contentsOf: URL(fileURLWithPath: repositoryRoot.path + "/" + $0)) }
    }

    func check(_ data: Data) {
        let r = TestCaseLoader().load(data: data, file: "fuzz.yaml")
        // Either valid, or at least one error; every diagnostic points into the file.
        #expect(r.isValid || !r.errors.isEmpty)
        for d in r.diagnostics { #expect(d.location.line >= 1 && d.location.column >= 1) }
    }

    @Test func truncatedInputs() throws {
        for data in try corpus() {
            var cut = 0
            while cut < data.count {
                check(data.prefix(cut))
                cut += max(1, data.count / 60)
            }
        }
    }

    @Test func mutatedInputs() throws {
        var rng = SplitMix64(state: 4804)
        let alphabet = Array("-:[]{}\"'&*!|>#%@`,? \n\t\\ab01".utf8)
        for data in try corpus() {
            for _ in 0..<40 {
                var bytes = [UInt8](data)
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: bytes[i] = alphabet.randomElement(using: &rng)!
                    case 1: bytes.remove(at: i)
                    case 2: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
                    default: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                    }
                    if bytes.isEmpty { break }
                }
                check(Data(bytes))
            }
        }
    }

    @Test func randomBytesAndPathologicalYAML() {
        var rng = SplitMix64(state: 5007)
        for _ in 0..<200 {
            check(Data((0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }))
        }
        check(Data((String(repeating: "[", count: 5000)).utf8))
        check(Data((String(repeating: "- ", count: 3000) + "x").utf8))
        // Aliases of aliases expand exponentially: the node budget must stop it.
        var laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { laughs += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let r = TestCaseLoader().load(text: laughs, file: "laughs.yaml")
        #expect(r.errors.first?.message.contains("expands to more than") == true)
    }

    @Test func deeplyNestedYAMLIsAnErrorWithAPosition() {
        let nested = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let result = TestCaseLoader().load(text: "name: deep\nqueue: q\nx: \(nested)\n", file: "deep.yaml")
        #expect(!result.isValid)
        #expect(result.errors.first?.description.hasPrefix("deep.yaml:3:") == true, "\(result.errors)")
    }

    @Test func aControlCharacterIsNamedAtItsLineAndColumn() {
        let result = TestCaseLoader().load(text: "name: t\nqueue: q\nx: \"éé bar\u{07}\"\n", file: "c.yaml")
        let error = result.errors.first
        #expect(error?.location.line == 3 && error?.location.column == 11, "\(result.errors)")
        #expect(error?.message == "control character U+0007 is not allowed in YAML")
    }
}
