import ArmadaAPI
import Foundation
import Testing

/// Request bodies read as the gateway's Go `encoding/json` reads them (REST doc §2.1–2.3).
@Suite struct GoJSONDecoderTests {
    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws(GoJSONDecoder.Failure) -> T {
        try GoJSONDecoder().decode(type, from: Array(text.utf8))
    }

    func failure<T: Decodable>(_ type: T.Type, _ text: String) -> GoJSONDecoder.Failure? {
        do {
            _ = try decode(type, text)
            return nil
        } catch {
            return error
        }
    }

    @Test func keysMatchCaseInsensitivelyAndUnknownKeysAreIgnored() throws {
        let r = try decode(JobCancelRequest.self, #"{"QUEUE":"q","JobSetID":"s","jobids":["a"],"snake_case":1,"job_set_id":"ignored"}"#)
        #expect(r.queue == "q" && r.jobSetId == "s" && r.jobIds == ["a"])
        // snake_case does not fold to camelCase: Go ignores it too.
        #expect(try decode(JobCancelRequest.self, #"{"job_set_id":"s"}"#).jobSetId == nil)
    }

    @Test func anExactKeyWinsOverAFoldedOneAndTheLastDuplicateWins() throws {
        #expect(try decode(JobCancelRequest.self, #"{"QUEUE":"folded","queue":"exact"}"#).queue == "exact")
        #expect(try decode(JobCancelRequest.self, #"{"queue":"first","queue":"last"}"#).queue == "last")
        // Map keys are data, not field names: `a` and `A` stay apart.
        let labels = try decode([String: String].self, #"{"a":"1","A":"2"}"#)
        #expect(labels == ["a": "1", "A": "2"])
    }

    @Test func nullAndMissingAreZeroValues() throws {
        let status = try decode(JobStatusRequest.self, #"{"jobIds":null}"#)
        #expect(status.jobIds == [])
        #expect(try decode(JobStatusRequest.self, "{}").jobIds == [])
        let queue = try decode(Queue.self, #"{"name":"q","priorityFactor":null,"userOwners":null,"labels":null}"#)
        #expect(queue.name == "q" && (queue.priorityFactor ?? 0) == 0 && (queue.userOwners ?? []).isEmpty)
        #expect(try decode(String.self, "null") == "" && decode(Int32.self, "null") == 0 && decode(Bool.self, "null") == false)
        #expect(try decode(JobState.self, "null") == .queued)
    }

    @Test func typesStayStrictAndErrorsNameTheField() {
        let quoted = failure(JobStatusRequest.self, #"{"jobIds":"a"}"#)
        #expect(quoted?.description == "json: cannot unmarshal string into a field that needs an array (at jobIds)")
        let element = failure(JobStatusRequest.self, #"{"jobIds":["a",7]}"#)
        #expect(element?.path == "jobIds[1]")
        #expect(failure(Int32.self, "1.5") != nil && failure(Int32.self, "1e3") != nil && failure(Int32.self, "2147483648") != nil)
        #expect(failure(UInt32.self, "-1") != nil)
        #expect((try? decode(Double.self, "1e3")) == 1000)
        #expect(failure(Double.self, "1e999")?.message.contains("within range") == true)
    }

    @Test func kubernetesSubtreesArriveAsWritten() throws {
        let item = try decode(JobSubmitRequestItem.self, #"{"Namespace":"d","podSpec":{"b":1.50,"a":[null,true],"c":{}}}"#)
        #expect(item.namespace == "d")
        #expect(item.podSpec?.jsonText == #"{"b":1.50,"a":[null,true],"c":{}}"#)
    }

    @Test(arguments: [
        ("", "unexpected end of JSON input"), ("{", "expected a string"), (#"{"a":01}"#, "beginning of a value"),
        (#"{"a":1.}"#, "beginning of a value"), (#"{"a":-}"#, "expected a value"), ("{} {}", "after the top-level value"),
        (#"{"a":"\x"}"#, "invalid escape"), ("[1,]", "beginning of a value"), (#"{"a" 1}"#, "expected ':'"),
    ]) func syntaxErrorsSayWhereAndWhat(text: String, message: String) {
        let error = failure(JSONValue.self, text)
        #expect(error?.message.contains(message) == true, "\(text): \(String(describing: error))")
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: JSONValue.maxDepth + 1) + String(repeating: "]", count: JSONValue.maxDepth + 1)
        #expect(failure(JSONValue.self, deep)?.message.contains("nested deeper") == true)
        let fine = String(repeating: "[", count: JSONValue.maxDepth) + String(repeating: "]", count: JSONValue.maxDepth)
        #expect(failure(JSONValue.self, fine) == nil)
    }

    /// Random bytes and mutated bodies never trap: each is a value or a `Failure`.
    @Test func arbitraryInputNeverTraps() {
        var rng = SystemRandomNumberGenerator()
        let seeds = [#"{"queue":"q","jobSetId":"s","jobIds":["a"],"reason":"r","newPriority":1.5}"#, #"{"jobIds":null}"#,
                     #"{"name":"q","priorityFactor":2,"permissions":[{"subjects":[{"kind":"User","name":"a"}],"verbs":["submit"]}]}"#]
        let alphabet = Array(#"{}[]":,.-+eE0123456789 nultrfase\"#.utf8)
        for _ in 0..<3_000 {
            var bytes = Array(seeds.randomElement(using: &rng)!.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = alphabet.randomElement(using: &rng)!
                case 1: bytes.remove(at: i)
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
            }
            _ = try? GoJSONDecoder().decode(JobCancelRequest.self, from: bytes)
            _ = try? GoJSONDecoder().decode(JobReprioritizeRequest.self, from: bytes)
            _ = try? GoJSONDecoder().decode(Queue.self, from: bytes)
            _ = try? GoJSONDecoder().decode(JobSubmitRequest.self, from: bytes)
        }
    }
}
