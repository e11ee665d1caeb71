import Testing
@testable import TestSpec

/// Every test case the project ships must validate, and the library covers the scenarios.
@Suite struct LibraryTests {
    func library() throws -> [TestCaseLoader.Result] {
        let files = try TestDiscovery(workingDirectory: repositoryRoot.path).resolve("testcases/**/*.yaml")
        return files.map { TestCaseLoader().load(file: repositoryRoot.path + "/" + $0) }
    }

    @Test func everyShippedTestCaseIsValidWithoutWarnings() throws {
        let results = try library()
        #expect(results.count >= 15)
        for r in results {
            #expect(r.diagnostics.isEmpty, "\(r.file): \(r.diagnostics.map(\.description))")
        }
    }

    @Test func seedScenarioIsFaithful() throws {
        let r = TestCaseLoader().load(file: repositoryRoot.path + "/testcases/retries/single_pod_retry.yaml")
        let t = try #require(r.testCase)
        #expect(t.expectedSequence == "submitted → leased → failed(retryable) → succeeded")
        let policy = try #require(t.retryPolicies.first)
        #expect(policy.retryLimit == 2 && policy.defaultAction == .fail)
        #expect(policy.rules.map(\.onConditions) == [["AppError"]] && policy.rules.map(\.action) == [.retry])
        let pod = try #require(t.jobs.first?.podSpec)
        let volume = pod["volumes"]?.arrayValue?.first
        #expect(volume?["downwardAPI"]?["items"]?.arrayValue?.first?["fieldRef"]?["fieldPath"]
            == .string("metadata.labels['armada_job_run_index']"))
        #expect(pod["containers"]?.arrayValue?.first?["volumeMounts"]?.arrayValue?.first?["mountPath"] == .string("/podinfo"))
    }

    @Test func libraryCoversTheFormat() throws {
        let cases = try library().compactMap(\.testCase)
        let actions = Set(cases.compactMap { $0.action?.key })
        #expect(actions.isSuperset(of: ["cancel", "cancelJobSet", "preempt", "reprioritize"]))
        #expect(cases.contains { $0.queueConfig != nil && $0.isPureQueueTest })
        #expect(cases.contains { $0.numBatches == 2 && $0.batchSize == 3 })
        #expect(cases.contains { if case .cancelJobSet(_, true)? = $0.action { true } else { false } })
        let rules = cases.flatMap(\.retryPolicies).flatMap(\.rules)
        #expect(rules.contains { $0.onExitCodes?.operator == .in } && rules.contains { $0.onExitCodes?.operator == .notIn })
        #expect(rules.contains { $0.onTerminationMessagePattern != nil })
        #expect(cases.contains { $0.jobs.contains { $0.annotations?["armadaproject.io/failFast"] == "true" } })
    }
}
