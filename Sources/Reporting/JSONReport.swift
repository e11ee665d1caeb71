import ArmadaAPI
import Foundation
import Runner

/// The machine-readable report (`--json`): the run, every test with its status, timings, failure
/// detail and each job's event timeline (type, time, message id), and the benchmark figures
/// (transition latency percentiles) per test and for the run. Its shape is documented as a JSON
/// Schema in `docs/json-report.schema.json` (checked in the tests); `schemaVersion` changes when
/// a field changes meaning or goes away.
public struct JSONReport: Sendable {
    public static let schemaVersion = 1

    public var results: [TestResult]
    public var target: String
    /// `gRPC` or `REST` (empty when unknown).
    public var transport: String
    public var started: Date
    public var elapsed: Duration
    public var version: String
    /// `i/n` for one shard of the tests, else empty.
    public var shard: String

    public init(results: [TestResult], target: String, transport: String = "", started: Date, elapsed: Duration, version: String, shard: String = "") {
        self.shard = shard
        self.results = results
        self.target = target
        self.transport = transport
        self.started = started
        self.elapsed = elapsed
        self.version = version
    }

    public func value() -> JSONValue {
        var counts: [(String, JSONValue)] = [("tests", .int(results.count))]
        for status in TestResult.Status.allCases {
            counts.append((status.rawValue, .int(results.filter { $0.status == status }.count)))
        }
        return .obj([
            ("schemaVersion", .int(Self.schemaVersion)),
            ("tool", .string("armada-testsuite")),
            ("version", .string(version)),
            ("target", .string(target)),
            ("transport", .string(transport)),
            ("shard", .string(shard)),
            ("startedAt", .string(Self.time(started))),
            ("durationSeconds", .seconds(elapsed.seconds)),
            ("summary", .obj(counts)),
            ("benchmark", Self.benchmark(BenchmarkReport(results: results))),
            ("tests", .array(results.map(test))),
        ])
    }

    /// The report, credentials redacted (`Redaction`).
    public func render() -> String { Redaction.apply(value().prettyText) }

    public func write(to path: String) throws {
        try render().write(toFile: path, atomically: true, encoding: .utf8)
    }

    func test(_ r: TestResult) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(r.name)), ("file", .string(r.file)), ("folder", .string(r.folder)),
            ("status", .string(r.status.rawValue)),
        ]
        if !r.passed { members.append(("message", .string(r.outcome.message))) }
        members += [
            ("startedAt", .string(Self.time(r.started))), ("finishedAt", .string(Self.time(r.finished))),
            ("durationSeconds", .seconds(r.duration.seconds)),
            ("queue", .string(r.queue)), ("jobSet", .string(r.jobSetId)), ("policies", .array(r.policies.map(JSONValue.string))),
            ("eventsReceived", .int(r.eventsReceived)), ("streamReconnects", .int(r.reconnects)),
            ("benchmark", Self.benchmark(BenchmarkReport(latencies: r.latencies))),
            ("log", .array(r.log.map { .string(ConsoleStyle.strip($0)) })),
            ("warnings", .array(r.warnings.map { .string(ConsoleStyle.strip($0)) })),
            ("jobs", .array(r.jobs.map(Self.job))),
            ("runNotes", .array(r.runNotes.map { .string($0) })),
            ("kept", .array(r.kept.map { .string($0) })),
            ("attempts", .array(r.earlierAttempts.map { a in
                .obj([("status", .string(a.status.rawValue)), ("message", .string(a.message)), ("jobSet", .string(a.jobSetId)),
                      ("durationSeconds", .seconds(a.duration.seconds))])
            })),
        ]
        return .obj(members)
    }

    static func job(_ job: JobTimeline) -> JSONValue {
        let tally = job.tally
        let failures: [JSONValue] = tally.failures.map { f in
            var m: [(String, JSONValue)] = [("type", .string(f.label)), ("count", .int(f.count))]
            if let category = f.category { m.append(("category", .string(category))) }
            m.append(("reason", .string(f.reason)))
            return .obj(m)
        }
        return .obj([("jobId", .string(job.jobId)), ("runs", .int(tally.runs)),
                     ("eventCounts", .obj(tally.counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                     ("failures", .array(failures)), ("otherFailures", .int(tally.otherFailures)),
                     ("elidedEvents", .int(job.elided)), ("eventsBeforeGap", .int(job.elided > 0 ? job.keptHead : job.events.count)),
                     ("events", .array(job.events.map { e in
            var m: [(String, JSONValue)] = [("type", .string(e.type)), ("time", .string(time(e.time))),
                                            ("receivedAt", .string(time(e.received))), ("messageId", .string(e.messageId))]
            if let retryable = e.retryable { m.append(("retryable", .bool(retryable))) }
            if let category = e.category { m.append(("category", .string(category))) }
            if let reason = e.reason { m.append(("reason", .string(reason))) }
            if let subcategory = e.subcategory { m.append(("subcategory", .string(subcategory))) }
            if let exitCode = e.exitCode { m.append(("exitCode", .int(Int(exitCode)))) }
            if let node = e.node { m.append(("node", .string(node))) }
            return .obj(m)
        }))])
    }

    static func benchmark(_ report: BenchmarkReport) -> JSONValue {
        .obj(report.transitions.map { t, s in
            (t.key, .obj([("count", .int(s.count)), ("minSeconds", .seconds(s.min)), ("meanSeconds", .seconds(s.mean)),
                          ("p50Seconds", .seconds(s.p50)), ("p90Seconds", .seconds(s.p90)), ("p99Seconds", .seconds(s.p99)),
                          ("maxSeconds", .seconds(s.max))]))
        })
    }

    static let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func time(_ date: Date) -> String { iso.format(date) }
}

extension JSONValue {
    static func obj(_ members: [(String, JSONValue)]) -> JSONValue { .object(members.map { Member($0.0, $0.1) }) }
    static func int(_ n: Int) -> JSONValue { .number(String(n)) }
    /// Seconds with microsecond precision.
    static func seconds(_ s: Double) -> JSONValue { .number(String(format: "%.6f", s)) }
}
