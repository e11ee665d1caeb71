import ArmadaAPI
import Foundation

/// Where the runner should send its calls, and how to authenticate.
public struct ResolvedTarget: Sendable {
    public var restURL: URL
    /// gRPC address from the config, kept for a later gRPC transport.
    public var grpcURL: String?
    public var credentials: any CredentialProvider
    /// Where the URL came from, for the banner (`--rest-url`, `context local in config/x.yaml`).
    public var source: String
    /// The context's `policySettle`, when it sets one.
    public var policySettle: Duration?
    /// The context's name (`local`), nil without one; the default Prometheus `environment` label.
    public var contextName: String?
    /// Config keys this runner does not use, with `file:line:column`, for the CLI to print.
    public var warnings: [String] = []

    public func client(transport: any HTTPTransport = RoutingTransport()) -> ArmadaRESTClient {
        ArmadaRESTClient(baseURL: restURL, transport: transport, credentials: credentials)
    }
}

/// The outcome of resolving flags, environment and config files.
public enum TargetResolution: Sendable {
    case target(ResolvedTarget)
    /// Nothing names a target: the runner uses its embedded simulator.
    case noTarget
}

/// Resolves the target with the precedence command-line flags > environment (`ARMADA_REST_URL`,
/// `ARMADA_CONTEXT`, `ARMADA_CONFIG`, `ARMADA_BEARER_TOKEN`, `ARMADA_USERNAME`/`ARMADA_PASSWORD`)
/// > the `--config` file > `~/.armadactl.yaml`.
public struct TargetResolver: Sendable {
    public struct Flags: Sendable, Hashable {
        public var restURL: String?
        public var context: String?
        public var configPath: String?
        public init(restURL: String? = nil, context: String? = nil, configPath: String? = nil) {
            self.restURL = restURL
            self.context = context
            self.configPath = configPath
        }
    }

    public var environment: [String: String]
    public var homeDirectory: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, homeDirectory: String? = nil) {
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"]
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

        let restText: String?
        let source: String
        if let url = flags.restURL {
            (restText, source) = (url, "--rest-url")
        } else if let url = env("ARMADA_REST_URL") {
            (restText, source) = (url, "ARMADA_REST_URL")
        } else if let url = context?.armadaRestUrl {
            (restText, source) = (url, contextSource)
        } else if let grpc = context?.armadaUrl {
            throw ArmadaError(.configuration, endpoint: "", message: "\(contextSource) names only armadaUrl (gRPC, \(grpc)); "
                + "this runner talks to Armada's REST gateway: add armadaRestUrl (the goreman dev stack serves it at "
                + "http://localhost:8081) or pass --rest-url")
        } else if let file {
            // A config file that names no target must never fall back to the simulator silently.
            let known = file.contexts.keys.sorted().joined(separator: ", ")
            throw ArmadaError(.configuration, endpoint: "", message: file.contexts.isEmpty
                ? "\(file.path) names no Armada target: add currentContext and contexts with armadaRestUrl "
                    + "(see config/localdev.yaml), pass --rest-url, or --embedded for the simulator"
                : "\(file.path) selects no context: set currentContext, or pass --context (contexts there: \(known))")
        } else {
            return .noTarget
        }
        guard let restText, let url = Self.url(restText) else {
            throw ArmadaError(.configuration, endpoint: "", message: "\(source): \"\(restText ?? "")\" is not a URL")
        }
        return .target(ResolvedTarget(restURL: url, grpcURL: context?.armadaUrl,
                                      credentials: try credentials(for: context, source: contextSource), source: source,
                                      policySettle: context?.policySettle,
                                      contextName: context.flatMap { $0.name.isEmpty ? nil : $0.name }, warnings: file?.warnings ?? []))
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
                + "use basicAuth, execAuth (a command that prints a token), bearerToken or ARMADA_BEARER_TOKEN")
        }
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
