/// One job of a `JobSubmitRequest` (`POST /v1/job/submit`). Kubernetes pod specs are carried as
/// lossless JSON trees so every Kubernetes field reaches the server unchanged.
public struct JobSubmitRequestItem: Sendable, Hashable, Codable {
    public var priority: Double?
    public var namespace: String?
    public var clientId: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    /// Deprecated by Armada; still passed through.
    public var requiredNodeLabels: [String: String]?
    /// Deprecated single pod spec (every upstream test case uses it).
    public var podSpec: JSONValue?
    public var podSpecs: [JSONValue]?
    public var ingress: [IngressConfig]?
    public var services: [ServiceConfig]?
    public var scheduler: String?
    public var externalJobUri: String?

    public init(priority: Double? = nil, namespace: String? = nil, clientId: String? = nil,
                labels: [String: String]? = nil, annotations: [String: String]? = nil,
                requiredNodeLabels: [String: String]? = nil, podSpec: JSONValue? = nil,
                podSpecs: [JSONValue]? = nil, ingress: [IngressConfig]? = nil, services: [ServiceConfig]? = nil,
                scheduler: String? = nil, externalJobUri: String? = nil) {
        self.priority = priority
        self.namespace = namespace
        self.clientId = clientId
        self.labels = labels
        self.annotations = annotations
        self.requiredNodeLabels = requiredNodeLabels
        self.podSpec = podSpec
        self.podSpecs = podSpecs
        self.ingress = ingress
        self.services = services
        self.scheduler = scheduler
        self.externalJobUri = externalJobUri
    }

    /// All pod specs of the job, whichever field carries them.
    public var allPodSpecs: [JSONValue] { (podSpec.map { [$0] } ?? []) + (podSpecs ?? []) }
}

/// `IngressConfig` of a job item.
public struct IngressConfig: Sendable, Hashable, Codable {
    public var type: IngressType?
    public var ports: [UInt32]?
    public var annotations: [String: String]?
    public var tlsEnabled: Bool?
    public var certName: String?
    public var useClusterIP: Bool?

    public init(type: IngressType? = nil, ports: [UInt32]? = nil, annotations: [String: String]? = nil,
                tlsEnabled: Bool? = nil, certName: String? = nil, useClusterIP: Bool? = nil) {
        self.type = type
        self.ports = ports
        self.annotations = annotations
        self.tlsEnabled = tlsEnabled
        self.certName = certName
        self.useClusterIP = useClusterIP
    }
}

/// `ServiceConfig` of a job item.
public struct ServiceConfig: Sendable, Hashable, Codable {
    public var type: ServiceType?
    public var ports: [UInt32]?
    public var name: String?

    public init(type: ServiceType? = nil, ports: [UInt32]? = nil, name: String? = nil) {
        self.type = type
        self.ports = ports
        self.name = name
    }
}

/// `api.IngressType` (on the wire: a number).
public enum IngressType: Int, Sendable, Hashable, Codable, CaseIterable, ProtoEnum {
    case ingress = 0
    public var protoName: String { "Ingress" }
}

/// `api.ServiceType` (on the wire: a number).
public enum ServiceType: Int, Sendable, Hashable, Codable, CaseIterable, ProtoEnum {
    case nodePort = 0
    case headless = 1
    public var protoName: String {
        switch self {
        case .nodePort: "NodePort"
        case .headless: "Headless"
        }
    }
}
