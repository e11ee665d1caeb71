import ArmadaAPI
import Foundation
import Testing

/// The direct writer must produce what the `Encodable` path produces.
@Suite struct EventWritingTests {
    static let words = ["", "a", "job-\"quoted\"", "tab\there", "ünïcødé ✓", "😀", "back\\slash", "<html>&'", "line\nbreak\r",
                        "\u{01}\u{1F}ctl", "sep\u{2028}ara\u{2029}tors \"x\u{2028}\""]

    static func random(_ i: Int, _ rng: inout some RandomNumberGenerator) -> EventStreamMessage {
        let type = EventType.allCases[i % EventType.allCases.count]
        var m = EventMessage(type, jobId: words[i % words.count] + "\(i)", jobSetId: words.randomElement(using: &rng)!, queue: "q",
                             created: i % 5 == 0 ? nil : Timestamp(seconds: Int64.random(in: -5...2_000_000_000, using: &rng),
                                                                   nanos: Int32.random(in: 0...3, using: &rng) * 333_333_333))
        m.reason = words.randomElement(using: &rng)!
        m.clusterId = words.randomElement(using: &rng)!
        m.nodeName = words.randomElement(using: &rng)!
        m.podNumber = Int32.random(in: -2...2, using: &rng)
        m.podName = words.randomElement(using: &rng)!
        m.podNamespace = words.randomElement(using: &rng)!
        m.pool = words.randomElement(using: &rng)!
        m.kubernetesId = words.randomElement(using: &rng)!
        m.retryable = Bool.random(using: &rng)
        m.runAttempted = Bool.random(using: &rng)
        m.failureCategory = words.randomElement(using: &rng)!
        m.failureSubcategory = words.randomElement(using: &rng)!
        m.cause = Cause.allCases.randomElement(using: &rng)!
        m.exitCodes = i % 3 == 0 ? [:] : ["c": Int32.random(in: -200...200, using: &rng)]
        m.containerStatuses = (0..<(i % 3)).map { ContainerStatus(name: words[$0 + 1], exitCode: Int32($0), message: words[$0 + 3],
                                                                  reason: words[$0], cause: Cause.allCases[(i + $0) % 5]) }
        m.newPriority = [0, 1, 2.5, -3, 1e20, 0.1].randomElement(using: &rng)!
        m.requestor = words.randomElement(using: &rng)!
        m.runId = words.randomElement(using: &rng)!
        m.preemptingJobId = words.randomElement(using: &rng)!
        m.preemptiveRunId = words.randomElement(using: &rng)!
        m.maxResourcesForPeriod = i % 2 == 0 ? ["cpu": "100m"] : [:]
        m.avgResourcesForPeriod = ["memory": words.randomElement(using: &rng)!]
        m.totalCumulativeUsage = i % 4 == 0 ? ["cpu": "1"] : [:]
        m.ingressAddresses = i % 2 == 1 ? ["8080": "10.0.0.1"] : [:]
        if type == .submitted {
            let word = words[i % words.count]
            m.job = Job(id: "j\(i)", clientId: i % 2 == 0 ? "" : word, queue: "q", jobSetId: "s", namespace: "default",
                        labels: i % 3 == 0 ? [:] : ["app": word], annotations: i % 4 == 0 ? ["k": word] : [:], owner: word,
                        queueOwnershipUserGroups: i % 2 == 0 ? ["everyone"] : [], priority: [0, 1, 2.5, 1e20][i % 4],
                        podSpec: i % 7 == 0 ? nil : .object([
                            .init("containers", .array([.object([.init("name", .string(word)), .init("tty", .bool(i % 2 == 0)),
                                                                 .init("x", .null), .init("n", .number(String(i - 50)))])])),
                        ]),
                        podSpecs: i % 5 == 0 ? [.object([.init("a", .array([]))])] : [],
                        schedulingResourceRequirements: i % 3 == 1 ? .object([.init("requests", .object([.init("cpu", .string("1"))]))]) : nil,
                        created: i % 2 == 0 ? m.created : nil,
                        k8sIngress: i % 6 == 0 ? [.object([])] : [], k8sService: i % 6 == 3 ? [.string(word)] : [])
        }
        return EventStreamMessage(id: "\(i):0:0:1", message: m)
    }

    @Test func randomEventsWriteAsTheyEncode() throws {
        var rng = SystemRandomNumberGenerator()
        for i in 0..<3000 {
            let message = Self.random(i, &rng)
            let expected = #"{"result":"# + (try JSONValueEncoder().encode(message)).jsonText + "}\n"
            let got = String(decoding: message.streamLine, as: UTF8.self)
            #expect(got == expected)
            // And it reads back, on both paths, as the variant's fields of the message.
            let back = Array(got.utf8).withUnsafeBufferPointer { EventStreamMessage.scanStreamLine($0) }
            let frame = try JSONDecoder().decode(StreamFrame<EventStreamMessage>.self, from: Data(got.utf8))
            guard case .result(let decoded) = frame else { Issue.record("not a result"); continue }
            #expect(back == decoded)
            #expect(back?.message.jobId == message.message.jobId && back?.message.created == message.message.created)
        }
    }

    @Test func anIdWrittenFromItsNumbersIsTheIdAsText() {
        let message = EventMessage(.queued, jobId: "01j", jobSetId: "s", queue: "q")
        for (millis, seq, index, last) in [(UInt64(0), UInt64(0), 0, false), (1_733_300_000_123, 17, 3, true), (UInt64.max, UInt64.max, Int.max, true)] {
            let id = "\(millis):\(seq):\(index):\(last ? 1 : 0)"
            #expect(EventStreamMessage.streamLine(message, millis: millis, seq: seq, subIndex: index, last: last)
                == EventStreamMessage(id: id, message: message).streamLine)
        }
    }

    @Test func integersAreWrittenAsTheirDecimalText() {
        func written<T: BinaryInteger>(_ n: T) -> String {
            var w = JSONWriter()
            w.number(n)
            return String(decoding: w.bytes, as: UTF8.self)
        }
        for n: Int64 in [0, 1, -1, 9, 10, -10, 1_733_300_000, Int64.max, Int64.min, Int64(Int32.min), 123_456_789_012_345] {
            #expect(written(n) == String(n))
            #expect(written(Int(n)) == String(n))
        }
        for n: UInt64 in [0, 7, UInt64(Int64.max), UInt64(Int64.max) + 1, UInt64.max] { #expect(written(n) == String(n)) }
        for n: Int32 in [Int32.min, -137, 0, 137, Int32.max] { #expect(written(n) == String(n)) }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let n = Int64.random(in: Int64.min...Int64.max, using: &rng) >> Int64.random(in: 0...63, using: &rng)
            #expect(written(n) == String(n))
        }
    }

    @Test func mapsAreWrittenInKeyOrder() throws {
        var m = EventMessage(.utilisation, jobId: "a")
        m.maxResourcesForPeriod = ["memory": "1Gi", "cpu": "100m", "gpu": "0"]
        let line = String(decoding: EventStreamMessage(id: "1:0:0:1", message: m).streamLine, as: UTF8.self)
        #expect(line.contains(#""MaxResourcesForPeriod":{"cpu":"100m","gpu":"0","memory":"1Gi"}"#))
    }
}
