import Foundation
@testable import ArmadaAPI
import Testing

/// Submit bodies written by `JSONWriter` must be the generic `GatewayJSON` text.
@Suite struct JobSubmitWritingTests {
    func generic(_ r: JobSubmitRequest) throws -> String {
        (GatewayJSON.strip(try JSONValueEncoder().encode(r)) ?? .object([])).jsonText
    }

    @Test func randomRequestsWriteAsTheGenericPath() throws {
        var rng = SystemRandomNumberGenerator()
        let words = ["", "a", "default", "q\"uote", "ünï", "<&>", "line\nbreak"]
        func word() -> String { words.randomElement(using: &rng)! }
        func map() -> [String: String]? { [nil, [:], ["k": word()], [word(): ""]].randomElement(using: &rng)! }
        for _ in 0..<500 {
            let items = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                JobSubmitRequestItem(priority: [nil, 0, -0.0, 1, 2.5, 1e20].randomElement(using: &rng)!, namespace: [nil, word()].randomElement(using: &rng)!,
                                     clientId: [nil, word()].randomElement(using: &rng)!, labels: map(), annotations: map(), requiredNodeLabels: map(),
                                     podSpec: [nil, .null, .object([]), .object([.init("containers", .array([.object([.init("name", .string(word())),
                                                                                                                  .init("n", .number("0"))])]))])].randomElement(using: &rng)!,
                                     podSpecs: [nil, [], [.object([.init("a", .bool(false))])]].randomElement(using: &rng)!,
                                     ingress: [nil, []].randomElement(using: &rng)!, services: [nil, []].randomElement(using: &rng)!,
                                     scheduler: [nil, word()].randomElement(using: &rng)!, externalJobUri: [nil, word()].randomElement(using: &rng)!)
            }
            let request = JobSubmitRequest(queue: word(), jobSetId: word(), jobRequestItems: items)
            let fast = try #require(request.gatewayBytes())
            #expect(String(decoding: fast, as: UTF8.self) == (try generic(request)))
            #expect(try GatewayJSON.encode(request) == fast)
        }
    }

    @Test func randomResponsesWriteAsTheGenericPath() throws {
        var rng = SystemRandomNumberGenerator()
        let words = ["", "01hx", "q\"uote", "<&>", "line\nbreak", "\u{2028}"]
        for _ in 0..<300 {
            let items = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                JobSubmitResponse.Item(jobId: words.randomElement(using: &rng)!, error: ([nil] + words.map { Optional($0) }).randomElement(using: &rng)!)
            }
            let response = JobSubmitResponse(jobResponseItems: items)
            let generic = (GatewayJSON.strip(try JSONValueEncoder().encode(response)) ?? .object([])).jsonText
            #expect(String(decoding: try #require(response.gatewayBytes()), as: UTF8.self) == generic)
        }
    }

    @Test func itemsWithIngressOrServicesTakeTheGenericPath() throws {
        let request = JobSubmitRequest(queue: "q", jobSetId: "s", jobRequestItems: [
            JobSubmitRequestItem(namespace: "default", ingress: [IngressConfig(ports: [8080])]),
        ])
        #expect(request.gatewayBytes() == nil)
        #expect(String(decoding: try GatewayJSON.encode(request), as: UTF8.self) == (try generic(request)))
    }
}
