import ArmadaAPI
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// armadactl's `openIdAuth`: the authorization-code flow with PKCE (RFC 7636, S256) for a person at
/// a terminal. A loopback server on `localPort` sends the browser from `/` to the provider's login
/// and takes the code at `/auth/callback` (the redirect URI armadactl registers), checking `state`.
struct OIDCAuthorizationCodeFlow: Sendable {
    let settings: OIDCSettings
    let endpoints: OIDCClient.Endpoints
    let prompt: @Sendable (String) -> Void
    var timeout: Duration = .seconds(300)

    var redirectURI: String { "http://localhost:\(settings.localPort)/auth/callback" }

    /// The code, the PKCE verifier it must be exchanged with, and the redirect URI used.
    func authorize() async throws(ArmadaError) -> (code: Secret, verifier: Secret, redirect: String) {
        guard let authorization = endpoints.authorization else {
            throw failure("the provider's discovery document names no authorization_endpoint")
        }
        let verifier = Self.randomToken(), state = Self.randomToken()
        let url = Self.authorizationURL(authorization, clientId: settings.clientId, redirect: redirectURI,
                                        scopes: settings.scopes, state: state, challenge: Self.challenge(for: verifier))
        let code = try await listen(loginURL: url, state: state)
        return (Secret(code), Secret(verifier), redirectURI)
    }

    static func authorizationURL(_ endpoint: URL, clientId: String, redirect: String, scopes: [String], state: String,
                                 challenge: String) -> URL {
        var parts = URLComponents(url: endpoint, resolvingAgainstBaseURL: false) ?? URLComponents()
        let scope = (scopes.contains("openid") ? scopes : scopes + ["openid"]).joined(separator: " ")
        parts.queryItems = (parts.queryItems ?? []) + [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: clientId),
            URLQueryItem(name: "redirect_uri", value: redirect), URLQueryItem(name: "scope", value: scope),
            URLQueryItem(name: "state", value: state), URLQueryItem(name: "code_challenge", value: challenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
            // Optional for the code flow in OpenID Connect Core, but some providers (glewlwyd) insist.
            URLQueryItem(name: "nonce", value: randomToken()),
        ]
        return parts.url ?? endpoint
    }

    /// 32 random bytes, base64url without padding (43 characters: a valid PKCE verifier).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func challenge(for verifier: String) -> String { base64URL(Array(SHA256.hash(data: Array(verifier.utf8)))) }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private func listen(loginURL: URL, state: String) async throws(ArmadaError) -> String {
        let result = CallbackResult()
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline().flatMap {
                        channel.pipeline.addHandler(CallbackHandler(loginURL: loginURL, state: state, result: result))
                    }
                }
                .bind(host: "127.0.0.1", port: Int(settings.localPort)).get()
        } catch {
            throw failure("cannot listen on localhost:\(settings.localPort) for the sign-in redirect (localPort): \(error)")
        }
        prompt("To sign in to Armada, open http://localhost:\(settings.localPort)/ in a browser (it forwards to the provider's login); waiting…")
        defer { channel.close(promise: nil) }
        let outcome = await withTaskGroup(of: Result<String, ArmadaError>?.self) { group in
            group.addTask { await result.value() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
        await result.cancel()
        switch outcome {
        case .success(let code)?: return code
        case .failure(let error)?: throw error
        case nil: throw failure("no sign-in arrived at localhost:\(settings.localPort) within \(timeout)")
        }
    }

    func failure(_ message: String) -> ArmadaError {
        ArmadaError(.authentication, endpoint: "", message: "OpenID Connect (openIdAuth, provider \(settings.providerUrl)): \(message)")
    }
}

/// Where the callback handler leaves the code (or the error), once.
actor CallbackResult {
    private var outcome: Result<String, ArmadaError>?
    private var waiter: CheckedContinuation<Result<String, ArmadaError>?, Never>?

    func deliver(_ result: Result<String, ArmadaError>) {
        guard outcome == nil else { return }
        outcome = result
        waiter?.resume(returning: result)
        waiter = nil
    }

    func value() async -> Result<String, ArmadaError>? {
        if let outcome { return outcome }
        return await withCheckedContinuation { waiter = $0 }
    }

    func cancel() {
        waiter?.resume(returning: nil)
        waiter = nil
    }
}

/// `/` → 302 to the provider; `/auth/callback?code=…&state=…` → the code; anything else → 404.
final class CallbackHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let loginURL: URL
    let state: String
    let result: CallbackResult

    init(loginURL: URL, state: String, result: CallbackResult) {
        self.loginURL = loginURL
        self.state = state
        self.result = result
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let parts = URLComponents(string: head.uri)
        let query = Dictionary((parts?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        switch parts?.path ?? "" {
        case "/":
            respond(context, status: .found, headers: [("Location", loginURL.absoluteString)], body: "")
        case "/auth/callback":
            let outcome: Result<String, ArmadaError>
            if query["state"] != state {
                outcome = .failure(ArmadaError(.authentication, endpoint: "", message: "the sign-in redirect carried the wrong state"))
            } else if let error = query["error"] {
                outcome = .failure(ArmadaError(.authentication, endpoint: "", message: "the provider refused the sign-in: \(error)"
                    + ((query["error_description"]).map { " (\($0))" } ?? "")))
            } else if let code = query["code"], !code.isEmpty {
                Redaction.register(code)
                outcome = .success(code)
            } else {
                outcome = .failure(ArmadaError(.authentication, endpoint: "", message: "the sign-in redirect carried no code"))
            }
            let page = (try? outcome.get()) != nil ? "<h1>Signed in to Armada. You can close this window.</h1>" : "<h1>Sign-in failed.</h1>"
            respond(context, status: .ok, headers: [("Content-Type", "text/html; charset=utf-8")], body: page)
            let result = self.result
            Task { await result.deliver(outcome) }
        default:
            respond(context, status: .notFound, headers: [], body: "Not Found\n")
        }
    }

    private func respond(_ context: ChannelHandlerContext, status: HTTPResponseStatus, headers: [(String, String)], body: String) {
        var head = HTTPResponseHead(version: .http1_1, status: status, headers: HTTPHeaders(headers))
        head.headers.add(name: "Content-Length", value: String(body.utf8.count))
        head.headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
