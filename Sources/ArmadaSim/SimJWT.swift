import _CryptoExtras
import ArmadaAPI
import Crypto
import Foundation

/// A signed JWT (RFC 7519, compact JWS) as an OpenID provider issues access tokens, and its check
/// against the provider's keys: signature (RS256/384/512, PS256, ES256/384), `iss`, `aud`, `exp`,
/// `nbf`, as go-oidc's verifier checks them for Armada's server. Pure: keys and time are given.
struct SimJWT: Sendable {
    let header: JSONValue
    let claims: JSONValue
    let signingInput: [UInt8]
    let signature: [UInt8]

    /// Tokens are short; anything near this is not one.
    static let maxLength = 64 * 1024

    static func parse(_ token: String) throws(SimError) -> SimJWT {
        guard token.utf8.count <= maxLength else { throw SimError(.unauthenticated, "the bearer token is too long to be a JWT") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw SimError(.unauthenticated, "the bearer token is not a JWT (expected three dot-separated parts)") }
        guard let headerBytes = base64URL(parts[0]), let claimBytes = base64URL(parts[1]), let signature = base64URL(parts[2]),
              let header = try? JSONValue.parse(headerBytes), header.isObject,
              let claims = try? JSONValue.parse(claimBytes), claims.isObject else {
            throw SimError(.unauthenticated, "the bearer token is not a JWT (its parts are not base64url JSON)")
        }
        guard !signature.isEmpty else { throw SimError(.unauthenticated, "the bearer token is unsigned (alg none is not accepted)") }
        return SimJWT(header: header, claims: claims, signingInput: Array((parts[0] + "." + parts[1]).utf8), signature: signature)
    }

    static func base64URL(_ text: Substring) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !s.contains("=") else { return nil }
        s += String(repeating: "=", count: (4 - s.count % 4) % 4)
        return Data(base64Encoded: s).map { Array($0) }
    }

    /// Checks the signature with the key the header names (`kid`, else the only key of a fitting
    /// type), then the claims; returns the claims.
    func verify(keys: [SimJWK], issuer: String, audience: String, now: Date) throws(SimError) -> JSONValue {
        guard case .string(let alg)? = header["alg"] else { throw SimError(.unauthenticated, "the token's header names no algorithm") }
        let kid = header["kid"]?.stringValue
        let candidates = keys.filter { key in (kid == nil || key.kid == kid) && key.fits(alg) }
        guard !candidates.isEmpty else {
            throw SimError(.unauthenticated, "no key of the issuer verifies \(alg) tokens" + (kid.map { " with kid \($0)" } ?? ""))
        }
        guard candidates.contains(where: { $0.verifies(signature, of: signingInput, alg: alg) }) else {
            throw SimError(.unauthenticated, "the token's signature does not verify with the issuer's keys")
        }
        guard claims["iss"]?.stringValue == issuer else {
            throw SimError(.unauthenticated, "the token was issued by \(claims["iss"]?.stringValue ?? "nobody"), not \(issuer)")
        }
        let audiences: [String] = switch claims["aud"] {
        case .string(let one)?: [one]
        case .array(let many)?: many.compactMap(\.stringValue)
        default: []
        }
        guard audiences.contains(audience) else {
            throw SimError(.unauthenticated, "the token is not for this server: audience \(audiences) does not include \(audience)")
        }
        guard let exp = Self.seconds(claims["exp"]) else { throw SimError(.unauthenticated, "the token has no expiry (exp)") }
        guard now.timeIntervalSince1970 < exp else { throw SimError(.unauthenticated, "the token expired") }
        if let nbf = Self.seconds(claims["nbf"]), now.timeIntervalSince1970 < nbf {
            throw SimError(.unauthenticated, "the token is not valid yet (nbf)")
        }
        return claims
    }

    /// A NumericDate claim, in seconds since the epoch.
    static func seconds(_ value: JSONValue?) -> Double? {
        guard case .number(let text)? = value, let d = Double(text), d.isFinite else { return nil }
        return d
    }
}

/// One key of a JWKS document (RFC 7517): RSA (`n`, `e`) or EC P-256/P-384 (`x`, `y`).
enum SimJWK: Sendable {
    case rsa(kid: String?, key: _RSA.Signing.PublicKey)
    case p256(kid: String?, key: P256.Signing.PublicKey)
    case p384(kid: String?, key: P384.Signing.PublicKey)

    var kid: String? {
        switch self {
        case .rsa(let kid, _), .p256(let kid, _), .p384(let kid, _): kid
        }
    }

    func fits(_ alg: String) -> Bool {
        switch self {
        case .rsa: ["RS256", "RS384", "RS512", "PS256"].contains(alg)
        case .p256: alg == "ES256"
        case .p384: alg == "ES384"
        }
    }

    func verifies(_ signature: [UInt8], of input: [UInt8], alg: String) -> Bool {
        switch (self, alg) {
        case (.rsa(_, let key), "RS256"):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5)
        case (.rsa(_, let key), "RS384"):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA384.hash(data: input), padding: .insecurePKCS1v1_5)
        case (.rsa(_, let key), "RS512"):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA512.hash(data: input), padding: .insecurePKCS1v1_5)
        case (.rsa(_, let key), "PS256"):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: input), padding: .PSS)
        case (.p256(_, let key), "ES256"):
            guard let s = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(s, for: SHA256.hash(data: input))
        case (.p384(_, let key), "ES384"):
            guard let s = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(s, for: SHA384.hash(data: input))
        default:
            return false
        }
    }

    /// The signing keys of a JWKS document; keys of other types, uses or curves are skipped.
    static func keys(from document: JSONValue) -> [SimJWK] {
        (document["keys"]?.arrayValue ?? []).compactMap { key -> SimJWK? in
            if let use = key["use"]?.stringValue, use != "sig" { return nil }
            let kid = key["kid"]?.stringValue
            func bytes(_ name: String) -> [UInt8]? { key[name]?.stringValue.flatMap { SimJWT.base64URL(Substring($0)) } }
            switch key["kty"]?.stringValue {
            case "RSA":
                guard let n = bytes("n"), let e = bytes("e"), let rsa = try? _RSA.Signing.PublicKey(n: n, e: e) else { return nil }
                return .rsa(kid: kid, key: rsa)
            case "EC":
                guard let x = bytes("x"), let y = bytes("y") else { return nil }
                switch key["crv"]?.stringValue {
                case "P-256": return (try? P256.Signing.PublicKey(rawRepresentation: x + y)).map { .p256(kid: kid, key: $0) }
                case "P-384": return (try? P384.Signing.PublicKey(rawRepresentation: x + y)).map { .p384(kid: kid, key: $0) }
                default: return nil
                }
            default:
                return nil
            }
        }
    }
}
