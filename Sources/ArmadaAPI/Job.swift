/// `api.Job` as carried by the `submitted` event. Kubernetes parts stay JSON trees.
public struct Job: Sendable, Hashable, Codable {
    public var id: String
    public var clientId: String
    public var queue: String
    public var jobSetId: String
    public var namespace: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var owner: String
    public var queueOwnershipUserGroups: [String]
    public var priority: Double
    public var podSpec: JSONValue?
    public var podSpecs: [JSONValue]
    /// `{requests: {cpu: "100m"}, limits: {...}}`.
    public var schedulingResourceRequirements: JSONValue?
    public var created: Timestamp?
    public var k8sIngress: [JSONValue]
    public var k8sService: [JSONValue]

    public init(id: String = "", clientId: String = "", queue: String = "", jobSetId: String = "", namespace: String = "",
                labels: [String: String] = [:], annotations: [String: String] = [:], owner: String = "",
                queueOwnershipUserGroups: [String] = [], priority: Double = 0, podSpec: JSONValue? = nil,
                podSpecs: [JSONValue] = [], schedulingResourceRequirements: JSONValue? = nil, created: Timestamp? = nil,
                k8sIngress: [JSONValue] = [], k8sService: [JSONValue] = []) {
        self.id = id
        self.clientId = clientId
        self.queue = queue
        self.jobSetId = jobSetId
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.owner = owner
        self.queueOwnershipUserGroups = queueOwnershipUserGroups
        self.priority = priority
        self.podSpec = podSpec
        self.podSpecs = podSpecs
        self.schedulingResourceRequirements = schedulingResourceRequirements
        self.created = created
        self.k8sIngress = k8sIngress
        self.k8sService = k8sService
    }

    private enum CodingKeys: String, CodingKey {
        case id, clientId, queue, jobSetId, namespace, labels, annotations, owner, queueOwnershipUserGroups, priority,
             podSpec, podSpecs, schedulingResourceRequirements, created, k8sIngress, k8sService
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenientString(.id)
        clientId = c.lenientString(.clientId)
        queue = c.lenientString(.queue)
        jobSetId = c.lenientString(.jobSetId)
        namespace = c.lenientString(.namespace)
        labels = c.lenientStringMap(.labels)
        annotations = c.lenientStringMap(.annotations)
        owner = c.lenientString(.owner)
        queueOwnershipUserGroups = c.tolerant([String].self, .queueOwnershipUserGroups) ?? []
        priority = c.lenientDouble(.priority)
        podSpec = c.tolerant(JSONValue.self, .podSpec)
        podSpecs = c.tolerant([JSONValue].self, .podSpecs) ?? []
        schedulingResourceRequirements = c.tolerant(JSONValue.self, .schedulingResourceRequirements)
        created = c.tolerant(Timestamp.self, .created)
        k8sIngress = c.tolerant([JSONValue].self, .k8sIngress) ?? []
        k8sService = c.tolerant([JSONValue].self, .k8sService) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNonZero(id, forKey: .id)
        try c.encodeNonZero(clientId, forKey: .clientId)
        try c.encodeNonZero(queue, forKey: .queue)
        try c.encodeNonZero(jobSetId, forKey: .jobSetId)
        try c.encodeNonZero(namespace, forKey: .namespace)
        try c.encodeNonZero(labels, forKey: .labels)
        try c.encodeNonZero(annotations, forKey: .annotations)
        try c.encodeNonZero(owner, forKey: .owner)
        try c.encodeNonZero(queueOwnershipUserGroups, forKey: .queueOwnershipUserGroups)
        try c.encodeNonZero(priority, forKey: .priority)
        try c.encodeIfPresent(podSpec, forKey: .podSpec)
        try c.encodeNonZero(podSpecs, forKey: .podSpecs)
        try c.encodeIfPresent(schedulingResourceRequirements, forKey: .schedulingResourceRequirements)
        try c.encodeIfPresent(created, forKey: .created)
        try c.encodeNonZero(k8sIngress, forKey: .k8sIngress)
        try c.encodeNonZero(k8sService, forKey: .k8sService)
    }
}
