/// Parses a pattern with the grammar of Go's `regexp/syntax` under `syntax.Perl` (RE2): what Go
/// rejects is rejected here with Go's error code and the offending text, what Go accepts is
/// accepted. Iterative (an explicit stack of open groups), so no input can exhaust the call stack.
struct RegexParser {
    struct Flags: Sendable, Equatable {
        var fold = false // (?i)
        var multiLine = false // (?m): ^ and $ match at line boundaries
        var dotNewline = false // (?s)
        var nonGreedy = false // (?U)
    }

    /// A parsed piece with the height and program size Go's limits are checked on.
    struct Item {
        var node: RegexNode
        var height: Int
        var size: Int
    }

    private struct Frame {
        var alternatives: [[Item]] = []
        var concat: [Item] = []
        var savedFlags: Flags
        var capture: Bool
    }

    /// Go's limits: nesting height and program size (`128 << 20 / instSize`).
    static let maxHeight = 1000
    static let maxSize = 3_355_443
    static let maxRepeat = 1000

    let s: [Unicode.Scalar]
    var i = 0
    var flags = Flags()
    private var stack: [Frame]

    init(_ pattern: String) {
        s = Array(pattern.unicodeScalars)
        stack = [Frame(savedFlags: Flags(), capture: false)]
    }

