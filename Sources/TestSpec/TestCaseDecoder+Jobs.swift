import ArmadaAPI

extension TestCaseDecoder {
    func decodeJob(_ m: MappingDecoder) -> JobSubmitRequestItem? {
        var job = JobSubmitRequestItem()
        job.priority = m.double("priority")
        job.namespace = m.string("namespace")
        job.clientId = m.string("clientId")
        job.labels = m.stringMap("labels")
        job.annotations = m.stringMap("annotations")
        job.requiredNodeLabels = m.stringMap("requiredNodeLabels")
        job.podSpec = m.kubernetesObject("podSpec")
        if let node = m.field("podSpecs"), !node.isNull {
            job.podSpecs = context.list(node, m.path.appending("podSpecs")).compactMap { context.kubernetesObject($0.1, $0.0) }
        }
        job.ingress = m.messages("ingress") { i in
            let config = IngressConfig(type: i.protoEnum("type", as: IngressType.self), ports: i.uint32List("ports"),
                                       annotations: i.stringMap("annotations"), tlsEnabled: i.bool("tlsEnabled"),
                                       certName: i.string("certName"), useClusterIP: i.bool("useClusterIP"))
            i.finish()
            return config
        }
        job.services = m.messages("services") { s in
            let config = ServiceConfig(type: s.protoEnum("type", as: ServiceType.self), ports: s.uint32List("ports"),
                                       name: s.string("name"))
            s.finish()
            return config
        }
        job.scheduler = m.string("scheduler")
        job.externalJobUri = m.string("externalJobUri")
        m.finish()
        checkJob(job, m)
        return job
    }

    /// The submit-time checks the server applies to every item, reported before submission.
    private func checkJob(_ job: JobSubmitRequestItem, _ m: MappingDecoder) {
        if (job.namespace ?? "").isEmpty {
            context.error(m.node, m.path.appending("namespace"), "a job needs a namespace",
                          hint: "add namespace: personal-anonymous (or the namespace your cluster uses)")
        }
        let specs = job.allPodSpecs
        if specs.isEmpty {
            context.error(m.node, m.path, "a job needs a podSpec", hint: "add podSpec: with at least one container")
        } else if specs.count > 1 {
            context.error(m.node, m.path, "a job takes exactly one pod spec, found \(specs.count)",
                          hint: "use either podSpec: or a one-item podSpecs: list")
        }
        for spec in specs {
            let containers = spec["containers"]?.arrayValue ?? []
            if containers.isEmpty {
                let at = TestCaseDecoder.node(at: FieldPath([.key(job.podSpec != nil ? "podSpec" : "podSpecs")]), in: m.node)
                context.error(at, m.path.appending(job.podSpec != nil ? "podSpec" : "podSpecs"),
                              "a pod spec needs at least one container under containers:")
            }
        }
    }
}
