import Foundation

/// Probes an address an `ingressInfo` event advertises until it answers HTTP 200, as upstream's
/// testsuite does (testcase-format §2.10): a GET of `/` with the `Host` header set to the
/// advertised host, once a second, for at most a minute. Unlike upstream (§7.13), an address
/// with a port (a NodePort service's `ip:port`) is probed at that port, TLS certificates are
/// verified, and the runner requires the probe to succeed before the test passes.
public struct IngressProbe: Sendable {
    public struct Settings: Sendable, Hashable {
        /// Where requests for an ingress host go instead of the host itself
        /// (`ARMADA_EXECUTOR_INGRESS_URL`, or the embedded simulator's ingress controller); its
        /// port, if any, is used unless `port` is set. An address with a port is always probed there.
        public var baseURL: URL?
        /// `ARMADA_EXECUTOR_INGRESS_PORT`; 80 (443 with TLS) when neither this nor the base has one.
        public var port: Int?
        /// `ARMADA_EXECUTOR_USE_TLS`: https to the advertised host.
        public var useTLS: Bool
        public var deadline: Duration
        public var interval: Duration

        public init(baseURL: URL? = nil, port: Int? = nil, useTLS: Bool = false, deadline: Duration = .seconds(60), interval: Duration = .seconds(1)) {
            self.baseURL = baseURL
            self.port = port
            self.useTLS = useTLS
            self.deadline = deadline
            self.interval = interval
        }

        /// From upstream's variables: `ARMADA_EXECUTOR_INGRESS_URL` (an http or https URL),
        /// `ARMADA_EXECUTOR_INGRESS_PORT` (1…65535), `ARMADA_EXECUTOR_USE_TLS` (anything but ``,
        /// `false`, `0`); a malformed value is an error naming the variable.
        public static func fromEnvironment(_ env: [String: String]) throws -> Settings {
            var settings = Settings()
            if let text = env["ARMADA_EXECUTOR_INGRESS_URL"], !text.isEmpty {
                guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                    throw ArmadaError(.configuration, endpoint: "", message: "ARMADA_EXECUTOR_INGRESS_URL=\(text) is not an http(s) URL with a host; set it like http://localhost")
                }
                settings.baseURL = url
            }
            if let text = env["ARMADA_EXECUTOR_INGRESS_PORT"], !text.isEmpty {
                guard let port = Int(text), (1...65535).contains(port) else {
                    throw ArmadaError(.configuration, endpoint: "", message: "ARMADA_EXECUTOR_INGRESS_PORT=\(text) is not a port (1-65535)")
                }
                settings.port = port
            }
            settings.useTLS = !["", "false", "0"].contains(env["ARMADA_EXECUTOR_USE_TLS"] ?? "")
            return settings
        }
    }

    public let settings: Settings
    let transport: any HTTPTransport

    public init(settings: Settings, transport: any HTTPTransport = IngressProbe.sharedTransport) {
        self.settings = settings
        self.transport = transport
    }

    public static let sharedTransport = URLSessionTransport(maxConnectionsPerHost: 16)

    /// The request for an advertised address (`host` or `host:port`): its URL and `Host` header.
    public func request(for address: String) -> (url: URL, host: String)? {
        let (host, advertisedPort) = Self.split(address)
        guard !host.isEmpty else { return nil }
        var components = URLComponents()
        if advertisedPort == nil, let base = settings.baseURL {
            components.scheme = base.scheme
            components.host = base.host
            components.port = settings.port ?? base.port ?? advertisedPort
        } else {
            components.scheme = settings.useTLS ? "https" : "http"
            components.host = host
            components.port = advertisedPort ?? settings.port
        }
        components.path = "/"
        return components.url.map { ($0, address) }
    }

    static func split(_ address: String) -> (host: String, port: Int?) {
        guard !address.hasPrefix("["), let colon = address.lastIndex(of: ":"),
              let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port) else { return (address, nil) }
        return (String(address[..<colon]), port)
    }

    /// Probes until HTTP 200 (nil) or the deadline (the last failure, upstream's wording).
    public func run(_ address: String) async -> String? {
        guard let (url, host) = request(for: address) else { return "GET request failed: \(address) is not a host" }
        let clock = ContinuousClock(), deadline = clock.now + settings.deadline
        var last = "no answer within \(settings.deadline)"
        while !Task.isCancelled {
            let remaining = deadline - clock.now
            do {
                let status: Int
                if url.scheme == "http", let target = url.host {
                    // Plain HTTP is read leniently, as Go does (bare-LF heads from `nc` servers).
                    status = try await PlainHTTPStatus.get(host: target, port: url.port ?? 80, hostHeader: host, timeout: min(remaining, .seconds(5)))
                } else {
                    let call = TransportRequest(method: "GET", url: url, headers: ["Host": host], timeout: min(remaining, .seconds(5)))
                    status = try await transport.send(call).status
                }
                if status == 200 { return nil }
                last = "GET request failed for \(url.absoluteString) (Host: \(host)): \(status)"
            } catch {
                last = "GET request failed: \(error)"
            }
            guard clock.now + settings.interval < deadline else { break }
            try? await Task.sleep(for: settings.interval)
        }
        return Task.isCancelled ? nil : last
    }
}
