import Foundation
import TestFixtures
import Testing

/// `test --sim-time-scale`: the embedded simulator's own waits run scaled (0.01 by default), so an
/// image-pull failure's 90 s grace takes about a second; the banner says so; the option is refused
/// where it cannot apply.
@Suite struct CLITimeScaleTests {
    static let pullFailure = """
        name: image-pull-failure
        queue: e2e-test-queue
        numBatches: 1
        batchSize: 1
        timeout: "300s"
        jobs:
          - namespace: personal-anonymous
            podSpec:
              restartPolicy: Never
              containers:
                - name: pull
                  image: some-non-existing-image:1.2.3
                  command: ["true"]
                  resources: {requests: {cpu: 100m, memory: 25Mi}, limits: {cpu: 100m, memory: 25Mi}}
        expectedEvents: [{submitted: }, {pending: }, {failed: }]
        """

    /// Seconds from the job's `pending` to its `failed`, by the server's timestamps in the JSON report.
    func graceSeconds(_ report: String) throws -> Double {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        let test = try #require((json["tests"] as? [[String: Any]])?.first)
        let events = try #require(((test["jobs"] as? [[String: Any]])?.first?["events"]) as? [[String: Any]])
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func time(_ type: String) throws -> Date {
            try #require(events.first { $0["type"] as? String == type }.flatMap { ($0["time"] as? String).flatMap(formatter.date(from:)) })
        }
        return try time("failed").timeIntervalSince(try time("pending"))
    }

    @Test(.timeLimit(.minutes(2))) func theImagePullGraceRunsScaled() async throws {
        let dir = try CLIVerdictTests.Scratch()
        let file = try dir.write("pull.yaml", Self.pullFailure)
        let fast = try await CLIVerdictTests().run(["test", "--sim-runtime", "model", "--json", "fast.json", file], in: dir)
        #expect(fast.status == 0, "\(fast.stdout)\(fast.stderr)")
        #expect(fast.stdout.contains("time scale 0.01: the simulator's own waits (scheduling, lease and step times, the 90 s "
            + "image-pull grace) run scaled (100× faster), modelled pod durations scale too; --sim-time-scale 1 for real timings"))
        let grace = try graceSeconds(try dir.read("fast.json"))
        #expect(grace >= 0.85 && grace < 30, "90 s × 0.01 ≈ 0.9 s, got \(grace)")
        let slower = try await CLIVerdictTests().run(["test", "--sim-runtime", "model", "--sim-time-scale", "0.03", "--json", "slow.json", file], in: dir)
        #expect(slower.status == 0 && slower.stdout.contains("time scale 0.03"), "\(slower.stdout)\(slower.stderr)")
        #expect(try graceSeconds(try dir.read("slow.json")) >= 2.6)
    }

    @Test func refusedWhereItCannotApply() async throws {
        let dir = try CLIVerdictTests.Scratch()
        let target = try await CLIVerdictTests().run(["test", "--grpc-url", "127.0.0.1:9", "--sim-time-scale", "1", "basic/success.yaml"], in: dir)
        #expect(target.status == 2 && target.stderr.contains("--sim-time-scale applies to the embedded simulator, but the run targets "
            + "grpc://127.0.0.1:9 (--grpc-url); drop it, or add --embedded"), "\(target.stderr)")
        let negative = try await CLIVerdictTests().run(["test", "--sim-time-scale=-1", "basic/success.yaml"], in: dir)
        #expect(negative.status == 2 && negative.stderr.contains("--sim-time-scale -1.0 is not a scale"), "\(negative.stderr)")
    }
}
