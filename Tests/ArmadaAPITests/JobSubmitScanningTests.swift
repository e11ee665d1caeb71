import Foundation
@testable import ArmadaAPI
import Testing

/// The simulator's fast path for submit requests must read what `GoJSONDecoder` (the gateway's
/// rules) reads, or decline.
@Suite struct JobSubmitScanningTests {
    func both(_ text: String) throws -> (fast: JobSubmitRequest?, codable: JobSubmitRequest?) {
        let bytes = Array(text.utf8)
        let fast = bytes.withUnsafeBufferPointer { JobSubmitRequest.scan($0) }
        let codable = try? GoJSONDecoder().decode(JobSubmitRequest.self, from: bytes)
        return (fast, codable)
    }

    @Test func typicalRequestsTakeTheFastPathAndMatch() throws {
        let text = #"""
        {"queue":"q","jobSetId":"s","jobRequestItems":[
          {"namespace":"default","priority":2,"labels":{"a":"b"},"annotations":{"x":"y\n\u00e9"},"clientId":"c1",
           "podSpec":{"restartPolicy":"Never","terminationGracePeriodSeconds":0,"containers":[{"name":"main","image":"alpine",
             "command":["sh","-c","echo \"hi\" \\ done"],"resources":{"limits":{"cpu":"1","memory":"1Gi"}},"tty":false,"stdin":null}]}},
          {"namespace":"ns","podSpecs":[{"containers":[]},{"containers":[{"name":"x"}]}],"ingress":[{"type":0,"ports":[8080]}]},
          {"podSpec":null,"unknownField":{"deep":[1,2,{"k":"v"}]}}
        ],"extra":true}
        """#
        let (fast, codable) = try both(text)
        let f = try #require(fast)
        #expect(f == codable)
        #expect(f.jobRequestItems.count == 3)
        // Pod spec members keep the document's order.
        guard case .object(let members)? = f.jobRequestItems[0].podSpec else { Issue.record("no pod spec"); return }
        #expect(members.map(\.key) == ["restartPolicy", "terminationGracePeriodSeconds", "containers"])
    }

    @Test(arguments: [
        #"{"queue":"q","jobRequestItems":[{"podSpec":{"a":1.5}}]}"#,            // a non-integer number
        #"{"queue":"q","jobRequestItems":[{"podSpec":{"a":1,"a":2}}]}"#,        // a duplicate key
        #"{"queue":"q","queue":"r","jobRequestItems":[]}"#,                     // a duplicate field
        #"{"queue":"q","jobRequestItems":[{"priority":"high"}]}"#,               // a type error
        #"{"queue":"q","jobRequestItems":{}}"#,                                 // not an array
        #"{"queue":"q"} trailing"#,                                             // not one document
        #"{"queue":"q","jobRequestItems":[{"podSpecs":{"a":1}}]}"#,              // podSpecs not an array
    ]) func unusualRequestsAreLeftToTheCodablePath(_ text: String) throws {
        let (fast, codable) = try both(text)
        #expect(fast == nil, "fast path answered \(String(describing: fast)), Codable \(String(describing: codable))")
    }

    /// Go matches `QUEUE` to `queue`: the fast path must not skip such a key as unknown.
    @Test(arguments: [
        #"{"QUEUE":"q","jobSetId":"s","jobRequestItems":[]}"#,
        #"{"queue":"q","JobSetID":"s","jobRequestItems":[]}"#,
        #"{"queue":"q","jobSetId":"s","JOBREQUESTITEMS":[{"namespace":"d"}]}"#,
        #"{"queue":"q","jobSetId":"s","jobRequestItems":[{"namespace":"d","PodSpec":{"containers":[]}}]}"#,
        #"{"queue":"q","jobSetId":"s","jobRequestItems":[{"namespace":"d","podspecs":[{"containers":[]}]}]}"#,
    ]) func caseFoldedKeysAreLeftToTheReferenceWhichMatchesThem(_ text: String) throws {
        let (fast, codable) = try both(text)
        #expect(fast == nil)
        let request = try #require(codable)
        #expect(request.queue == "q" && request.jobSetId == "s")
        if text.lowercased().contains("podspec") {
            #expect(request.jobRequestItems.first?.podSpec != nil || request.jobRequestItems.first?.podSpecs != nil)
        }
    }

    @Test func escapedKeysAreReadByTheirValue() throws {
        let (fast, codable) = try both(#"{"q\u0075eue":"q","jobRequestItems":[{"podSpec":{"n\u0061me":"x"}}]}"#)
        #expect(fast != nil && fast == codable && fast?.queue == "q")
    }

    @Test func randomPodSpecsMatchTheCodablePath() throws {
        var rng = SystemRandomNumberGenerator()
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng) {
            case 0: return .string(["", "a b", "é\"\\/\n", "\u{1F600}", "0"].randomElement(using: &rng)!)
            case 1: return .number(String(Int64.random(in: -1_000_000...1_000_000, using: &rng)))
            case 2: return .bool(Bool.random(using: &rng))
            case 3: return .null
            case 4: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(depth + 1) })
            default:
                let keys = ["containers", "name", "x-y", "ünï", "a\tb", "k\(depth)"].shuffled(using: &rng).prefix(Int.random(in: 0...4, using: &rng))
                return .object(keys.map { JSONValue.Member($0, value(depth + 1)) })
            }
        }
        for _ in 0..<300 {
            let items = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                JSONValue.object([.init("namespace", .string("default")), .init("podSpec", value(0))])
            }
            let text = JSONValue.object([.init("queue", .string("q")), .init("jobSetId", .string("s")),
                                         .init("jobRequestItems", .array(items))]).jsonText
            let (fast, codable) = try both(text)
            #expect(fast != nil && fast == codable, "\(text)")
        }
    }
}
