/// The compiled form a Pike VM runs: Thompson's construction over the parsed pattern.
struct RegexProgram: Sendable {
    enum Inst: Sendable {
        case scalar(UInt32)
        /// Under `(?i)`: the fold key of the literal.
        case scalarFold(UInt32)
        case charClass(Int)
        case any
        case anyNotNewline
        /// Try `first`, then `second` (priority order decides leftmost-first).
        case split(Int, Int)
        case jump(Int)
        case assert(EmptyAssertion)
        case match
    }

    private(set) var insts: [Inst] = []
    private(set) var classes: [CharClass] = []

    init(_ root: RegexNode) {
        emit(root)
        insts.append(.match)
    }

    private mutating func emit(_ node: RegexNode) {
        switch node {
        case .empty:
            break
        case .literal(let value, let fold):
            if fold, let scalar = Unicode.Scalar(value) {
                insts.append(.scalarFold(CaseFold.key(scalar).value))
            } else {
                insts.append(.scalar(value))
            }
        case .charClass(let cls):
            classes.append(cls)
            insts.append(.charClass(classes.count - 1))
        case .any(let newline):
            insts.append(newline ? .any : .anyNotNewline)
        case .assertion(let a):
            insts.append(.assert(a))
        case .concat(let subs):
            for sub in subs { emit(sub) }
        case .alternate(let subs):
            var jumps: [Int] = []
            for (k, sub) in subs.enumerated() {
                if k == subs.count - 1 {
                    emit(sub)
                    break
                }
                let split = insts.count
                insts.append(.split(split + 1, -1))
                emit(sub)
                jumps.append(insts.count)
                insts.append(.jump(-1))
                insts[split] = .split(split + 1, insts.count)
            }
            for j in jumps { insts[j] = .jump(insts.count) }
        case .repeat(let sub, let min, let max, let greedy, _):
            emitRepeat(sub, min: min, max: max, greedy: greedy)
        }
    }

    private mutating func emitRepeat(_ sub: RegexNode, min: Int, max: Int?, greedy: Bool) {
        guard let max else {
            if min == 0 { // x*
                let split = insts.count
                insts.append(.split(-1, -1))
                emit(sub)
                insts.append(.jump(split))
                insts[split] = branch(split + 1, insts.count, greedy)
                return
            }
            for _ in 0..<(min - 1) { emit(sub) }
            let body = insts.count // x+ : body, then split back
            emit(sub)
            insts.append(branch(body, insts.count + 1, greedy))
            return
        }
        for _ in 0..<min { emit(sub) }
        // x{n,m}: the optional copies nest, so skipping one skips the rest: (x(x)?)?
        var splits: [Int] = []
        for _ in 0..<(max - min) {
            splits.append(insts.count)
            insts.append(.split(-1, -1))
            emit(sub)
        }
        for s in splits { insts[s] = branch(s + 1, insts.count, greedy) }
    }

    private func branch(_ body: Int, _ skip: Int, _ greedy: Bool) -> Inst {
        greedy ? .split(body, skip) : .split(skip, body)
    }

    func classContains(_ index: Int, _ s: Unicode.Scalar) -> Bool { classes[index].contains(s) }
}
