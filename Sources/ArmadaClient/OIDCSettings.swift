import Foundation

/// An armadactl OpenID Connect block (`openIdAuth`, `openIdDeviceAuth`, `openIdPasswordAuth`,
/// `openIdClientCredentialsAuth`) with armadactl's keys and meanings.
public struct OIDCSettings: Sendable, Hashable {
    public enum Flow: String, Sendable, Hashable, CaseIterable {
        /// `openIdClientCredentialsAuth`: `clientId` + `clientSecret` (CI).
        case clientCredentials = "openIdClientCredentialsAuth"
        /// `openIdPasswordAuth`: the resource-owner password grant (`username`, `password`).
        case password = "openIdPasswordAuth"
        /// `openIdDeviceAuth`: RFC 8628; prints a URL and a code for a person to approve.
        case device = "openIdDeviceAuth"
        /// `openIdAuth`: authorization code with PKCE, redirected to `http://localhost:<localPort>/auth/callback`.
        case authorizationCode = "openIdAuth"

        /// Whether a person has to take part (no new token without one once refreshing fails).
        public var isInteractive: Bool { self == .device || self == .authorizationCode }
    }

    public var flow: Flow
    /// The issuer; discovery reads `<providerUrl>/.well-known/openid-configuration`.
    public var providerUrl: String
    public var clientId: String
    public var clientSecret: Secret?
    public var scopes: [String]
    public var username: String?
    public var password: Secret?
    /// `openIdAuth`'s loopback port for the redirect (26354 in armadactl's documented example).
    public var localPort: UInt16

    public init(flow: Flow, providerUrl: String, clientId: String, clientSecret: Secret? = nil, scopes: [String] = [],
                username: String? = nil, password: Secret? = nil, localPort: UInt16 = 26354) {
        self.flow = flow
        self.providerUrl = providerUrl
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.username = username
        self.password = password
        self.localPort = localPort
    }

    /// What is missing for the flow to run, as a sentence that says what to add; nil when complete.
    public var problem: String? {
        if URL(string: providerUrl)?.host == nil { return "\(flow.rawValue).providerUrl \"\(providerUrl)\" is not a URL" }
        if clientId.isEmpty { return "\(flow.rawValue) has no clientId" }
        switch flow {
        case .clientCredentials where clientSecret?.isEmpty ?? true:
            return "\(flow.rawValue) has no clientSecret (the client credentials grant authenticates the client with it)"
        case .password where (username ?? "").isEmpty || (password?.isEmpty ?? true):
            return "\(flow.rawValue) needs username and password"
        default:
            return nil
        }
    }

    /// For banners: the flow, provider and client, never a secret.
    public var summary: String {
        let kind = switch flow {
        case .clientCredentials: "client credentials"
        case .password: "password (user \(username ?? ""))"
        case .device: "device flow"
        case .authorizationCode: "authorization code + PKCE"
        }
        return "OpenID Connect \(kind), client \(clientId) at \(providerUrl)"
    }
}
