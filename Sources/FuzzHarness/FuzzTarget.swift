import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Reporting
import RetryEngine
import Runner
import TestSpec

/// The parsers that take input from outside, each as a function of raw bytes that must return
/// (whatever the bytes) without trapping, hanging or exhausting memory (issue #14 item 8).
/// `armada-fuzz` feeds them from libFuzzer (`make fuzz`) or replays files; the tests replay the
/// seeds and every input that once crashed (`Fuzz/regressions/<target>/`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The test-case loader (YAML, aliases, every field decoder, validation).
    case loader
    /// The simulator's request decoders and handlers: the first byte picks the endpoint, the rest
    /// is its body (`SimRequestFuzzer`).
    case simRequests = "sim-requests"
    /// The client's event-stream path: NDJSON splitting in the chunks the input's first byte
    /// chooses, then the event-line scanner and JSON decoding of each line; the events (and a
    /// recorded tape's) through the recorder into the HTML report's run spans and page.
    case eventLines = "event-lines"
    /// The armadactl config reader and the simulator's config file.
    case configs
    /// Durations, Kubernetes quantities, the Go-regexp validator, pod-network addresses, the
    /// ingress probe's settings and the Kubernetes API's paths and label selectors, one input line each; and the whole input as an HTTP head (the
    /// simulator's ingress controller, the probe's status line).
    case scalars
    /// gRPC messages (protobuf bytes) through the wire conversions, and gRPC addresses (`GRPCMessageFuzzer`).
    case grpcMessages = "grpc-messages"
    /// OpenID input: bearer tokens (JWT parse and verify), JWKS documents, token endpoint answers (`TokenFuzzer`).
    case tokens

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .loader:
            _ = TestCaseLoader().load(data: Data(bytes), file: "fuzz.yaml")
        case .simRequests:
            SimRequestFuzzer.shared.run(bytes)
        case .eventLines:
            Self.eventLines(bytes)
            // A recorded tape (`--record`) is event lines behind a header line.
            if let tape = try? TapeReplay.parse(bytes, path: "fuzz.ndjson") {
                _ = (tape.events.count, tape.verdict, tape.header.jobIds)
                Self.report(tape.events)
            }
        case .configs:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? ArmadaConfigFile.parse(text, path: "fuzz.yaml")
            SimRequestFuzzer.simConfig(text)
        case .grpcMessages:
            GRPCMessageFuzzer.run(bytes)
        case .tokens:
            TokenFuzzer.run(bytes)
        case .scalars:
            _ = HTTPHead.end(bytes)
            _ = SimIngress.host(inHead: String(decoding: bytes, as: UTF8.self))
            let kube = KubeObjects(hostIP: "10.213.0.1")
            _ = try? PlainHTTPStatus.status(of: bytes)
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).prefix(64) {
                let text = String(line)
                if let duration = try? GoDuration(parsing: text) { _ = duration.duration }
                if let quantity = ResourceQuantity(text) { _ = quantity.value }
                if let subnet = IPv4Subnet(text) { _ = (subnet.size, subnet.block(1, prefix: 30), subnet.description) }
                if let shard = try? TestShard(parsing: text) { _ = (shard.contains(text), shard.description) }
                if let filter = try? TestFilter(skip: text, shard: text) { _ = filter.summary(filter.apply([text]) { $0 }, total: 1) }
                if let settings = try? IngressProbe.Settings.fromEnvironment(["ARMADA_EXECUTOR_INGRESS_URL": text, "ARMADA_EXECUTOR_INGRESS_PORT": text]) {
                    _ = IngressProbe(settings: settings).request(for: text)
                }
                _ = IngressProbe(settings: .init(useTLS: true)).request(for: text)
                _ = kube.respond(method: "GET", path: text, query: ["labelSelector": text])
                if RegexCheck.problem(in: text) == nil, text.utf8.count <= 256, let regex = RegexCache.regex(text) {
                    // Go semantics on any input: no trap on odd scalars. Matching is linear in text ×
                    // program, so long patterns (up to Go's 3.3 M instructions) are only compiled.
                    _ = regex.matches(text)
                    _ = regex.firstMatch(in: text + "\n" + text.uppercased())
                }
            }
        }
    }

    static func eventLines(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        let chunk = Int(first % 64) + 1
        var splitter = NDJSONSplitter(maxRecordBytes: 1 << 20)
        var lines: [ArraySlice<UInt8>] = []
        for start in stride(from: 0, to: body.count, by: chunk) {
            guard let records = try? splitter.feed(Array(body[start..<min(body.count, start + chunk)])) else { return }
            lines += records
        }
        if let last = splitter.finish() { lines.append(last) }
        var events: [EventStreamMessage] = []
        for line in lines {
            if let scanned = Array(line).withUnsafeBufferPointer({ EventStreamMessage.scanStreamLine($0) }) { events.append(scanned) }
            _ = try? JSONDecoder().decode(EventStreamMessage.self, from: Data(line))
        }
        report(events)
    }

    /// The decoded events, in any order a server could send, through the recorder (a short keep,
    /// so gaps happen), the run spans and the HTML report.
    static func report(_ events: [EventStreamMessage]) {
        guard !events.isEmpty else { return }
        var recorder = EventRecorder(jobIds: events.prefix(8).map(\.message.jobId), keep: 6)
        let t0 = Date(timeIntervalSince1970: 0)
        for e in events { recorder.record(e, received: t0) }
        let result = TestResult(name: "fuzz", file: "fuzz.yaml", outcome: .failed("fuzz"), jobs: recorder.jobs, latencies: recorder.latencies)
        _ = HTMLReport(results: [result], run: RunReports.Run(name: "fuzz", target: "fuzz", started: t0, elapsed: .zero, version: "0")).render()
    }
}
