import ArmadaAPI
import Foundation

/// Supplies the `Authorization` header of every request.
public protocol CredentialProvider: Sendable {
    /// The header value (`basic …`, `Bearer …`), or nil to send none.
    func authorization() async throws(ArmadaError) -> Secret?
    /// The server answered 401: drop cached credentials. Returns whether asking again may help.
    func credentialsRejected() async -> Bool
    /// What kind of credentials these are, for banners and reports (never the secret).
    var summary: String { get }
    /// Obtains the credentials ahead of the first call (an interactive sign-in happens here, not
    /// inside a call with a deadline). Most providers have nothing to do.
    func prepare() async throws(ArmadaError)
}

extension CredentialProvider {
    public func prepare() async throws(ArmadaError) {}
}

/// No `Authorization` header (anonymous auth, as the local dev stack uses).
public struct NoCredentials: CredentialProvider {
    public init() {}
    public func authorization() async throws(ArmadaError) -> Secret? { nil }
    public func credentialsRejected() async -> Bool { false }
    public var summary: String { "none" }
}

/// `Authorization: basic base64(user:password)`, as Armada's Go client sends it.
public struct BasicCredentials: CredentialProvider {
    public let username: String
    let password: Secret

    public init(username: String, password: Secret) {
        self.username = username
        self.password = password
        Redaction.register(username: username, password: password.revealed)
    }

    public func authorization() async throws(ArmadaError) -> Secret? {
        Secret("basic " + Data("\(username):\(password.revealed)".utf8).base64EncodedString())
    }

    public func credentialsRejected() async -> Bool { false }
    public var summary: String { "basic (user \(username))" }
}

/// `Authorization: Bearer <token>`, the token given directly or read from an environment variable
/// at each request (so a rotated token is picked up).
public struct BearerCredentials: CredentialProvider {
    public enum Source: Sendable, Hashable {
        case token(Secret)
        case environment(String)
    }

    public let source: Source
    let environment: @Sendable (String) -> String?

    public init(_ source: Source, environment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] }) {
        self.source = source
        self.environment = environment
    }

    public func authorization() async throws(ArmadaError) -> Secret? {
        switch source {
        case .token(let token): return Secret("Bearer " + token.revealed)
        case .environment(let name):
            guard let value = environment(name), !value.isEmpty else {
                throw ArmadaError(.authentication, endpoint: "",
                                  message: "the bearer token variable \(name) is not set or empty")
            }
            return Secret("Bearer " + value)
        }
    }

    public func credentialsRejected() async -> Bool {
        if case .environment = source { return true }
        return false
    }

    public var summary: String {
        switch source {
        case .token: "bearer token"
        case .environment(let name): "bearer token from $\(name)"
        }
    }
}
