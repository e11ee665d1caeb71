import Foundation
import Testing
@testable import TestSpec

/// Inputs that would exhaust memory are loader errors with a position (issue #14 item 4).
@Suite struct LoaderLimitTests {
    /// A 100 KB string referred to 10⁵ times through five levels of aliases: a 101 KB file that
    /// would expand to 10 GB.
    @Test func anAliasBombIsAnErrorNotAnExpansion() {
        var yaml = "name: bomb\nqueue: q\nbig: &l0 \"" + String(repeating: "x", count: 100_000) + "\"\n"
        for level in 1...5 {
            yaml += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(yaml.utf8.count < 102_000)
        let result = TestCaseLoader().load(text: yaml, file: "bomb.yaml")
        let error = result.errors.first
        #expect(error?.message.contains("aliases expand the document by more than 16 MiB of text") == true, "\(result.errors)")
        #expect(error?.message.contains("100000-byte value") == true)
        #expect(error?.location.line == 3)
    }

    @Test func aliasesWithinTheBudgetLoad() {
        // A 1 MB value used three times: within the budget, so only the unknown keys are reported.
        let yaml = "name: t\nqueue: q\na: &a \"\(String(repeating: "y", count: 1_000_000))\"\nb: [*a, *a, *a]\n"
        let result = TestCaseLoader().load(text: yaml, file: "t.yaml")
        #expect(!result.errors.contains { $0.message.contains("MiB") }, "\(result.errors)")
    }

    @Test func aHugeBatchIsALoaderErrorAtBatchSize() {
        let result = load("""
            name: huge
            queue: q
            numBatches: 2
            batchSize: 4294967295
            \(jobYAML)
            expectedEvents: [{submitted: }]
            """)
        #expect(errors(result) == ["4:1 this test case submits 1 job(s) × batchSize 4294967295 × numBatches 2 = 8589934590 jobs, "
                                   + "more than the 100000 one test case may submit"])
        #expect(result.errors.first?.hint == "lower batchSize or numBatches, or split the load over several test cases")
    }

    @Test func countsThatOverflowSaturateInsteadOfTrapping() throws {
        let result = load("""
            name: huge
            queue: q
            numBatches: 4294967295
            batchSize: 4294967295
            \(jobYAML)
            expectedEvents: [{submitted: }]
            """)
        #expect(errors(result).first?.contains("= more than 9223372036854775807 jobs") == true, "\(errors(result))")
        #expect(QueueSetup(numBatches: .max, batchSize: .max).queueCount == Int.max)
        #expect(SaturatingProduct.of(-3, Int.max) == Int.min && SaturatingProduct.of(-3, -4) == 12)
    }

    @Test func tooManyQueuesIsALoaderError() {
        let result = load("""
            name: queues
            queue: q
            queueConfig:
              setup:
                numBatches: 2
                batchSize: 600
            """)
        #expect(errors(result) == ["6:5 queueConfig creates 2 × 600 queues, more than the 1000 one test case may create"])
    }

    @Test func theLimitsAdmitTheirMaximum() {
        let result = load("""
            name: max
            queue: q
            numBatches: 4
            batchSize: 25000
            \(jobYAML)
            expectedEvents: [{submitted: }]
            """)
        #expect(result.isValid, "\(errors(result))")
    }
}
