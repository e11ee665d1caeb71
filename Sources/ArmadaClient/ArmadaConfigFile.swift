import ArmadaAPI
import Foundation
import Yams

/// One target's connection details, as an armadactl context (or the legacy flat form) holds them.
public struct ArmadaContext: Sendable, Hashable {
    public var name: String
    /// gRPC `host:port` (Armada's primary API).
    public var armadaUrl: String?
    public var armadaRestUrl: String?
    public var forceNoTls: Bool
    public var basicAuth: (username: String, password: Secret)?
    public var bearerToken: Secret?
    public var bearerTokenEnv: String?
    public var execAuth: (command: String, arguments: [String], environment: [String: String])?
    /// How long to wait after creating retry policies and queues for the scheduler's cache
    /// (`policySettle: 5s`); the runner's default applies when nil.
    public var policySettle: Duration?
    /// gRPC client keepalive (`grpcKeepAliveTime`, `grpcKeepAliveTimeout`).
    public var grpcKeepAliveTime: Duration?
    public var grpcKeepAliveTimeout: Duration?
    /// An OpenID Connect flow (`openIdAuth`, `openIdDeviceAuth`, `openIdPasswordAuth`,
    /// `openIdClientCredentialsAuth`), when the context has one.
    public var openId: OIDCSettings?
    /// Auth methods the file enables that this client cannot perform (Kubernetes native, Kerberos,
    /// `openIdKubernetesAuth`).
    public var unsupportedAuth: [String]

    public init(name: String) {
        self.name = name
        forceNoTls = false
        unsupportedAuth = []
    }

    public static func == (a: ArmadaContext, b: ArmadaContext) -> Bool {
        a.name == b.name && a.armadaUrl == b.armadaUrl && a.armadaRestUrl == b.armadaRestUrl
            && a.forceNoTls == b.forceNoTls && a.basicAuth?.username == b.basicAuth?.username
            && a.basicAuth?.password == b.basicAuth?.password && a.bearerToken == b.bearerToken
            && a.bearerTokenEnv == b.bearerTokenEnv && a.execAuth?.command == b.execAuth?.command
            && a.execAuth?.arguments == b.execAuth?.arguments && a.execAuth?.environment == b.execAuth?.environment
            && a.unsupportedAuth == b.unsupportedAuth && a.policySettle == b.policySettle
            && a.grpcKeepAliveTime == b.grpcKeepAliveTime && a.grpcKeepAliveTimeout == b.grpcKeepAliveTimeout
            && a.openId == b.openId
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(armadaRestUrl)
    }
}

/// An armadactl-format config file: `currentContext` and `contexts: {name: {...}}`, or the
/// legacy flat form with the same keys at the top level. Keys match case-insensitively, as
/// armadactl's loader does; unknown keys are errors and keys this runner ignores are warnings
/// (`ConfigSchema`).
public struct ArmadaConfigFile: Sendable, Hashable {
    public var path: String
    public var currentContext: String?
    public var contexts: [String: ArmadaContext]
    /// The top-level (legacy, context-less) settings, if any are present.
    public var flat: ArmadaContext?
    /// Keys armadactl knows that this runner does not use, with `file:line:column`.
    public var warnings: [String]

    public init(path: String, currentContext: String? = nil, contexts: [String: ArmadaContext] = [:], flat: ArmadaContext? = nil,
                warnings: [String] = []) {
        self.path = path
        self.warnings = warnings
        self.currentContext = currentContext
        self.contexts = contexts
        self.flat = flat
    }

