import ArmadaAPI

/// A job's cumulative memory bump across engine retries (lifecycle §5.9): a product of factors or
/// a sum of static amounts — one kind per job; a rule of the other kind is skipped (the retry
/// still happens).
public enum MemoryBump: Sendable, Hashable {
    case none
    case factor(Double)
    /// Bytes added in total.
    case addition(Double)

    /// The bump after a Retry rule's mutation; `skipped` when the rule's kind conflicts.
    public func applying(_ rule: RetryResourceBump?) -> (bump: MemoryBump, skipped: Bool) {
        guard let rule else { return (self, false) }
        if let f = rule.factor {
            switch self {
            case .none: return (.factor(f), false)
            case .factor(let current): return (.factor(current * f), false)
            case .addition: return (self, true)
            }
        }
        if let text = rule.static, let q = ResourceQuantity(text) {
            switch self {
            case .none: return (.addition(q.value), false)
            case .addition(let current): return (.addition(current + q.value), false)
            case .factor: return (self, true)
            }
        }
        return (self, false)
    }

    /// The scheduler's requirement for a job whose original total memory is `original` bytes:
    /// `ceil(original × factor)` or `original + static`.
    public func schedulingRequirement(original: Double) -> Double {
        switch self {
        case .none: original
        case .factor(let f): (original * f).rounded(.up)
        case .addition(let s): original + s
        }
    }

    /// The executor's per-container memory: `floor(original × factor)`; a static total is split
    /// across main containers in proportion to their memory, and each init container gets all of
    /// it. Containers without a memory value (nil) stay without one.
    public func containerMemory(main: [Double?], initContainers: [Double?]) -> (main: [Double?], initContainers: [Double?]) {
        switch self {
        case .none:
            return (main, initContainers)
        case .factor(let f):
            let grow: (Double?) -> Double? = { $0.map { ($0 * f).rounded(.down) } }
            return (main.map(grow), initContainers.map(grow))
        case .addition(let s):
            let total = main.compactMap { $0 }.reduce(0, +)
            let grownMain = main.map { m -> Double? in
                guard let m else { return nil }
                return total > 0 ? (m + s * m / total).rounded(.down) : m
            }
            return (grownMain, initContainers.map { $0.map { $0 + s } })
        }
    }
}
