/// A `perJob:` entry: the expected sequence (and retry count) of the submitted items it selects,
/// by position in `jobs` or by labels. Items no entry selects follow the top-level `expectedEvents`.
public struct JobExpectation: Sendable, Hashable {
    public enum Selector: Sendable, Hashable, CustomStringConvertible {
        /// Positions in `jobs` (0-based).
        case items([Int])
        /// Items whose labels include every one of these.
        case labels([String: String])

        public var description: String {
            switch self {
            case .items(let items): return items.count == 1 ? "job \(items[0])" : "jobs \(items.map(String.init).joined(separator: ", "))"
            case .labels(let labels): return "labels " + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            }
        }
    }

    public var selector: Selector
    public var expectedEvents: [ExpectedEvent]
    /// The entry's own `retries:`; nil inherits the test's.
    public var retries: Int?
    /// The positions in `jobs` it selects, resolved at load time.
    public var items: [Int]
    public var location: SourceLocation?

    public init(selector: Selector, expectedEvents: [ExpectedEvent], retries: Int? = nil, items: [Int] = [],
                location: SourceLocation? = nil) {
        self.selector = selector
        self.expectedEvents = expectedEvents
        self.retries = retries
        self.items = items
        self.location = location
    }
}
