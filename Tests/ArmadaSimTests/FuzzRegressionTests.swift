import Foundation
import FuzzHarness
import Testing

/// Every fuzz target replays its seeds and every input that once crashed (`Fuzz/regressions/`;
/// `make fuzz` prints how to add a new one) without trapping (issue #14 item 8).
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The seed and regression inputs of a target, with the repository files `make fuzz` seeds it with.
    static func inputs(_ target: FuzzTarget) -> [String] {
        var paths = ["Fuzz/seeds/\(target.rawValue)", "Fuzz/regressions/\(target.rawValue)"]
        if target == .loader { paths.append("testcases") }
        return paths.flatMap { FuzzInputs.files(at: root + "/" + $0) }
    }

    @Test(arguments: FuzzTarget.allCases) func seedsAndRegressionsReplay(_ target: FuzzTarget) {
        let files = Self.inputs(target)
        #expect(!files.isEmpty, "no inputs for \(target.rawValue)")
        for file in files {
            target.run(Array(FileManager.default.contents(atPath: file) ?? Data()))
        }
    }

    /// `make fuzz` (and so CI) runs every target by default: none is left out of scripts/fuzz.sh.
    @Test func theFuzzScriptRunsEveryTarget() throws {
        let script = try String(contentsOfFile: Self.root + "/scripts/fuzz.sh", encoding: .utf8)
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("targets=${FUZZ_TARGETS:-") })
        let listed = line.dropFirst("targets=${FUZZ_TARGETS:-".count).dropLast().split(separator: " ").map(String.init)
        #expect(Set(listed) == Set(FuzzTarget.allCases.map(\.rawValue)), "\(listed)")
    }

    /// The crashes #14 listed are kept as regressions of the targets that found their kind.
    @Test func theKnownCrashesAreRegressions() {
        let simulator = Set(FuzzInputs.files(at: Self.root + "/Fuzz/regressions/sim-requests").map { ($0 as NSString).lastPathComponent })
        #expect(simulator.isSuperset(of: ["reprioritize-1e19.bin", "cpu-1e19.bin", "memory-huge.bin", "deadline-1e300.bin",
                                          "faults-1e10.bin", "deep-nesting.bin"]))
        let loader = Set(FuzzInputs.files(at: Self.root + "/Fuzz/regressions/loader").map { ($0 as NSString).lastPathComponent })
        #expect(loader.isSuperset(of: ["alias-bomb.yaml", "huge-batch.yaml", "deep-nesting.yaml"]))
    }
}
