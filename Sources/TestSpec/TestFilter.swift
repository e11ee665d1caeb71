import GoRegex

/// Which of the discovered tests a run takes: `--run REGEX` keeps the tests whose name it matches,
/// `--skip REGEX` drops those it matches (both Go `regexp` syntax, unanchored, as `go test -run`),
/// `--shard i/n` keeps this machine's part. The order of the tests is kept.
public struct TestFilter: Sendable {
    public let run: GoRegex?
    public let skip: GoRegex?
    public let shard: TestShard?

    public init(run: String? = nil, skip: String? = nil, shard: String? = nil) throws(TestFilterError) {
        func compile(_ flag: String, _ pattern: String?) throws(TestFilterError) -> GoRegex? {
            guard let pattern else { return nil }
            do {
                return try GoRegex(pattern)
            } catch {
                throw TestFilterError("\(flag) \"\(pattern)\" is not a Go regular expression: \(error.description) "
                    + "(the syntax of Go's regexp package, e.g. 'retries|basic', '^gang-')")
            }
        }
        self.run = try compile("--run", run)
        self.skip = try compile("--skip", skip)
        self.shard = try shard.map { text throws(TestFilterError) in try TestShard(parsing: text) }
    }

    /// Whether any of the three is given.
    public var isActive: Bool { run != nil || skip != nil || shard != nil }

    /// What the filter kept, and how many it left out for each reason.
    public struct Selection<T: Sendable>: Sendable {
        public var kept: [T]
        /// Not matched by `--run`.
        public var notRun = 0
        /// Matched by `--skip`.
        public var skipped = 0
        /// In another shard.
        public var otherShards = 0
    }

    public func apply<T: Sendable>(_ items: [T], name: (T) -> String) -> Selection<T> {
        var selection = Selection<T>(kept: [])
        for item in items {
            let testName = name(item)
            if let run, !run.matches(testName) {
                selection.notRun += 1
            } else if let skip, skip.matches(testName) {
                selection.skipped += 1
            } else if let shard, !shard.contains(testName) {
                selection.otherShards += 1
            } else {
                selection.kept.append(item)
            }
        }
        return selection
    }

    /// `--run` and `--skip` must leave a test to run: a filter that selects nothing is a usage
    /// error, never a green run that checked nothing. (An empty shard is not: the split is the
    /// hash's, and the other shards run the tests.)
    public func problem<T>(_ selection: Selection<T>, total: Int) -> String? {
        guard total > 0, selection.kept.isEmpty, selection.otherShards == 0, run != nil || skip != nil else { return nil }
        var given: [String] = []
        if let run { given.append("--run \"\(run.pattern)\"") }
        if let skip { given.append("--skip \"\(skip.pattern)\"") }
        return "\(given.joined(separator: " and ")) \(given.count == 1 ? "leaves" : "leave") none of the \(total) test(s) to run "
            + "(they match test names, as listed by `testsuite list`)"
    }

    /// `selected 3 of 12 tests (--run …: 8 not matched; shard 2/3: 1 in other shards)`; nil without a filter.
    public func summary<T>(_ selection: Selection<T>, total: Int) -> String? {
        guard isActive else { return nil }
        var parts: [String] = []
        if let run { parts.append("--run \"\(run.pattern)\": \(selection.notRun) not matched") }
        if let skip { parts.append("--skip \"\(skip.pattern)\": \(selection.skipped) skipped") }
        if let shard { parts.append("shard \(shard): \(selection.otherShards) in other shards") }
        return "selected \(selection.kept.count) of \(total) test(s) (\(parts.joined(separator: "; ")))"
    }
}
