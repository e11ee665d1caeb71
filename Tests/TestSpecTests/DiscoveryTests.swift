import Foundation
import Testing
@testable import TestSpec

@Suite struct DiscoveryTests {
    func tree() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        for file in ["testcases/basic/a.yaml", "testcases/basic/b.yml", "testcases/basic/README.md",
                     "testcases/retries/single_pod_retry.yaml", "testcases/retries/deep/x.YAML", "other/c.yaml",
                     "other/what?.yaml", "testcases/.hidden/h.yaml"] {
            try dir.write(file)
        }
        return dir
    }

    func resolve(_ dir: TemporaryDirectory, _ tests: String) throws -> [String] {
        try TestDiscovery(workingDirectory: dir.path, environment: ["HOME": dir.path, "SUITE": "basic"]).resolve(tests)
    }

    @Test func globsAreSortedDeduplicatedAndFilteredToYAML() throws {
        let dir = try tree()
        #expect(try resolve(dir, "testcases/basic/*") == ["testcases/basic/a.yaml", "testcases/basic/b.yml"])
        #expect(try resolve(dir, "testcases/**/*.yaml") == [
            "testcases/basic/a.yaml", "testcases/retries/single_pod_retry.yaml",
        ])
        #expect(try resolve(dir, "testcases/**/*.{yaml,yml,YAML}") == [
            "testcases/basic/a.yaml", "testcases/basic/b.yml", "testcases/retries/deep/x.YAML",
            "testcases/retries/single_pod_retry.yaml",
        ])
        #expect(try resolve(dir, "testcases/basic/[ab].*, testcases/basic/a.yaml,,") == [
            "testcases/basic/a.yaml", "testcases/basic/b.yml",
        ])
        #expect(try resolve(dir, "testcases/basic/[!a]*") == ["testcases/basic/b.yml"])
    }

    @Test func piecesFallBackToTheTestcasesDirectory() throws {
        let dir = try tree()
        #expect(try resolve(dir, "retries/single_pod_retry.yaml") == ["testcases/retries/single_pod_retry.yaml"])
        #expect(try resolve(dir, "retries/*.yaml,other/c.yaml") == [
            "other/c.yaml", "testcases/retries/single_pod_retry.yaml",
        ])
    }

    @Test func aDirectoryMeansEveryTestCaseBelowIt() throws {
        let dir = try tree()
        #expect(try resolve(dir, "retries") == ["testcases/retries/deep/x.YAML", "testcases/retries/single_pod_retry.yaml"])
    }

    @Test func questionMarkIsLiteralAndVariablesExpand() throws {
        let dir = try tree()
        #expect(try resolve(dir, "other/what?.yaml") == ["other/what?.yaml"])
        #expect(throws: TestDiscovery.Failure.self) { try resolve(dir, "other/c?yaml") }
        #expect(try resolve(dir, "testcases/$SUITE/a.yaml") == ["testcases/basic/a.yaml"])
        #expect(try resolve(dir, "testcases/$(SUITE)/a.yaml") == ["testcases/basic/a.yaml"])
        #expect(try resolve(dir, "~/other/c.yaml") == [dir.path + "/other/c.yaml"])
        #expect(try resolve(dir, dir.path + "/other/*.yaml") == [dir.path + "/other/c.yaml", dir.path + "/other/what?.yaml"])
    }

    @Test func symbolicLinkCyclesAreWalkedOnce() throws {
        let dir = try tree()
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/testcases/basic/loop", withDestinationPath: dir.path + "/testcases")
        #expect(try resolve(dir, "testcases/**/*.yaml") == ["testcases/basic/a.yaml", "testcases/retries/single_pod_retry.yaml"])
    }

    @Test func aPieceMatchingNothingIsAnError() throws {
        let dir = try tree()
        #expect(throws: TestDiscovery.Failure.noMatch(piece: "nope/*.yaml", tried: ["nope/*.yaml", "testcases/nope/*.yaml"])) {
            try resolve(dir, "testcases/basic/a.yaml,nope/*.yaml")
        }
        #expect(throws: TestDiscovery.Failure.noMatch(piece: "testcases/basic/README.md",
                                                      tried: ["testcases/basic/README.md", "testcases/testcases/basic/README.md"])) {
            try resolve(dir, "testcases/basic/README.md")
        }
        #expect(throws: TestDiscovery.Failure.noPatterns) { try resolve(dir, " , ") }
    }
}

@Suite struct GlobPatternTests {
    @Test func braceExpansion() {
        #expect(GlobPattern.expandBraces("a/{b,c}/*.{yaml,yml}") == ["a/b/*.yaml", "a/b/*.yml", "a/c/*.yaml", "a/c/*.yml"])
        #expect(GlobPattern.expandBraces("{a,{b,c}}") == ["a", "b", "c"])
        #expect(GlobPattern.expandBraces("x{") == ["x{"])
        #expect(GlobPattern.expandBraces("{}") == [""])
    }

    @Test(arguments: [
        ("*.yaml", "a.yaml", true), ("*.yaml", "a.yml", false), ("a*b*c", "aXXbYYc", true), ("a*b*c", "abca", false),
        ("[a-c]x", "bx", true), ("[a-c]x", "dx", false), ("[!a]x", "ax", false), ("[^a]x", "bx", true),
        ("a?b", "a?b", true), ("a?b", "axb", false), ("\\*", "*", true), ("[]]", "]", true), ("[", "[", true),
        ("*", "", true), ("", "", true), ("", "a", false),
    ])
    func segmentMatching(pattern: String, name: String, matches: Bool) {
        #expect(GlobPattern.matchSegment(pattern, name) == matches)
    }
}
