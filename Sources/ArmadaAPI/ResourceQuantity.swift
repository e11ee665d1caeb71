/// A Kubernetes `resource.Quantity` (`"100m"`, `"25Mi"`, `"1.5Gi"`, `"1e3"`), parsed to its value.
/// Values are kept as a Double of base units; precision beyond that is not needed for scheduling
/// decisions or validation.
public struct ResourceQuantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let text: String
    public let value: Double

    private static let binary: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
        ("Pi", 1_125_899_906_842_624), ("Ei", 1_152_921_504_606_846_976),
    ]
    private static let decimal: [(String, Double)] = [
        ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15),
        ("E", 1e18),
    ]

    /// Parses Kubernetes quantity syntax; `nil` when the text is not a quantity.
    public init?(_ text: String) {
        let t = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard !t.isEmpty else { return nil }
        var number = Substring(t)
        var multiplier = 1.0
        if let suffix = ResourceQuantity.binary.first(where: { t.hasSuffix($0.0) }) {
            number = number.dropLast(2)
            multiplier = suffix.1
        } else if let suffix = ResourceQuantity.decimal.first(where: { t.hasSuffix($0.0) }) {
            number = number.dropLast(1)
            multiplier = suffix.1
        }
        let allowed = Set("0123456789.+-eE")
        guard !number.isEmpty, number.allSatisfy({ allowed.contains($0) }), let n = Double(number), n.isFinite else {
            return nil
        }
        if (number.contains("e") || number.contains("E")) && multiplier != 1 { return nil }
        self.text = t
        self.value = n * multiplier
    }

    public static func < (a: ResourceQuantity, b: ResourceQuantity) -> Bool { a.value < b.value }
    public var description: String { text }
}
