/// The parsed form of a pattern. Only what matching needs is kept: capture groups are plain
/// groups, since matching reports whether and where the whole pattern matches.
indirect enum RegexNode: Sendable {
    case empty
    /// One code point (a surrogate such as `\x{D800}` is accepted, as in Go, and matches nothing);
    /// `fold` compares under Unicode simple case folding (`(?i)`).
    case literal(UInt32, fold: Bool)
    case charClass(CharClass)
    /// `.`; `newline` is whether it also matches `\n` (`(?s)`).
    case any(newline: Bool)
    case assertion(EmptyAssertion)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `max` nil is unbounded; `counted` is the `{n,m}` form (Go limits how those nest).
    case `repeat`(RegexNode, min: Int, max: Int?, greedy: Bool, counted: Bool)
}

/// Zero-width assertions.
enum EmptyAssertion: Sendable, Hashable {
    case beginLine, endLine, beginText, endText, wordBoundary, noWordBoundary
}

extension RegexNode {
    /// Go's `repeatIsValid`: counted repeats may nest only while the product of their counts stays
    /// within `budget` (1000), so `(a{100}){100}` is an invalid repeat count, as in Go.
    func repeatIsValid(_ budget: Int) -> Bool {
        switch self {
        case .repeat(let sub, let min, let max, _, let counted):
            var budget = budget
            let m = max ?? min
            if counted, m > 0 {
                if m > budget { return false }
                budget /= m
            }
            return sub.repeatIsValid(budget)
        case .concat(let subs), .alternate(let subs):
            return subs.allSatisfy { $0.repeatIsValid(budget) }
        default:
            return true
        }
    }
}
