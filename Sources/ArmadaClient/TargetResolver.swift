import ArmadaAPI
import Foundation

/// Where the runner should send its calls, over which of Armada's APIs, and how to authenticate.
public struct ResolvedTarget: Sendable {
    /// The API this run uses (see `TargetResolver` for how it is chosen).
    public var transport: ArmadaTransport
    /// The REST gateway, when one is named.
    public var restURL: URL?
    /// The gRPC API, when one is named.
    public var grpc: GRPCEndpoint?
    public var credentials: any CredentialProvider
    /// Where the URL came from, for the banner (`--rest-url`, `context local in config/x.yaml`).
    public var source: String
    /// The context's `policySettle`, when it sets one.
    public var policySettle: Duration?
    /// The context's name (`local`), nil without one; the default Prometheus `environment` label.
    public var contextName: String?
    /// Config keys this runner does not use, with `file:line:column`, for the CLI to print.
    public var warnings: [String] = []

    /// The address the run talks to, credentials removed (banner, reports).
    public var label: String {
        switch transport {
        case .rest: restURL.map(Secret.redactingURL) ?? ""
        case .grpc: grpc?.description ?? ""
        }
    }

    /// The host for the Prometheus `environment` label when there is no context name.
    public var host: String {
        switch transport {
        case .rest: restURL?.host ?? ""
        case .grpc: grpc?.host ?? ""
        }
    }

    /// Runs `body` with a client of the chosen transport (a gRPC client's connection lives as
    /// long as `body` runs).
    /// - Parameter callLog: where `-v` sends each call (nil: nowhere).
    public func withClient<T: Sendable>(callLog: CallLog? = nil, _ body: (any ArmadaAPIClient) async throws -> T) async throws -> T {
        switch transport {
        case .rest:
            guard let restURL else { throw ArmadaError(.configuration, endpoint: "", message: "no REST URL") }
            let transport: any HTTPTransport = callLog.map { LoggingTransport(RoutingTransport(), log: $0) } ?? RoutingTransport()
            return try await body(ArmadaRESTClient(baseURL: restURL, transport: transport, credentials: credentials))
        case .grpc:
            guard let grpc else { throw ArmadaError(.configuration, endpoint: "", message: "no gRPC address") }
            return try await ArmadaGRPCClient.withClient(grpc, credentials: credentials, callLog: callLog) { try await body($0) }
        }
    }
}

/// The outcome of resolving flags, environment and config files.
public enum TargetResolution: Sendable {
    case target(ResolvedTarget)
    /// Nothing names a target: the runner uses its embedded simulator.
    case noTarget
}

/// Resolves the target with the precedence command-line flags > environment (`ARMADA_GRPC_URL`,
/// `ARMADA_REST_URL`, `ARMADA_TRANSPORT`, `ARMADA_CONTEXT`, `ARMADA_CONFIG`, `ARMADA_BEARER_TOKEN`,
/// `ARMADA_USERNAME`/`ARMADA_PASSWORD`) > the `--config` file > `~/.armadactl.yaml`.
///
/// The addresses come from one level only: when a flag or variable names one, the config file's
/// addresses are not used (they may name another cluster). Among the addresses of that level, a
/// gRPC address alone means gRPC, a REST URL alone REST, both gRPC unless `--transport rest`.
public struct TargetResolver: Sendable {
    public struct Flags: Sendable, Hashable {
        public var restURL: String?
        public var grpcURL: String?
        public var transport: ArmadaTransport?
        /// PEM bundle of the CAs to trust for gRPC over TLS.
        public var grpcCACert: String?
        public var context: String?
        public var configPath: String?
        public init(restURL: String? = nil, grpcURL: String? = nil, transport: ArmadaTransport? = nil, grpcCACert: String? = nil,
                    context: String? = nil, configPath: String? = nil) {
            self.restURL = restURL
            self.grpcURL = grpcURL
            self.transport = transport
            self.grpcCACert = grpcCACert
            self.context = context
            self.configPath = configPath
        }
    }

