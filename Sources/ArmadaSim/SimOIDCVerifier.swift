import ArmadaAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Armada's OpenID authentication (`auth.openIdAuth` in the server's config): a `Bearer` token is a
/// JWT from `providerUrl`, checked against the provider's JWKS (found by discovery), with `aud`
/// holding `clientId` and `exp` in the future. The keys are fetched when the first token arrives
/// and again (at most every 10 s) when a token names a key they lack, so a rotation is followed.
public struct SimOpenIdAuth: Sendable, Hashable {
    public var providerUrl: String
    /// The audience tokens must carry (go-oidc's `ClientID` check).
    public var clientId: String
    /// The claim that lists the caller's groups.
    public var groupsClaim: String

    public init(providerUrl: String, clientId: String, groupsClaim: String = "groups") {
        self.providerUrl = providerUrl
        self.clientId = clientId
        self.groupsClaim = groupsClaim
    }
}

actor SimOIDCVerifier {
    let settings: SimOpenIdAuth
    private let fetch: @Sendable (URL) async throws -> [UInt8]
    private var keys: [SimJWK] = []
    private var fetchedAt: Date?
    private let now: @Sendable () -> Date

    init(_ settings: SimOpenIdAuth, now: @escaping @Sendable () -> Date = { Date() },
         fetch: @escaping @Sendable (URL) async throws -> [UInt8] = SimOIDCVerifier.httpGet) {
        self.settings = settings
        self.fetch = fetch
        self.now = now
    }

    /// The caller a token names: `sub`, with the groups of `groupsClaim` and `everyone`.
    func principal(token: String) async throws(SimError) -> SimAuth.Principal {
        let jwt = try SimJWT.parse(token)
        if keys.isEmpty { try await refreshKeys() }
        let claims: JSONValue
        do {
            claims = try jwt.verify(keys: keys, issuer: settings.providerUrl, audience: settings.clientId, now: now())
        } catch let error where error.message.hasPrefix("no key") || error.message.contains("signature") {
            // Perhaps the provider rotated its keys since they were fetched.
            guard fetchedAt.map({ now().timeIntervalSince($0) >= 10 }) ?? true else { throw error }
            try await refreshKeys()
            claims = try jwt.verify(keys: keys, issuer: settings.providerUrl, audience: settings.clientId, now: now())
        }
        guard let subject = claims["sub"]?.stringValue, !subject.isEmpty else {
            throw SimError(.unauthenticated, "the token names no subject (sub)")
        }
        let groups = (claims[settings.groupsClaim]?.arrayValue ?? []).compactMap(\.stringValue)
        return SimAuth.Principal(name: subject, groups: groups + ["everyone"])
    }

    private func refreshKeys() async throws(SimError) {
        fetchedAt = now()
        let base = settings.providerUrl.hasSuffix("/") ? String(settings.providerUrl.dropLast()) : settings.providerUrl
        do {
            guard let discoveryURL = URL(string: base + "/.well-known/openid-configuration") else {
                throw SimError(.unavailable, "the OpenID provider URL \(settings.providerUrl) is not a URL")
            }
            let discovery = try JSONValue.parse(try await fetch(discoveryURL))
            guard let jwks = discovery["jwks_uri"]?.stringValue, let jwksURL = URL(string: jwks) else {
                throw SimError(.unavailable, "the OpenID provider's discovery document has no jwks_uri")
            }
            keys = SimJWK.keys(from: try JSONValue.parse(try await fetch(jwksURL)))
        } catch let error as SimError {
            throw error
        } catch {
            // An auth service that cannot do its job answers Unavailable (REST doc §6.2).
            throw SimError(.unavailable, "cannot read the OpenID provider's keys from \(settings.providerUrl): \(error)")
        }
    }

    @Sendable static func httpGet(_ url: URL) async throws -> [UInt8] {
        var request = URLRequest(url: url)
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            throw SimError(.unavailable, "GET \(url) answered HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        return Array(data)
    }
}
