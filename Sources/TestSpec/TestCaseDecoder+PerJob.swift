import ArmadaAPI

extension TestCaseDecoder {
    /// The most retries `retries:` may ask for.
    static let maxRetries = 1_000

    func decodeRetries(_ node: YAMLNode, _ path: FieldPath) -> Int? {
        guard let n = context.integer(node, path, as: Int64.self) else { return nil }
        guard n >= 0, n <= Int64(Self.maxRetries) else {
            context.error(node, path, "retries \(n) is out of range: write a count from 0 to \(Self.maxRetries)")
            return nil
        }
        return Int(n)
    }

    /// `perJob:` entries: `job: 1` (or `jobs: [0, 2]`) or `labels: {k: v}`, with their own
    /// `expectedEvents` and optional `retries`. Selections are resolved against `jobs` here.
    func decodePerJob(_ node: YAMLNode, _ path: FieldPath, jobs: [JobSubmitRequestItem]) -> [JobExpectation] {
        var entries: [JobExpectation] = []
        var owner: [Int: Int] = [:]
        for (itemPath, item) in context.list(node, path) {
            guard let m = context.mapping(item, itemPath) else { continue }
            var selectors: [(YAMLNode, JobExpectation.Selector)] = []
            if let entry = m.entry("job"), let n = context.integer(entry.value, itemPath.appending("job"), as: Int64.self) {
                selectors.append((entry.key, .items([Int(clamping: n)])))
            }
            if let entry = m.entry("jobs"), let list = context.integerList(entry.value, itemPath.appending("jobs"), as: Int64.self) {
                selectors.append((entry.key, .items(list.map { Int(clamping: $0) })))
            }
            if let entry = m.entry("labels"), let labels = context.stringMap(entry.value, itemPath.appending("labels")) {
                selectors.append((entry.key, .labels(labels)))
            }
            let expected = m.field("expectedEvents").map { decodeExpectedEvents($0, itemPath.appending("expectedEvents")) } ?? []
            let retries = m.field("retries").flatMap { decodeRetries($0, itemPath.appending("retries")) }
            m.finish()
            guard selectors.count == 1, let (keyNode, selector) = selectors.first else {
                context.error(item, itemPath, selectors.isEmpty ? "a perJob entry needs job:, jobs: or labels: to say which jobs it is for"
                                                                : "a perJob entry takes one of job:, jobs: or labels:",
                              hint: "job: is the position in jobs: (0 is the first item); labels: selects items by their labels")
                continue
            }
            if expected.isEmpty, !context.hasError(within: itemPath.appending("expectedEvents")) {
                context.error(item, itemPath, "a perJob entry needs expectedEvents: (the sequence its jobs must produce)")
            }
            let items: [Int]
            switch selector {
            case .items(let positions):
                for p in positions where !jobs.indices.contains(p) {
                    context.error(keyNode, itemPath, "job \(p) does not exist: jobs: has \(jobs.count) item(s), numbered from 0")
                }
                items = positions.filter { jobs.indices.contains($0) }
            case .labels(let labels):
                items = jobs.indices.filter { i in labels.allSatisfy { jobs[i].labels?[$0.key] == $0.value } }
                if items.isEmpty, !labels.isEmpty {
                    context.error(keyNode, itemPath, "no item of jobs: has the labels \(JobExpectation.Selector.labels(labels))",
                                  hint: "add the labels to a job's labels:, or select it with job: <position>")
                }
            }
            for p in items {
                if let earlier = owner[p] {
                    context.error(keyNode, itemPath, "job \(p) is already selected by perJob entry \(earlier)",
                                  hint: "each job follows one sequence; narrow one of the selections")
                }
                owner[p] = entries.count
            }
            entries.append(JobExpectation(selector: selector, expectedEvents: expected, retries: retries, items: items,
                                          location: context.location(of: keyNode)))
        }
        return entries
    }
}
