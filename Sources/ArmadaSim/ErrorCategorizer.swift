import ArmadaAPI
import RetryEngine

/// The executor's error categorizer (lifecycle §6): ordered categories, each with alternative
/// rules; the first category with a matching rule wins; otherwise the default category.
public struct ErrorCategorizer: Sendable, Hashable {
    public struct Rule: Sendable, Hashable {
        public enum Matcher: Sendable, Hashable {
            /// `OOMKilled` (a failed container's reason), `Evicted` or `DeadlineExceeded` (pod reason).
            case conditions([String])
            case exitCodes(in: Bool, values: [Int32])
            /// Regex against failed containers' termination messages.
            case terminationMessage(String)
            /// Regex against the pod-level failure message.
            case podError(String)
        }

        public var matcher: Matcher
        public var subcategory: String
        public var containerName: String?

        public init(_ matcher: Matcher, subcategory: String = "", containerName: String? = nil) {
            self.matcher = matcher
            self.subcategory = subcategory
            self.containerName = containerName
        }
    }

    public struct Category: Sendable, Hashable {
        public var name: String
        public var rules: [Rule]
        public init(name: String, rules: [Rule]) {
            self.name = name
            self.rules = rules
        }
    }

    public var enabled: Bool
    public var categories: [Category]
    public var defaultCategory: String
    public var defaultSubcategory: String

    public init(enabled: Bool = true, categories: [Category], defaultCategory: String = "uncategorized",
                defaultSubcategory: String = "") {
        self.enabled = enabled
        self.categories = categories
        self.defaultCategory = defaultCategory
        self.defaultSubcategory = defaultSubcategory
    }

    /// The local dev stack's config: `oom` on OOMKilled, `user_error` on exit codes 1, 2, 126, 127.
    public static let e2e = ErrorCategorizer(categories: [
        Category(name: "oom", rules: [Rule(.conditions(["OOMKilled"]))]),
        Category(name: "user_error", rules: [Rule(.exitCodes(in: true, values: [1, 2, 126, 127]))]),
    ])

    /// What the categorizer sees of a failed pod.
    public struct Failure: Sendable, Hashable {
        /// Terminated containers with a non-zero exit code.
        public var failedContainers: [ContainerStatus]
        /// Pod `status.reason` (`Evicted`, `DeadlineExceeded`) or "".
        public var podReason: String
        public var podMessage: String

        public init(failedContainers: [ContainerStatus], podReason: String = "", podMessage: String = "") {
            self.failedContainers = failedContainers
            self.podReason = podReason
            self.podMessage = podMessage
        }
    }

    public func categorize(_ failure: Failure) -> (category: String, subcategory: String) {
        guard enabled else { return ("", "") }
        for category in categories {
            for rule in category.rules where matches(rule, failure) {
                return (category.name, rule.subcategory)
            }
        }
        return (defaultCategory, defaultSubcategory)
    }

    func matches(_ rule: Rule, _ failure: Failure) -> Bool {
        let containers = failure.failedContainers.filter { c in rule.containerName.map { $0 == c.name } ?? true }
        switch rule.matcher {
        case .conditions(let conditions):
            return conditions.contains { condition in
                condition == "OOMKilled" ? containers.contains { $0.reason == "OOMKilled" } : failure.podReason == condition
            }
        case .exitCodes(let isIn, let values):
            return containers.contains { c in c.exitCode != 0 && values.contains(c.exitCode) == isIn }
        case .terminationMessage(let pattern):
            return containers.contains { !$0.message.isEmpty && RegexCache.contains(pattern, in: $0.message) == true }
        case .podError(let pattern):
            guard !failure.podMessage.isEmpty else { return false }
            return RegexCache.contains(pattern, in: failure.podMessage) == true
        }
    }
}