    public var environment: [String: String]
    public var homeDirectory: String?
    /// Where an interactive OpenID sign-in (device code, browser URL) is shown: standard error.
    public var prompt: @Sendable (String) -> Void

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, homeDirectory: String? = nil,
                prompt: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"]
        self.prompt = prompt
    }

    private func env(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The config file to read: `--config`, ARMADA_CONFIG, else `~/.armadactl.yaml` (or `.yml`) when
    /// it exists; nil when there is none.
    public func configFilePath(flag: String?) -> String? {
        if let path = flag ?? env("ARMADA_CONFIG") { return path }
        guard let home = homeDirectory else { return nil }
        return [".armadactl.yaml", ".armadactl.yml"].map { home + "/" + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    public func resolve(_ flags: Flags) throws(ArmadaError) -> TargetResolution {
        let file = try configFilePath(flag: flags.configPath).map { path throws(ArmadaError) in try ArmadaConfigFile.load(path: path) }
        // The context: --context, ARMADA_CONTEXT, the file's currentContext, else the flat keys.
        var context: ArmadaContext?
        var contextSource = ""
        if let name = flags.context ?? env("ARMADA_CONTEXT") ?? file?.currentContext {
            guard let file else {
                throw ArmadaError(.configuration, endpoint: "",
                                  message: "context \(name) was requested but no config file was found (pass --config)")
            }
            guard let found = file.contexts[name] else {
                let known = file.contexts.keys.sorted().joined(separator: ", ")
                throw ArmadaError(.configuration, endpoint: "", message: "context \(name) not found under contexts in \(file.path)"
                    + (known.isEmpty ? "" : "; contexts there: \(known)"))
            }
            context = found
            contextSource = "context \(name) in \(file.path)"
        } else if let flat = file?.flat {
            context = flat
            contextSource = file!.path
        }

        let transport: ArmadaTransport?
        if let chosen = flags.transport {
            transport = chosen
        } else if let text = env("ARMADA_TRANSPORT") {
            guard let chosen = ArmadaTransport(rawValue: text.lowercased()) else {
                throw ArmadaError(.configuration, endpoint: "", message: "ARMADA_TRANSPORT=\"\(text)\" must be grpc or rest")
            }
            transport = chosen
        } else {
            transport = nil
        }
        // The addresses, from the first level that names any.
        var rest: (text: String, source: String)?
        var grpc: (text: String, source: String, fromFile: Bool)?
        if flags.restURL != nil || flags.grpcURL != nil {
            rest = flags.restURL.map { ($0, "--rest-url") }
            grpc = flags.grpcURL.map { ($0, "--grpc-url", false) }
        } else if env("ARMADA_REST_URL") != nil || env("ARMADA_GRPC_URL") != nil {
            rest = env("ARMADA_REST_URL").map { ($0, "ARMADA_REST_URL") }
            grpc = env("ARMADA_GRPC_URL").map { ($0, "ARMADA_GRPC_URL", false) }
        } else if let context, context.armadaUrl != nil || context.armadaRestUrl != nil {
            rest = context.armadaRestUrl.map { ($0, contextSource) }
            grpc = context.armadaUrl.map { ($0, contextSource, true) }
        } else if let file {
            // A config file that names no target must never fall back to the simulator silently.
            let known = file.contexts.keys.sorted().joined(separator: ", ")
            throw ArmadaError(.configuration, endpoint: "", message: file.contexts.isEmpty
                ? "\(file.path) names no Armada target: add currentContext and contexts with armadaUrl (gRPC) or armadaRestUrl "
                    + "(see config/localdev.yaml), pass --grpc-url or --rest-url, or --embedded for the simulator"
                : "\(file.path) selects no context: set currentContext, or pass --context (contexts there: \(known))")
        } else {
            return .noTarget
        }
        let chosen: ArmadaTransport
        switch transport {
        case .rest?:
            guard rest != nil else {
                throw ArmadaError(.configuration, endpoint: "", message: "the REST transport was asked for, but \(grpc?.source ?? "nothing") "
                    + "names only a gRPC address (\(grpc?.text ?? "")): add armadaRestUrl or pass --rest-url (the goreman dev stack "
                    + "serves the gateway at http://localhost:8081), or drop --transport rest")
            }
            chosen = .rest
        case .grpc?:
            guard grpc != nil else {
                throw ArmadaError(.configuration, endpoint: "", message: "the gRPC transport was asked for, but \(rest?.source ?? "nothing") "
                    + "names only a REST URL (\(rest?.text ?? "")): add armadaUrl or pass --grpc-url (the goreman dev stack serves gRPC "
                    + "at localhost:50051), or drop --transport grpc")
            }
            chosen = .grpc
        case nil:
            chosen = grpc != nil ? .grpc : .rest
        }
        var restURL: URL?
        if let rest {
            guard let url = Self.url(rest.text) else {
                throw ArmadaError(.configuration, endpoint: "", message: "\(rest.source): \"\(rest.text)\" is not a URL")
            }
            restURL = url
        }
        var endpoint: GRPCEndpoint?
        if let grpc {
            // armadactl's rule for a context: TLS unless forceNoTls. A bare address on the command
            // line or in the environment is plaintext on loopback (the dev stack), TLS elsewhere.
            let noTls = grpc.fromFile ? context?.forceNoTls ?? false : Self.isLoopback(grpc.text)
            do {
                endpoint = try GRPCEndpoint.parse(grpc.text, forceNoTls: noTls)
            } catch {
                throw ArmadaError(.configuration, endpoint: "", message: "\(grpc.source): \(error.message)")
            }
            endpoint?.caCertificatePath = flags.grpcCACert ?? env("ARMADA_GRPC_CA_CERT")
            if grpc.fromFile {
                endpoint?.keepAliveTime = context?.grpcKeepAliveTime
                endpoint?.keepAliveTimeout = context?.grpcKeepAliveTimeout
            }
        }
        let source = chosen == .grpc ? grpc!.source : rest!.source
        return .target(ResolvedTarget(transport: chosen, restURL: restURL, grpc: endpoint,
                                      credentials: try credentials(for: context, source: contextSource), source: source,
                                      policySettle: context?.policySettle,
                                      contextName: context.flatMap { $0.name.isEmpty ? nil : $0.name }, warnings: file?.warnings ?? []))
    }

    /// Whether a bare `host:port` names this machine.
    static func isLoopback(_ text: String) -> Bool {
        let lower = text.lowercased()
        if lower.contains("://") { return false }
        return lower.hasPrefix("localhost") || lower.hasPrefix("127.") || lower.hasPrefix("[::1]")
    }

    /// `localhost:8081` → `http://localhost:8081`, as upstream's health check does.
    static func url(_ text: String) -> URL? {
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let url = URL(string: withScheme), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil else { return nil }
        // Credentials in the URL itself are credentials like any other: never printed.
        if let parts = URLComponents(url: url, resolvingAgainstBaseURL: false), let password = parts.password {
            Redaction.register(username: parts.user ?? "", password: password)
        }
        return url
    }

    func credentials(for context: ArmadaContext?, source: String) throws(ArmadaError) -> any CredentialProvider {
        if let token = env("ARMADA_BEARER_TOKEN") { return BearerCredentials(.token(Secret(token))) }
        if let user = env("ARMADA_USERNAME") { return BasicCredentials(username: user, password: Secret(env("ARMADA_PASSWORD") ?? "")) }
        guard let context else { return NoCredentials() }
        if let basic = context.basicAuth { return BasicCredentials(username: basic.username, password: basic.password) }
        if let unsupported = context.unsupportedAuth.first {
            throw ArmadaError(.configuration, endpoint: "", message: "\(source) uses \(unsupported), which this runner cannot perform; "
                + "use an OpenID flow (openIdClientCredentialsAuth, openIdPasswordAuth, openIdDeviceAuth, openIdAuth), basicAuth, "
                + "execAuth (a command that prints a token), bearerToken or ARMADA_BEARER_TOKEN")
        }
        if let openId = context.openId { return OIDCCredentials(openId, prompt: prompt) }
        if let token = context.bearerToken { return BearerCredentials(.token(token)) }
        if let variable = context.bearerTokenEnv {
            let environment = self.environment
            return BearerCredentials(.environment(variable), environment: { environment[$0] })
        }
        if let exec = context.execAuth {
            return ExecCredentials(command: exec.command, arguments: exec.arguments, environment: exec.environment)
        }
        return NoCredentials()
    }
}