    func text(_ range: Range<Int>) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s[max(0, range.lowerBound)..<min(s.count, range.upperBound)])
        return String(out)
    }

    mutating func parse() throws(GoRegexError) -> Item {
        var lastRepeat: Int?
        while i < s.count {
            var repeatStart: Int?
            switch s[i] {
            case "(":
                try openGroup()
            case "|":
                stack[stack.count - 1].alternatives.append(stack[stack.count - 1].concat)
                stack[stack.count - 1].concat = []
                i += 1
            case ")":
                guard stack.count > 1 else { throw GoRegexError(.unexpectedParen, text(0..<s.count)) }
                let frame = stack.removeLast()
                var item = try Self.alternation(frame.alternatives + [frame.concat])
                if frame.capture { item = try Self.wrap(item, extraSize: 2) }
                flags = frame.savedFlags
                stack[stack.count - 1].concat.append(item)
                i += 1
            case "^":
                push(.assertion(flags.multiLine ? .beginLine : .beginText))
                i += 1
            case "$":
                push(.assertion(flags.multiLine ? .endLine : .endText))
                i += 1
            case ".":
                push(.any(newline: flags.dotNewline))
                i += 1
            case "[":
                push(.charClass(try parseClass()))
            case "*", "+", "?":
                repeatStart = i
                let (min, max): (Int, Int?) = s[i] == "*" ? (0, nil) : s[i] == "+" ? (1, nil) : (0, 1)
                i += 1
                try applyRepeat(min: min, max: max, counted: false, start: repeatStart!, lastRepeat: lastRepeat)
            case "{":
                if let (min, max, end) = parseBraces(at: i) {
                    repeatStart = i
                    i = end
                    if min < 0 || min > Self.maxRepeat || (max ?? 0) > Self.maxRepeat || (max ?? 0) < 0 || max.map({ $0 < min }) == true {
                        throw GoRegexError(.invalidRepeatSize, text(repeatStart!..<end))
                    }
                    try applyRepeat(min: min, max: max, counted: true, start: repeatStart!, lastRepeat: lastRepeat)
                } else {
                    pushLiteral(s[i].value)
                    i += 1
                }
            case "\\":
                try parseEscapeAtom()
            default:
                pushLiteral(s[i].value)
                i += 1
            }
            lastRepeat = repeatStart
        }
        guard stack.count == 1 else { throw GoRegexError(.missingParen, text(0..<s.count)) }
        let root = stack[0]
        return try Self.alternation(root.alternatives + [root.concat])
    }

    mutating func push(_ node: RegexNode) {
        stack[stack.count - 1].concat.append(Item(node: node, height: 1, size: 1))
    }

    mutating func pushLiteral(_ value: UInt32) { push(.literal(value, fold: flags.fold)) }

    private mutating func openGroup() throws(GoRegexError) {
        guard stack.count <= Self.maxHeight else { throw GoRegexError(.nestingDepth, "") }
        if i + 1 < s.count, s[i + 1] == "?" {
            try parsePerlFlags()
        } else {
            stack.append(Frame(savedFlags: flags, capture: true))
            i += 1
        }
    }

    /// `(?i)`, `(?i-s:…)`, `(?:…)`, `(?P<name>…)`, `(?<name>…)`; anything else (look-arounds,
    /// atomic groups, back-references by name) is invalid Perl syntax, as in Go.
    private mutating func parsePerlFlags() throws(GoRegexError) {
        let start = i
        // Named captures.
        var nameStart: Int?
        if i + 3 < s.count, s[i + 2] == "P", s[i + 3] == "<" {
            nameStart = i + 4
        } else if i + 3 < s.count, s[i + 2] == "<" { // as in Go, look-behinds (?<= (?<! fail as names
            nameStart = i + 3
        }
        if let nameStart {
            guard let close = s[nameStart...].firstIndex(of: ">") else {
                throw GoRegexError(.invalidNamedCapture, text(start..<s.count))
            }
            let name = s[nameStart..<close]
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }) else {
                throw GoRegexError(.invalidNamedCapture, text(start..<close + 1))
            }
            stack.append(Frame(savedFlags: flags, capture: true))
            i = close + 1
            return
        }
        var newFlags = flags
        var negate = false
        var sawFlag = false
        var j = i + 2
        while j < s.count {
            let c = s[j]
            j += 1
            switch c {
            case "i": set(&newFlags.fold, !negate); sawFlag = true
            case "m": set(&newFlags.multiLine, !negate); sawFlag = true
            case "s": set(&newFlags.dotNewline, !negate); sawFlag = true
            case "U": set(&newFlags.nonGreedy, !negate); sawFlag = true
            case "-":
                if negate { throw GoRegexError(.invalidPerlOp, text(start..<j)) }
                negate = true
                sawFlag = false
            case ":", ")":
                if negate, !sawFlag { throw GoRegexError(.invalidPerlOp, text(start..<j)) }
                if c == ":" {
                    stack.append(Frame(savedFlags: flags, capture: false))
                }
                flags = newFlags
                i = j
                return
            default:
                throw GoRegexError(.invalidPerlOp, text(start..<j))
            }
        }
        throw GoRegexError(.invalidPerlOp, text(start..<j))
    }

    private func set(_ flag: inout Bool, _ value: Bool) { flag = value }

    private mutating func applyRepeat(min: Int, max: Int?, counted: Bool, start: Int, lastRepeat: Int?) throws(GoRegexError) {
        var greedy = !flags.nonGreedy
        if i < s.count, s[i] == "?" {
            i += 1
            greedy.toggle()
        }
        if let lastRepeat { throw GoRegexError(.invalidRepeatOp, text(lastRepeat..<i)) }
        guard let sub = stack[stack.count - 1].concat.popLast() else {
            throw GoRegexError(.missingRepeatArgument, text(start..<i))
        }
        let node = RegexNode.repeat(sub.node, min: min, max: max, greedy: greedy, counted: counted)
        if counted, min >= 2 || (max ?? 0) >= 2, !node.repeatIsValid(Self.maxRepeat) {
            throw GoRegexError(.invalidRepeatSize, text(start..<i))
        }
        let size: Int
        if let max {
            size = SaturatingMath.add(SaturatingMath.multiply(min, sub.size), SaturatingMath.multiply(max - min, sub.size + 1))
        } else {
            size = SaturatingMath.add(SaturatingMath.multiply(Swift.max(min, 1), sub.size), 2)
        }
        let item = try Self.check(Item(node: node, height: sub.height + 1, size: Swift.max(size, 1)))
        stack[stack.count - 1].concat.append(item)
    }

    /// `{n}`, `{n,}`, `{n,m}` at `start`: the counts and the index after `}`; nil when the text is
    /// not a repeat (then `{` is a literal, as in Go). A count over 10^8 is reported as -1.
    private func parseBraces(at start: Int) -> (Int, Int?, Int)? {
        var j = start + 1
        func number() -> Int? {
            guard j < s.count, ("0"..."9").contains(s[j]) else { return nil }
            if s[j] == "0", j + 1 < s.count, ("0"..."9").contains(s[j + 1]) { return nil } // no leading zeros
            var n = 0
            while j < s.count, ("0"..."9").contains(s[j]) {
                if n >= 100_000_000 { n = -1 } else if n >= 0 { n = n * 10 + Int(s[j].value - 0x30) }
                j += 1
            }
            return n
        }
        guard let min = number() else { return nil }
        var max: Int? = min
        if j < s.count, s[j] == "," {
            j += 1
            if j < s.count, s[j] == "}" {
                max = nil
            } else {
                guard let m = number() else { return nil }
                max = m
            }
        }
        guard j < s.count, s[j] == "}" else { return nil }
        return (min, max, j + 1)
    }

    static func alternation(_ branches: [[Item]]) throws(GoRegexError) -> Item {
        let items = try branches.map { branch throws(GoRegexError) -> Item in
            switch branch.count {
            case 0: return Item(node: .empty, height: 1, size: 1)
            case 1: return branch[0]
            default:
                return try check(Item(node: .concat(branch.map(\.node)), height: 1 + branch.map(\.height).max()!,
                                      size: branch.reduce(0) { SaturatingMath.add($0, $1.size) }))
            }
        }
        guard items.count > 1 else { return items[0] }
        return try check(Item(node: .alternate(items.map(\.node)), height: 1 + items.map(\.height).max()!,
                              size: items.reduce(2 * (items.count - 1)) { SaturatingMath.add($0, $1.size) }))
    }

    static func wrap(_ item: Item, extraSize: Int) throws(GoRegexError) -> Item {
        try check(Item(node: item.node, height: item.height + 1, size: SaturatingMath.add(item.size, extraSize)))
    }

    static func check(_ item: Item) throws(GoRegexError) -> Item {
        if item.height > maxHeight { throw GoRegexError(.nestingDepth, "") }
        if item.size > maxSize { throw GoRegexError(.large, "") }
        return item
    }
}

enum SaturatingMath {
    static func add(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? Int.max : r
    }

    static func multiply(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? Int.max : r
    }
}
