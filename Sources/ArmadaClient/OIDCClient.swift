import ArmadaAPI
import Foundation

/// Talks to an OpenID provider's endpoints: discovery (`<providerUrl>/.well-known/openid-configuration`),
/// the token endpoint (RFC 6749 grants, form-encoded, the client authenticated with
/// `client_secret_basic` or `client_secret_post` as the provider supports) and the device
/// authorization endpoint (RFC 8628). Tokens never appear in its errors.
struct OIDCClient: Sendable {
    struct Endpoints: Sendable, Hashable {
        var issuer: String
        var token: URL
        var authorization: URL?
        var deviceAuthorization: URL?
        /// `token_endpoint_auth_methods_supported`; empty when the provider does not say.
        var authMethods: [String]
    }

    /// A token endpoint's answer: tokens, or an OAuth error (`authorization_pending`, `invalid_grant`, …).
    enum TokenAnswer: Sendable {
        case token(OIDCToken)
        case error(code: String, description: String, status: Int)
    }

    struct DeviceAuthorization: Sendable {
        var deviceCode: Secret
        var userCode: String
        var verificationURI: String
        var verificationURIComplete: String?
        var expiresIn: Duration
        var interval: Duration
    }

    let settings: OIDCSettings
    let transport: any HTTPTransport
    let timeout: Duration

    func discover() async throws(ArmadaError) -> Endpoints {
        guard let url = URL(string: providerBase + "/.well-known/openid-configuration") else { throw failure("the provider URL is not a URL") }
        let (status, body) = try await send(TransportRequest(method: "GET", url: url, headers: ["Accept": "application/json"], timeout: timeout))
        guard status == 200, let document = try? JSONValue.parse(body), document.isObject else {
            throw failure("discovery at \(url.absoluteString) answered HTTP \(status)" + (status == 200 ? " with no JSON document" : ""))
        }
        guard let token = document["token_endpoint"]?.stringValue.flatMap(URL.init(string:)) else {
            throw failure("the discovery document at \(url.absoluteString) names no token_endpoint")
        }
        return Endpoints(issuer: document["issuer"]?.stringValue ?? settings.providerUrl, token: token,
                         authorization: document["authorization_endpoint"]?.stringValue.flatMap(URL.init(string:)),
                         deviceAuthorization: document["device_authorization_endpoint"]?.stringValue.flatMap(URL.init(string:)),
                         authMethods: (document["token_endpoint_auth_methods_supported"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// POSTs a grant to the token endpoint.
    func token(_ endpoints: Endpoints, _ form: [(String, String)]) async throws(ArmadaError) -> TokenAnswer {
        let (status, body) = try await post(endpoints.token, form, endpoints: endpoints)
        let document = try? JSONValue.parse(body)
        if status == 200, let document, let token = OIDCToken(document) { return .token(token) }
        if let code = document?["error"]?.stringValue {
            return .error(code: code, description: document?["error_description"]?.stringValue ?? "", status: status)
        }
        return .error(code: status == 200 ? "invalid_response" : "http_\(status)",
                      description: status == 200 ? "the answer holds no access_token" : "", status: status)
    }

    /// Starts a device authorization (RFC 8628 §3.1). Without `device_authorization_endpoint` in
    /// discovery, armadactl's fixed path `<providerUrl>/connect/deviceauthorization` is used.
    func deviceAuthorization(_ endpoints: Endpoints) async throws(ArmadaError) -> DeviceAuthorization {
        guard let url = endpoints.deviceAuthorization ?? URL(string: providerBase + "/connect/deviceauthorization") else {
            throw failure("the provider has no device authorization endpoint")
        }
        let (status, body) = try await post(url, [("scope", scopeText)], endpoints: endpoints)
        guard status == 200, let document = try? JSONValue.parse(body),
              let deviceCode = document["device_code"]?.stringValue, let userCode = document["user_code"]?.stringValue,
              let verification = document["verification_uri"]?.stringValue ?? document["verification_url"]?.stringValue else {
            let error = (try? JSONValue.parse(body))?["error"]?.stringValue
            throw failure("the device authorization request answered HTTP \(status)" + (error.map { ": \($0)" } ?? ""))
        }
        return DeviceAuthorization(deviceCode: Secret(deviceCode), userCode: userCode, verificationURI: verification,
                                   verificationURIComplete: document["verification_uri_complete"]?.stringValue,
                                   expiresIn: OIDCToken.duration(document["expires_in"]) ?? .seconds(600),
                                   interval: OIDCToken.duration(document["interval"]) ?? .seconds(5))
    }

    var scopeText: String { settings.scopes.joined(separator: " ") }

    /// `providerUrl` without a trailing slash, for the paths under it.
    var providerBase: String {
        settings.providerUrl.hasSuffix("/") ? String(settings.providerUrl.dropLast()) : settings.providerUrl
    }

    /// A form POST with the client authenticated: HTTP Basic when the provider supports it (or
    /// does not say), else `client_id`/`client_secret` in the form; a public client sends its id only.
    private func post(_ url: URL, _ form: [(String, String)], endpoints: Endpoints) async throws(ArmadaError) -> (Int, [UInt8]) {
        var fields = form
        var headers = ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"]
        if let secret = settings.clientSecret {
            if endpoints.authMethods.isEmpty || endpoints.authMethods.contains("client_secret_basic") {
                let pair = Self.formEscape(settings.clientId) + ":" + Self.formEscape(secret.revealed)
                headers["Authorization"] = "Basic " + Data(pair.utf8).base64EncodedString()
            } else {
                fields += [("client_id", settings.clientId), ("client_secret", secret.revealed)]
            }
        } else {
            fields.append(("client_id", settings.clientId))
        }
        let body = fields.map { Self.formEscape($0.0) + "=" + Self.formEscape($0.1) }.joined(separator: "&")
        return try await send(TransportRequest(method: "POST", url: url, headers: headers, body: Array(body.utf8), timeout: timeout))
    }

    private func send(_ request: TransportRequest) async throws(ArmadaError) -> (Int, [UInt8]) {
        do {
            let response = try await transport.send(request)
            return (response.status, response.body)
        } catch {
            throw failure("\(request.method) \(Secret.redactingURL(request.url)) failed: \(error)")
        }
    }

    /// `application/x-www-form-urlencoded` (RFC 6749 appendix B): unreserved characters as they are.
    static func formEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func failure(_ message: String) -> ArmadaError {
        ArmadaError(.authentication, endpoint: "", message: "OpenID Connect (\(settings.flow.rawValue), provider \(settings.providerUrl)): \(message)")
    }
}

/// Tokens from a token endpoint. The access token is what Armada receives (as armadactl sends it).
struct OIDCToken: Sendable {
    var accessToken: Secret
    var refreshToken: Secret?
    /// nil when the provider does not say.
    var expiresIn: Duration?

    init(accessToken: Secret, refreshToken: Secret? = nil, expiresIn: Duration? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
    }

    init?(_ document: JSONValue) {
        guard let access = document["access_token"]?.stringValue, !access.isEmpty else { return nil }
        accessToken = Secret(access)
        refreshToken = document["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : Secret($0) }
        if let id = document["id_token"]?.stringValue { _ = Secret(id) } // redacted wherever it might appear
        expiresIn = Self.duration(document["expires_in"])
    }

    /// Seconds from a number or a numeric string (RFC 6749 says a number; some providers quote it), up to a year.
    static func duration(_ value: JSONValue?) -> Duration? {
        let text: String? = switch value {
        case .number(let n)?: n
        case .string(let s)?: s
        default: nil
        }
        guard let text, let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 366 * 86_400 else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
