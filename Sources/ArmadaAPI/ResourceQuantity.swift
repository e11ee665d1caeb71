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
        // On bytes: this runs for every container of every submitted job.
        var utf8 = Array(text.utf8)[...]
        while utf8.first == 0x20 { utf8.removeFirst() }
        while utf8.last == 0x20 { utf8.removeLast() }
        guard !utf8.isEmpty else { return nil }
        func hasSuffix(_ suffix: String) -> Bool { utf8.count >= suffix.utf8.count && utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) }
        var number = utf8
        var multiplier = 1.0
        if let suffix = ResourceQuantity.binary.first(where: { hasSuffix($0.0) }) {
            number = number.dropLast(2)
            multiplier = suffix.1
        } else if let suffix = ResourceQuantity.decimal.first(where: { hasSuffix($0.0) }) {
            number = number.dropLast(1)
            multiplier = suffix.1
        }
        var exponent = false
        for b in number {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"): continue
            case UInt8(ascii: "e"), UInt8(ascii: "E"): exponent = true
            default: return nil
            }
        }
        guard !number.isEmpty, let n = Double(String(decoding: number, as: UTF8.self)), n.isFinite else { return nil }
        if exponent && multiplier != 1 { return nil }
        self.text = String(decoding: utf8, as: UTF8.self)
        self.value = n * multiplier
    }

    public static func < (a: ResourceQuantity, b: ResourceQuantity) -> Bool { a.value < b.value }
    public var description: String { text }
}
