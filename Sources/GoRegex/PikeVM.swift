/// Runs a program over a text's Unicode scalars in one pass with a thread list per position
/// (Pike's VM, as Go's `regexp` does for patterns it cannot backtrack): time linear in the text
/// times the program, no catastrophic backtracking. Threads are kept in priority order, so the
/// match found is the leftmost, and among those the one Go's leftmost-first semantics prefers.
struct PikeVM {
    /// A sparse set of program counters, each with the text position its thread started at.
    private struct ThreadList {
        var dense: [(pc: Int, start: Int)] = []
        var sparse: [Int]

        init(size: Int) { sparse = Array(repeating: 0, count: size) }

        func contains(_ pc: Int) -> Bool {
            let k = sparse[pc]
            return k < dense.count && dense[k].pc == pc
        }

        mutating func insert(_ pc: Int, start: Int) {
            sparse[pc] = dense.count
            dense.append((pc, start))
        }

        mutating func clear() { dense.removeAll(keepingCapacity: true) }
    }

    let program: RegexProgram
    private let text: [Unicode.Scalar]
    private var stack: [Int] = []

    init(_ program: RegexProgram, text: [Unicode.Scalar]) {
        self.program = program
        self.text = text
    }

    /// The leftmost-first match as scalar offsets; with `stopAtFirst`, any match ends the search
    /// (enough to answer whether the text contains one).
    mutating func run(stopAtFirst: Bool) -> Range<Int>? {
        let size = program.insts.count
        var current = ThreadList(size: size), next = ThreadList(size: size)
        var matched: Range<Int>?
        var pos = 0
        while true {
            if matched == nil { add(&current, pc: 0, start: pos, at: pos) }
            if current.dense.isEmpty { break }
            let c: Unicode.Scalar? = pos < text.count ? text[pos] : nil
            next.clear()
            threads: for (pc, start) in current.dense {
                switch program.insts[pc] {
                case .match:
                    matched = start..<pos
                    if stopAtFirst { return matched }
                    break threads // lower-priority threads are cut: leftmost-first
                case .scalar(let v):
                    if let c, c.value == v { add(&next, pc: pc + 1, start: start, at: pos + 1) }
                case .scalarFold(let key):
                    if let c, CaseFold.key(c).value == key { add(&next, pc: pc + 1, start: start, at: pos + 1) }
                case .charClass(let k):
                    if let c, program.classContains(k, c) { add(&next, pc: pc + 1, start: start, at: pos + 1) }
                case .any:
                    if c != nil { add(&next, pc: pc + 1, start: start, at: pos + 1) }
                case .anyNotNewline:
                    if let c, c != "\n" { add(&next, pc: pc + 1, start: start, at: pos + 1) }
                case .split, .jump, .assert:
                    continue
                }
            }
            swap(&current, &next)
            if c == nil { break }
            pos += 1
        }
        return matched
    }

    /// Follows the empty transitions from `pc` at text position `at`, depth first in priority
    /// order (an explicit stack: a pattern can nest a thousand levels).
    private mutating func add(_ list: inout ThreadList, pc: Int, start: Int, at pos: Int) {
        stack.append(pc)
        while let pc = stack.popLast() {
            if list.contains(pc) { continue }
            list.insert(pc, start: start)
            switch program.insts[pc] {
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assert(let a):
                if holds(a, at: pos) { stack.append(pc + 1) }
            default:
                break
            }
        }
    }

    private func holds(_ a: EmptyAssertion, at pos: Int) -> Bool {
        switch a {
        case .beginText: return pos == 0
        case .endText: return pos == text.count
        case .beginLine: return pos == 0 || text[pos - 1] == "\n"
        case .endLine: return pos == text.count || text[pos] == "\n"
        case .wordBoundary: return isWord(pos - 1) != isWord(pos)
        case .noWordBoundary: return isWord(pos - 1) == isWord(pos)
        }
    }

    private func isWord(_ k: Int) -> Bool {
        guard k >= 0, k < text.count else { return false }
        switch text[k].value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: return true
        default: return false
        }
    }
}
