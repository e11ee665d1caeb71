import ArmadaAPI
import Foundation

/// armadactl's OpenID Connect flows as the runner's credentials: `Authorization: Bearer <access
/// token>` on every call (REST header, gRPC metadata). The token is obtained once (`prepare`, or
/// the first call), renewed before it expires (with the refresh token, else a new grant for the
/// non-interactive flows), and dropped when the server answers 401 so the retry gets a fresh one.
/// Concurrent calls share one renewal. Tokens and secrets are `Secret`s: never printed.
public actor OIDCCredentials: CredentialProvider {
    public nonisolated let settings: OIDCSettings
    private let client: OIDCClient
    /// Tells the person what to do (device flow, authorization code): the CLI prints it to stderr.
    private let prompt: @Sendable (String) -> Void
    private let now: @Sendable () -> ContinuousClock.Instant
    private let sleep: @Sendable (Duration) async throws -> Void
    private var endpoints: OIDCClient.Endpoints?
    private var current: (token: OIDCToken, renewAt: ContinuousClock.Instant?)?
    private var renewal: Task<OIDCToken, any Error>?
    /// How many tokens were obtained, by how: for tests and the banner.
    public private(set) var grants: [String] = []

    public init(_ settings: OIDCSettings, transport: any HTTPTransport = URLSessionTransport(), timeout: Duration = .seconds(30),
                prompt: @escaping @Sendable (String) -> Void,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.settings = settings
        client = OIDCClient(settings: settings, transport: transport, timeout: timeout)
        self.prompt = prompt
        self.now = now
        self.sleep = sleep
    }

    public nonisolated var summary: String { settings.summary }

    /// Signs in now (before the run), so a device or browser flow does not happen inside a call.
    public func prepare() async throws(ArmadaError) {
        _ = try await authorization()
    }

    public func authorization() async throws(ArmadaError) -> Secret? {
        if let current, current.renewAt.map({ now() < $0 }) ?? true {
            return Secret("Bearer " + current.token.accessToken.revealed)
        }
        let token = try await renewOnce()
        return Secret("Bearer " + token.accessToken.revealed)
    }

    /// The server refused the token: forget it (keeping the refresh token), so the retry renews.
    public func credentialsRejected() async -> Bool {
        guard let token = current?.token else { return true }
        current = (token, now()) // due now: the next call renews
        return true
    }

    /// One renewal at a time; calls arriving meanwhile wait for it.
    private func renewOnce() async throws(ArmadaError) -> OIDCToken {
        if let renewal {
            do { return try await renewal.value } catch { throw Self.asArmadaError(error) }
        }
        let task = Task { () async throws -> OIDCToken in try await self.obtain() }
        renewal = task
        defer { renewal = nil }
        do {
            // The caller that started the renewal owns it: an interrupt while signing in ends it.
            let token = try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
            let renewAt = token.expiresIn.map { lifetime in now() + lifetime - min(.seconds(30), lifetime / 10) }
            current = (token, renewAt)
            return token
        } catch {
            throw Self.asArmadaError(error)
        }
    }

    private func obtain() async throws(ArmadaError) -> OIDCToken {
        let endpoints = try await discovered()
        if let refresh = current?.token.refreshToken {
            switch try await client.token(endpoints, [("grant_type", "refresh_token"), ("refresh_token", refresh.revealed)]) {
            case .token(var token):
                if token.refreshToken == nil { token.refreshToken = refresh } // the old one stays valid
                grants.append("refresh_token")
                return token
            case .error(let code, let description, _) where settings.flow.isInteractive:
                throw client.failure("the session could not be renewed (\(code)\(description.isEmpty ? "" : ": \(description)")); "
                    + "sign in again by running again")
            case .error:
                break // a new grant below
            }
        } else if current != nil, settings.flow.isInteractive {
            throw client.failure("the access token expired and the provider gave no refresh token; sign in again by running again")
        }
        let token = try await grant(endpoints)
        grants.append(settings.flow.rawValue)
        return token
    }

    private func grant(_ endpoints: OIDCClient.Endpoints) async throws(ArmadaError) -> OIDCToken {
        let scope = client.scopeText
        switch settings.flow {
        case .clientCredentials:
            return try expectToken(await client.token(endpoints, [("grant_type", "client_credentials")] + (scope.isEmpty ? [] : [("scope", scope)])),
                                   "the client credentials grant")
        case .password:
            var form = [("grant_type", "password"), ("username", settings.username ?? ""), ("password", settings.password?.revealed ?? "")]
            if !scope.isEmpty { form.append(("scope", scope)) }
            return try expectToken(await client.token(endpoints, form), "the password grant")
        case .device:
            let authorization = try await client.deviceAuthorization(endpoints)
            let client = self.client
            let flow = OIDCDeviceFlow(authorization: authorization, poll: { () async throws(ArmadaError) -> OIDCClient.TokenAnswer in
                try await client.token(endpoints, [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                                                   ("device_code", authorization.deviceCode.revealed)])
            }, sleep: sleep)
            prompt(flow.instructions)
            return try await flow.run()
        case .authorizationCode:
            let flow = OIDCAuthorizationCodeFlow(settings: settings, endpoints: endpoints, prompt: prompt)
            let (code, verifier, redirect) = try await flow.authorize()
            return try expectToken(await client.token(endpoints, [("grant_type", "authorization_code"), ("code", code.revealed),
                                                                  ("redirect_uri", redirect), ("code_verifier", verifier.revealed)]),
                                   "the authorization code exchange")
        }
    }

    private func expectToken(_ answer: OIDCClient.TokenAnswer, _ what: String) throws(ArmadaError) -> OIDCToken {
        switch answer {
        case .token(let token): return token
        case .error(let code, let description, let status):
            throw client.failure("the provider refused \(what): \(code)" + (description.isEmpty ? "" : " (\(description))") + " (HTTP \(status))")
        }
    }

    private func discovered() async throws(ArmadaError) -> OIDCClient.Endpoints {
        if let endpoints { return endpoints }
        let found = try await client.discover()
        endpoints = found
        return found
    }

    private static func asArmadaError(_ error: any Error) -> ArmadaError {
        (error as? ArmadaError) ?? ArmadaError(.authentication, endpoint: "", message: "signing in failed: \(error)")
    }
}
