@testable import ArmadaClient
@testable import ArmadaSim
import ArmadaAPI
import Foundation

/// What OpenID brings in from outside: a bearer token the simulator checks (JWT parsing and
/// verification against a JWKS document), the JWKS document itself, and a token endpoint's
/// answer the client reads. The first byte picks which; the rest is the input.
enum TokenFuzzer {
    static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        switch first % 3 {
        case 0:
            // A token checked against a key set from the same input (split at the first newline).
            let text = String(decoding: body, as: UTF8.self)
            let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            let keys = parts.count > 1 ? (try? JSONValue.parse(Array(parts[1].utf8))).map(SimJWK.keys(from:)) ?? [] : []
            if let jwt = try? SimJWT.parse(String(parts.first ?? "")) {
                _ = try? jwt.verify(keys: keys, issuer: "https://idp", audience: "armada", now: Date(timeIntervalSince1970: 1_800_000_000))
            }
        case 1:
            if let document = try? JSONValue.parse(body) { _ = SimJWK.keys(from: document) }
        default:
            if let document = try? JSONValue.parse(body), let token = OIDCToken(document) { _ = token.expiresIn }
            _ = try? GoJSONDecoder().decode(JobDetailsRequest.self, from: body)
        }
    }
}
