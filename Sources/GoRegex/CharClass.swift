/// A character class: sorted, merged scalar ranges plus Unicode properties (`\pL`, `\p{Greek}`),
/// optionally negated, optionally compared under case folding (`(?i)`).
struct CharClass: Sendable {
    private(set) var ranges: [ClosedRange<UInt32>] = []
    private(set) var properties: [(property: UnicodeProperty, negated: Bool)] = []
    var negated = false
    private(set) var fold = false
    /// Under `fold`: the fold keys of the scalars of small ranges, so `(?i)[\x{212A}]` (Kelvin
    /// sign) matches `K` even though neither is the other's case mapping.
    private var foldKeys: Set<UInt32> = []

    init() {}

    init(ranges: [ClosedRange<UInt32>], negated: Bool = false) {
        self.ranges = ranges
        self.negated = negated
    }

    mutating func add(_ range: ClosedRange<UInt32>) { ranges.append(range) }

    mutating func add(_ scalar: Unicode.Scalar) { ranges.append(scalar.value...scalar.value) }

    /// Adds the scalars of `ranges`, or (when `negated`) every scalar not in them.
    mutating func add(ranges other: [ClosedRange<UInt32>], negated: Bool) {
        ranges += negated ? Self.complement(Self.merged(other)) : other
    }

    mutating func add(_ property: UnicodeProperty, negated: Bool) {
        properties.append((property, negated))
    }

    /// Sorts and merges the ranges; with `fold`, precomputes the fold keys of small classes.
    mutating func finish(fold: Bool) {
        ranges = Self.merged(ranges)
        self.fold = fold
        guard fold else { return }
        var budget = 20_000
        for range in ranges {
            let size = Int(range.upperBound - range.lowerBound) + 1
            guard size <= budget else { continue }
            budget -= size
            for value in range {
                if let s = Unicode.Scalar(value) { foldKeys.insert(CaseFold.key(s).value) }
            }
        }
    }

    func contains(_ s: Unicode.Scalar) -> Bool {
        var hit = rawContains(s)
        if !hit, fold {
            hit = foldKeys.contains(CaseFold.key(s).value) || CaseFold.variants(of: s).contains(where: rawContains)
        }
        return hit != negated
    }

    private func rawContains(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < v {
                lo = mid + 1
            } else if ranges[mid].lowerBound > v {
                hi = mid
            } else {
                return true
            }
        }
        return properties.contains { $0.property.contains(s) != $0.negated }
    }

    static func merged(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// Every scalar value (0…0x10FFFF) not in the sorted, merged `ranges`.
    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
        }
        if next <= 0x10FFFF { out.append(next...0x10FFFF) }
        return out
    }
}