    public static func load(path: String) throws(ArmadaError) -> ArmadaConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArmadaError(.configuration, endpoint: "", message: "could not find config file \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws(ArmadaError) -> ArmadaConfigFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            let location = (error as? YamlError).map(Self.position) ?? ""
            throw ArmadaError(.configuration, endpoint: "", message: "\(path)\(location): not valid YAML")
        }
        var file = ArmadaConfigFile(path: path)
        guard let root else { return file }
        guard case .mapping = root else {
            throw ArmadaError(.configuration, endpoint: "", message: "\(path): expected a mapping with currentContext and contexts")
        }
        let findings = ConfigSchema.check(root, path: path)
        guard findings.errors.isEmpty else {
            throw ArmadaError(.configuration, endpoint: "", message: findings.errors.joined(separator: "\n"))
        }
        file.warnings = findings.warnings
        file.currentContext = value(root, "currentContext")?.string
        if let contexts = value(root, "contexts"), case .mapping(let mapping) = contexts {
            for (key, node) in mapping {
                guard let name = key.string else { continue }
                file.contexts[name] = try context(node, name: name, path: path)
            }
        }
        let flat = try context(root, name: "", path: path)
        if flat.armadaUrl != nil || flat.armadaRestUrl != nil { file.flat = flat }
        return file
    }

    private static func position(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return ":\(mark.line):\(mark.column)"
        default: return ""
        }
    }

    static func value(_ node: Node, _ key: String) -> Node? {
        guard case .mapping(let mapping) = node else { return nil }
        let lower = key.lowercased()
        return mapping.first { $0.key.string?.lowercased() == lower }?.value
    }

    /// A Go duration under `key` (`5s`, `500ms`), with the file position when it is not one.
    static func duration(_ node: Node, _ key: String, path: String) throws(ArmadaError) -> Duration? {
        guard let text = value(node, key) else { return nil }
        do {
            return try GoDuration(parsing: text.string ?? "").duration
        } catch {
            throw ArmadaError(.configuration, endpoint: "", message: "\(path):\(text.mark.map { "\($0.line):\($0.column)" } ?? ""): "
                + "\(key) \"\(text.string ?? "")\" is not a duration; write it like 5s or 500ms")
        }
    }

    static func context(_ node: Node, name: String, path: String) throws(ArmadaError) -> ArmadaContext {
        var c = ArmadaContext(name: name)
        c.policySettle = try duration(node, "policySettle", path: path)
        c.grpcKeepAliveTime = try duration(node, "grpcKeepAliveTime", path: path)
        c.grpcKeepAliveTimeout = try duration(node, "grpcKeepAliveTimeout", path: path)
        c.armadaUrl = value(node, "armadaUrl")?.string.flatMap { $0.isEmpty ? nil : $0 }
        c.armadaRestUrl = value(node, "armadaRestUrl")?.string.flatMap { $0.isEmpty ? nil : $0 }
        c.forceNoTls = value(node, "forceNoTls")?.bool ?? false
        if let basic = value(node, "basicAuth"), let user = value(basic, "username")?.string, !user.isEmpty {
            c.basicAuth = (user, Secret(value(basic, "password")?.string ?? ""))
        }
        if let token = value(node, "bearerToken")?.string, !token.isEmpty { c.bearerToken = Secret(token) }
        if let env = value(node, "bearerTokenEnv")?.string, !env.isEmpty { c.bearerTokenEnv = env }
        if let exec = value(node, "execAuth"), let cmd = value(exec, "cmd")?.string, !cmd.isEmpty {
            let args = value(exec, "args")?.array().compactMap(\.string) ?? []
            var env: [String: String] = [:]
            for item in value(exec, "env")?.array() ?? [] {
                if let k = value(item, "name")?.string { env[k] = value(item, "value")?.string ?? "" }
            }
            c.execAuth = (cmd, args, env)
        }
        for method in ["kubernetesNativeAuth", "kerberosAuth"] {
            if let block = value(node, method), value(block, "enabled")?.bool == true { c.unsupportedAuth.append(method) }
        }
        if let m = value(node, "openIdKubernetesAuth"), let url = value(m, "providerUrl")?.string, !url.isEmpty {
            c.unsupportedAuth.append("openIdKubernetesAuth")
        }
        // armadactl tries the flows in this order and uses the first with a providerUrl.
        // `openIdConnect` is armadactl's older name for `openIdAuth`.
        for (key, flow) in [("openIdAuth", OIDCSettings.Flow.authorizationCode), ("openIdConnect", .authorizationCode),
                            ("openIdDeviceAuth", .device), ("openIdPasswordAuth", .password),
                            ("openIdClientCredentialsAuth", .clientCredentials)] {
            guard let m = value(node, key), let url = value(m, "providerUrl")?.string, !url.isEmpty else { continue }
            c.openId = try openId(m, flow: flow, providerUrl: url, path: path)
            break
        }
        return c
    }

    static func openId(_ node: Node, flow: OIDCSettings.Flow, providerUrl: String, path: String) throws(ArmadaError) -> OIDCSettings {
        var settings = OIDCSettings(flow: flow, providerUrl: providerUrl, clientId: value(node, "clientId")?.string ?? "")
        if let secret = value(node, "clientSecret")?.string, !secret.isEmpty { settings.clientSecret = Secret(secret) }
        settings.scopes = value(node, "scopes")?.array().compactMap(\.string) ?? []
        settings.username = value(node, "username")?.string
        if let password = value(node, "password")?.string, !password.isEmpty { settings.password = Secret(password) }
        if let port = value(node, "localPort") {
            guard let number = port.int, let valid = UInt16(exactly: number), valid > 0 else {
                throw ArmadaError(.configuration, endpoint: "", message: "\(path):\(port.mark.map { "\($0.line):\($0.column)" } ?? ""): "
                    + "\(flow.rawValue).localPort \"\(port.string ?? "")\" is not a port; write a number from 1 to 65535")
            }
            settings.localPort = valid
        }
        if let problem = settings.problem {
            throw ArmadaError(.configuration, endpoint: "", message: "\(path): \(problem)")
        }
        return settings
    }
}
