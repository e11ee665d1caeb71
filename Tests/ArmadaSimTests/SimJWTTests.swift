import _CryptoExtras
import ArmadaAPI
@testable import ArmadaSim
import Crypto
import Foundation
import Testing

/// The simulator's check of an OpenID provider's tokens, with keys made here (no provider).
@Suite struct SimJWTTests {
    static let issuer = "https://idp.example/realms/armada"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func b64(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func claims(aud: JSONValue = .string("armada"), exp: Double = 1_800_000_060, extra: [JSONValue.Member] = []) -> JSONValue {
        .object([.init("iss", .string(issuer)), .init("sub", .string("ci-bot")), .init("aud", aud),
                 .init("exp", .number(JSONValue.numberText(exp))), .init("groups", .array([.string("admins")]))] + extra)
    }

    static func token(_ header: JSONValue, _ claims: JSONValue, sign: (Data) throws -> Data) rethrows -> String {
        let input = b64(Array(header.jsonText.utf8)) + "." + b64(Array(claims.jsonText.utf8))
        return input + "." + b64(try sign(Data(input.utf8)))
    }

    let ec = P256.Signing.PrivateKey()
    var ecJWK: JSONValue {
        let raw = ec.publicKey.rawRepresentation
        return .object([.init("kty", .string("EC")), .init("crv", .string("P-256")), .init("kid", .string("ec-1")), .init("use", .string("sig")),
                        .init("x", .string(Self.b64(raw.prefix(32)))), .init("y", .string(Self.b64(raw.suffix(32))))])
    }

    func ecToken(_ claims: JSONValue = SimJWTTests.claims(), kid: String = "ec-1") throws -> String {
        try Self.token(.object([.init("alg", .string("ES256")), .init("kid", .string(kid))]), claims) { try ec.signature(for: $0).rawRepresentation }
    }

    func verify(_ token: String, keys: JSONValue, audience: String = "armada") throws(SimError) -> JSONValue {
        try SimJWT.parse(token).verify(keys: SimJWK.keys(from: .object([.init("keys", .array([keys]))])), issuer: Self.issuer,
                                       audience: audience, now: Self.now)
    }

    func refusal(_ token: String, keys: JSONValue, audience: String = "armada") -> String? {
        do {
            _ = try verify(token, keys: keys, audience: audience) // parse errors are refusals too
            return nil
        } catch {
            #expect(error.code == .unauthenticated)
            return error.message
        }
    }

    @Test func aGoodTokenGivesItsClaims() throws {
        let claims = try verify(try ecToken(), keys: ecJWK)
        #expect(claims["sub"]?.stringValue == "ci-bot")
        // aud as a list, and one of several audiences.
        #expect(try verify(try ecToken(Self.claims(aud: .array([.string("other"), .string("armada")]))), keys: ecJWK)["sub"] != nil)
    }

    @Test func everyClaimAndTheSignatureAreChecked() throws {
        #expect(refusal(try ecToken(Self.claims(aud: .string("other"))), keys: ecJWK)?.contains("audience") == true)
        #expect(refusal(try ecToken(Self.claims(exp: 1_799_999_999)), keys: ecJWK) == "the token expired")
        #expect(refusal(try ecToken(Self.claims(extra: [.init("nbf", .number("1800000030"))])), keys: ecJWK)?.contains("nbf") == true)
        let noExp = JSONValue.object([.init("iss", .string(Self.issuer)), .init("sub", .string("x")), .init("aud", .string("armada"))])
        #expect(refusal(try ecToken(noExp), keys: ecJWK)?.contains("no expiry") == true)
        let otherIssuer = JSONValue.object([.init("iss", .string("https://evil")), .init("aud", .string("armada")), .init("exp", .number("1800000060"))])
        #expect(refusal(try ecToken(otherIssuer), keys: ecJWK)?.contains("issued by https://evil") == true)
        // Claims changed after signing.
        let good = try ecToken()
        let parts = good.split(separator: ".")
        let forged = parts[0] + "." + Self.b64(Array(Self.claims(aud: .string("armada"), exp: 1_900_000_000).jsonText.utf8)) + "." + parts[2]
        #expect(refusal(String(forged), keys: ecJWK)?.contains("signature") == true)
        // Signed by a key the issuer does not publish.
        let stranger = P256.Signing.PrivateKey()
        let foreign = try Self.token(.object([.init("alg", .string("ES256")), .init("kid", .string("ec-1"))]), Self.claims()) {
            try stranger.signature(for: $0).rawRepresentation
        }
        #expect(refusal(foreign, keys: ecJWK)?.contains("signature") == true)
        #expect(refusal(try ecToken(kid: "rotated"), keys: ecJWK)?.contains("kid rotated") == true)
        // alg "none", and HMAC (which no published key verifies).
        let none = Self.token(.object([.init("alg", .string("none"))]), Self.claims()) { _ in Data() }
        #expect(refusal(none, keys: ecJWK)?.contains("unsigned") == true)
        let hmac = Self.token(.object([.init("alg", .string("HS256"))]), Self.claims()) { Data(HMAC<SHA256>.authenticationCode(for: $0, using: SymmetricKey(size: .bits256))) }
        #expect(refusal(hmac, keys: ecJWK)?.contains("no key") == true)
    }

    @Test(arguments: ["", "a.b", "a.b.c.d", "!!.??.##", "e30.e30.", String(repeating: "a", count: SimJWT.maxLength + 1)])
    func malformedTokensAreRefusedNotCrashes(_ token: String) {
        #expect(throws: SimError.self) { try SimJWT.parse(token) }
    }

    @Test func rs256WithAnRSAKey() throws {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let primitives = try rsa.publicKey.getKeyPrimitives()
        let jwk = JSONValue.object([.init("kty", .string("RSA")), .init("kid", .string("rsa-1")),
                                    .init("n", .string(Self.b64(primitives.modulus))), .init("e", .string(Self.b64(primitives.publicExponent)))])
        let header = JSONValue.object([.init("alg", .string("RS256")), .init("kid", .string("rsa-1"))])
        let token = try Self.token(header, Self.claims()) { try rsa.signature(for: SHA256.hash(data: $0), padding: .insecurePKCS1v1_5).rawRepresentation }
        #expect(try verify(token, keys: jwk)["sub"]?.stringValue == "ci-bot")
        // The same key does not verify a PS256 claim of the header.
        let pss = try Self.token(.object([.init("alg", .string("PS256")), .init("kid", .string("rsa-1"))]), Self.claims()) {
            try rsa.signature(for: SHA256.hash(data: $0), padding: .insecurePKCS1v1_5).rawRepresentation
        }
        #expect(refusal(pss, keys: jwk)?.contains("signature") == true)
    }

    /// The verifier fetches the keys once, and again when a token names a key it lacks.
    @Test func keysAreFetchedByDiscoveryAndRefetchedForANewKid() async throws {
        let fetched = SimFetchLog()
        let first = P256.Signing.PrivateKey(), second = P256.Signing.PrivateKey()
        @Sendable func jwk(_ key: P256.Signing.PrivateKey, _ kid: String) -> JSONValue {
            let raw = key.publicKey.rawRepresentation
            return .object([.init("kty", .string("EC")), .init("crv", .string("P-256")), .init("kid", .string(kid)),
                            .init("x", .string(Self.b64(raw.prefix(32)))), .init("y", .string(Self.b64(raw.suffix(32))))])
        }
        let clock = SimFetchLog.Clock(Self.now)
        let verifier = SimOIDCVerifier(SimOpenIdAuth(providerUrl: Self.issuer, clientId: "armada"), now: { clock.now }) { url in
            let count = await fetched.record(url.absoluteString)
            if url.path.hasSuffix("openid-configuration") {
                return Array(#"{"jwks_uri":"https://idp.example/jwks"}"#.utf8)
            }
            let keys = count < 3 ? [jwk(first, "k1")] : [jwk(first, "k1"), jwk(second, "k2")]
            return Array(JSONValue.object([.init("keys", .array(keys))]).jsonText.utf8)
        }
        let t1 = try Self.token(.object([.init("alg", .string("ES256")), .init("kid", .string("k1"))]), Self.claims()) { try first.signature(for: $0).rawRepresentation }
        let principal = try await verifier.principal(token: t1)
        #expect(principal.name == "ci-bot" && principal.groups == ["admins", "everyone"])
        _ = try await verifier.principal(token: t1)
        #expect(await fetched.urls.count == 2, "cached")
        clock.now = Self.now.addingTimeInterval(11)
        let t2 = try Self.token(.object([.init("alg", .string("ES256")), .init("kid", .string("k2"))]), Self.claims(exp: 1_800_000_100)) {
            try second.signature(for: $0).rawRepresentation
        }
        #expect(try await verifier.principal(token: t2).name == "ci-bot")
        #expect(await fetched.urls.count == 4, "refetched once for the new kid")
    }
}

actor SimFetchLog {
    private(set) var urls: [String] = []
    func record(_ url: String) -> Int {
        urls.append(url)
        return urls.count
    }

    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Date
        init(_ date: Date) { value = date }
        var now: Date {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }
}
