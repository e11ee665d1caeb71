import Foundation
import TestSpec
import Testing

@Suite struct ConcurrentLoadTests {
    @Test func manyFilesLoadInTheOrderGivenWithTheirOwnDiagnostics() async throws {
        let dir = try TemporaryDirectory()
        var files: [String] = []
        for i in 0..<41 {
            let text = i % 4 == 3 ? "name: bad-\(i)\nqueue: [\n" : "name: case-\(i)\nqueue: q\nnumBatches: 1\nbatchSize: 1\n\(jobYAML)\nexpectedEvents:\n  - submitted:\n"
            try dir.write("case_\(i).yaml", text)
            files.append(dir.path + "/case_\(i).yaml")
        }
        files.append(dir.path + "/missing.yaml")
        let loader = TestCaseLoader()
        let concurrent = await loader.load(files: files)
        let sequential = files.map { loader.load(file: $0) }
        #expect(concurrent.map(\.file) == files)
        #expect(concurrent.map { $0.testCase?.name } == sequential.map { $0.testCase?.name })
        #expect(concurrent.map { $0.diagnostics.map(\.description) } == sequential.map { $0.diagnostics.map(\.description) })
        #expect(concurrent.filter(\.isValid).count == 31)
    }
}
