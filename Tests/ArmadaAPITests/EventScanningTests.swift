import ArmadaAPI
import Foundation
import Testing

/// The scanning fast path must read every line exactly as the `Codable` path does.
@Suite struct EventScanningTests {
    func decoded(_ line: String) throws -> EventStreamMessage? {
        let frame = try JSONDecoder().decode(StreamFrame<EventStreamMessage>.self, from: Data(line.utf8))
        if case .result(let m) = frame { return m }
        return nil
    }

    func scanned(_ line: String) -> EventStreamMessage? {
        Array(line.utf8).withUnsafeBufferPointer { EventStreamMessage.scanStreamLine($0) }
    }

    /// Random events of every type with every field the type carries, through the gateway encoding.
    @Test func randomEventsScanAsTheyDecode() throws {
        var rng = SystemRandomNumberGenerator()
        let words = ["", "a", "job-\"quoted\"", "tab\there", "ünïcødé ✓", "😀 emoji", "back\\slash", "<html>&", "line\nbreak", "\u{01}ctl"]
        for i in 0..<2000 {
            let type = EventType.allCases[i % EventType.allCases.count]
            var m = EventMessage(type, jobId: words.randomElement(using: &rng)! + "\(i)", jobSetId: "set", queue: "q",
                                 created: Timestamp(seconds: Int64.random(in: 0...2_000_000_000, using: &rng),
                                                    nanos: Int32.random(in: 0..<1_000_000_000, using: &rng)))
            m.reason = words.randomElement(using: &rng)!
            m.clusterId = words.randomElement(using: &rng)!
            m.nodeName = "node-\(i % 7)"
            m.podNumber = Int32.random(in: -5...5, using: &rng)
            m.podName = "armada-\(i)-0-\(i % 3)"
            m.kubernetesId = UUID().uuidString
            m.retryable = Bool.random(using: &rng)
            m.runAttempted = Bool.random(using: &rng)
            m.failureCategory = ["", "user_error", "oom"].randomElement(using: &rng)!
            m.failureSubcategory = words.randomElement(using: &rng)!
            m.cause = Cause.allCases.randomElement(using: &rng)!
            m.exitCodes = i % 2 == 0 ? ["c": Int32.random(in: -200...200, using: &rng)] : [:]
            m.containerStatuses = (0..<(i % 3)).map { ContainerStatus(name: "c\($0)", exitCode: Int32($0), message: words[$0],
                                                                      reason: "r", cause: Cause.allCases[$0 % 5]) }
            m.newPriority = Double(Int.random(in: 0...1000, using: &rng)) / 8
            m.requestor = "user"
            m.runId = UUID().uuidString
            m.maxResourcesForPeriod = ["cpu": "100m", "memory": "1Gi"]
            m.ingressAddresses = ["8080": "10.0.0.1"]
            let message = EventStreamMessage(id: "\(1000 + i):\(i % 4):0:1", message: m)
            let line = #"{"result":"# + (try JSONValueEncoder().encode(message)).jsonText + "}"
            let expected = try decoded(line)
            let got = scanned(line)
            #expect(got == expected, "\(line)")
            #expect(got != nil)
        }
    }

    @Test(arguments: [
        // Numbers where strings belong, numeric strings where numbers belong, bools as strings.
        #"{"result":{"id":"1:0:0:1","message":{"failed":{"jobId":42,"podNumber":"3","retryable":"true","newPriority":"2.5","reason":1.5}}}}"#,
        // RFC 3339 timestamps (the real gateway's form), with and without fractions and offsets.
        #"{"result":{"id":"1:0:0:1","message":{"running":{"jobId":"a","created":"2026-12-01T23:16:07.123456789Z"}}}}"#,
        #"{"result":{"id":"1:0:0:1","message":{"running":{"jobId":"a","created":"2026-12-01T23:16:07Z"}}}}"#,
        #"{"result":{"id":"1:0:0:1","message":{"running":{"jobId":"a","created":"2026-12-01T23:16:07.5+02:00"}}}}"#,
        #"{"result":{"id":"1:0:0:1","message":{"running":{"jobId":"a","created":{"seconds":"1796000000","nanos":5}}}}}"#,
        #"{"result":{"id":"1:0:0:1","message":{"running":{"jobId":"a","created":"yesterday"}}}}"#,
        // Escapes, surrogate pairs, unknown fields with brackets inside strings, nulls, whitespace.
        #"{ "result" : { "message" : { "failed" : { "jobId" : "a\u00e9\ud83d\ude00\n\"x\"" , "x":{"y":["]}",{"z":"{"}]}, "reason":null, "exitCodes":{"c":"1"} } } , "id" : "2:0:0:1" } }"#,
        #"{"result":{"id":"1:0:0:1","message":{"failed":{"jobId":"a","cause":"OOM","containerStatuses":[{"name":"c","exitCode":"137","cause":2}]}}}}"#,
        #"{"result":{"id":"1:0:0:1","message":{"failed":{"jobId":"a","cause":"Bogus","containerStatuses":[1,2],"exitCodes":[]}}}}"#,
        // An event type this build does not know, and a variant that is not an object.
        #"{"result":{"id":"1:0:0:1","message":{"teleported":{"jobId":"a"}}}}"#,
        #"{"result":{"id":"1:0:0:1","message":{"succeeded":null}}}"#,
        // A submitted event with its job.
        #"{"result":{"id":"1:0:0:1","message":{"submitted":{"jobId":"a","job":{"id":"a","queue":"q","jobSetId":"s","namespace":"default","priority":1,"podSpec":{"containers":[{"name":"c","image":"alpine"}]}}}}}}"#,
    ])
    func edgeCasesScanAsTheyDecode(_ line: String) throws {
        let expected = try decoded(line)
        #expect(expected != nil)
        #expect(scanned(line) == expected)
    }

    @Test(arguments: [
        #"{"error":{"grpc_code":5,"http_code":404,"message":"gone"}}"#,     // error chunks go to the general decoder
        #"{"result":{"message":{"running":{}}}}"#,                           // no id
        #"{"result":{"id":"1:0:0:1","message":{"running":{"jobId":"a"}}"#,  // truncated
        #"{"result":{"id":"1:0:0:1","message":{"running":{"jobId":"a"}}}} trailing"#,
        #"{"result":{"id":"1:0:0:1","message":{"running":{"jobId":"a\u12"}}}}"#,
        "[]",
        "",
    ])
    func otherLinesAreLeftToTheGeneralDecoder(_ line: String) {
        #expect(scanned(line) == nil)
    }

    @Test func rfc3339MatchesFoundation() throws {
        let formatter = ISO8601DateFormatter()
        for seconds in stride(from: Int64(-2_000_000_000), through: 4_000_000_000, by: 7_777_777) {
            let text = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
            #expect(Timestamp(rfc3339: text) == Timestamp(seconds: seconds), "\(text)")
        }
        #expect(Timestamp(rfc3339: "2026-12-01T23:16:07.123456789Z") == Timestamp(seconds: 1_796_166_967, nanos: 123_456_789))
        #expect(Timestamp(rfc3339: "2026-12-01T23:16:07.1234567891Z")?.nanos == 123_456_789)
        #expect(Timestamp(rfc3339: "2026-12-02T01:16:07+02:00") == Timestamp(seconds: 1_796_166_967))
        for bad in ["2026-13-01T00:00:00Z", "2026-12-01 00:00:00", "2026-12-01T00:00:00", "2026-12-01T00:00:00.Z", "x"] {
            #expect(Timestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }
}
