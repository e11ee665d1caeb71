import ArmadaAPI

/// The part of a job that never changes after submit, worked out once (much of it before the
/// simulator actor is entered): the scheduler's loops read a job's resources and gang many times,
/// and a job is copied out of the table and back at every step, which now moves one reference.
final class SimJobBase: Sendable {
    let id: String
    let queue: String
    let jobSet: String
    let order: Int
    let item: JobSubmitRequestItem
    let spec: PodSpecView
    let podSpec: JSONValue
    let owner: String
    let annotations: [String: String]
    let labels: [String: String]
    let namespace: String
    let cpu: Double
    /// Requested memory before retry bumps.
    let memory: Double
    let gangCardinality: Int
    let gangId: String?
    /// What the API server would say about the pod spec when the executor creates the pod.
    let podProblems: [String]

    init(id: String, queue: String, jobSet: String, order: Int, owner: String, prepared: Simulator.PreparedItem) {
        (self.id, self.queue, self.jobSet, self.order, self.owner) = (id, queue, jobSet, order, owner)
        item = prepared.item
        spec = prepared.spec
        podSpec = prepared.podSpec
        annotations = prepared.item.annotations ?? [:]
        labels = prepared.item.labels ?? [:]
        namespace = prepared.item.namespace ?? ""
        cpu = prepared.spec.cpu
        memory = prepared.spec.memory
        gangCardinality = Int(annotations["armadaproject.io/gangCardinality"] ?? "") ?? 1
        if let gang = annotations["armadaproject.io/gangId"], !gang.isEmpty, gangCardinality >= 2 { gangId = gang } else { gangId = nil }
        podProblems = prepared.podProblems
    }
}
