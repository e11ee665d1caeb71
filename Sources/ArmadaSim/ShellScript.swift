/// A small `sh -c` interpreter for the model runtime: sequences (`;`, newlines, `&&`, `||`),
/// `if [ … ]; then …; [else …;] fi`, `$VAR`, `$(cat file)`, redirections, and the commands test
/// cases use (`sleep`, `exit`, `echo`, `cat`, `dd`/`head` into `/dev/shm`, `tail /dev/zero` …).
/// Anything else is reported as not interpretable — never guessed as a success.
struct ShellScript {
    /// The simulated effect of running a script.
    struct Result: Equatable {
        var exitCode: Int32 = 0
        /// Simulated seconds spent.
        var duration: Double = 0
        /// Bytes held in memory (tmpfs writes, unbounded readers).
        var memory: Double = 0
        var unboundedMemory = false
        var files: [String: String] = [:]
        var stdout = ""
        /// Set when the script uses something this interpreter does not model.
        var unsupported: String?
    }

    enum Token: Equatable {
        case word(String)   // raw, still to be expanded (quotes kept as markers)
        case op(String)     // ; && || | > >> newline
    }

    var environment: [String: String]
    var files: [String: String]

    // MARK: Tokenizer

    static func tokenize(_ script: String) -> [Token]? {
        var tokens: [Token] = []
        var current = ""
        var inWord = false
        var chars = Array(script)[...]
        func flush() {
            if inWord { tokens.append(.word(current)) }
            current = ""
            inWord = false
        }
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case " ", "\t": flush()
            case "\n", ";":
                flush()
                tokens.append(.op(";"))
            case "&" where chars.first == "&":
                chars = chars.dropFirst(); flush(); tokens.append(.op("&&"))
            case "|" where chars.first == "|":
                chars = chars.dropFirst(); flush(); tokens.append(.op("||"))
            case "|": flush(); tokens.append(.op("|"))
            case ">":
                flush()
                if chars.first == ">" { chars = chars.dropFirst(); tokens.append(.op(">>")) } else { tokens.append(.op(">")) }
            case "'":
                inWord = true
                current.append("\u{1}") // single-quoted: no expansion
                while let q = chars.first, q != "'" { current.append(q); chars = chars.dropFirst() }
                guard chars.first == "'" else { return nil }
                chars = chars.dropFirst()
                current.append("\u{1}")
            case "\"":
                inWord = true
                while let q = chars.first, q != "\"" {
                    if q == "\\", chars.count > 1 { chars = chars.dropFirst() }
                    current.append(chars.first!)
                    chars = chars.dropFirst()
                }
                guard chars.first == "\"" else { return nil }
                chars = chars.dropFirst()
                if current.isEmpty { current = "\u{2}" } // an empty quoted word still counts
            case "$" where chars.first == "(":
                inWord = true
                current.append("$(")
                chars = chars.dropFirst()
                var depth = 1
                while let q = chars.first, depth > 0 {
                    chars = chars.dropFirst()
                    if q == "(" { depth += 1 }
                    if q == ")" { depth -= 1; if depth == 0 { break } }
                    current.append(q)
                }
                guard depth == 0 else { return nil }
                current.append(")")
            case "\\":
                inWord = true
                if let n = chars.first { current.append(n); chars = chars.dropFirst() }
            case "#" where !inWord:
                while let q = chars.first, q != "\n" { chars = chars.dropFirst() }
            default:
                inWord = true
                current.append(c)
            }
        }
        flush()
        return tokens
    }

    // MARK: Execution

    mutating func run(_ script: String) -> Result {
        var result = Result()
        guard let tokens = Self.tokenize(script) else {
            result.unsupported = "unbalanced quotes"
            return result
        }
        var position = tokens.startIndex
        _ = execute(tokens, &position, until: [], &result)
        return result
    }

    /// Executes statements until one of `until` (a keyword word) or the end; returns false once
    /// the script has exited (or stopped on something unsupported).
    private mutating func execute(_ tokens: [Token], _ i: inout Int, until: Set<String>, _ r: inout Result) -> Bool {
        var skipNext = false  // set by && after failure / || after success
        while i < tokens.count {
            if case .word(let w) = tokens[i], until.contains(w) { return true }
            if case .op(let op) = tokens[i] {
                i += 1
                switch op {
                case "&&": skipNext = r.exitCode != 0
                case "||": skipNext = r.exitCode == 0
                case "|":
                    r.unsupported = "pipes"
                    return false
                default: skipNext = false
                }
                continue
            }
            if case .word("if") = tokens[i] {
                i += 1
                if skipNext {
                    guard skipBlock(tokens, &i, from: "if", to: "fi") else { r.unsupported = "if without fi"; return false }
                    continue
                }
                guard execute(tokens, &i, until: ["then"], &r) else { return false }
                guard i < tokens.count, tokens[i] == .word("then") else { r.unsupported = "if without then"; return false }
                i += 1
                let condition = r.exitCode == 0
                if condition {
                    guard execute(tokens, &i, until: ["else", "fi"], &r) else { return false }
                    if i < tokens.count, tokens[i] == .word("else") {
                        i += 1
                        guard skipBlock(tokens, &i, from: "if", to: "fi", openAlready: true) else { r.unsupported = "if without fi"; return false }
                        continue
                    }
                } else {
                    guard skipUntil(tokens, &i, ["else", "fi"]) else { r.unsupported = "if without fi"; return false }
                    if tokens[i] == .word("else") {
                        i += 1
                        guard execute(tokens, &i, until: ["fi"], &r) else { return false }
                    }
                }
                guard i < tokens.count, tokens[i] == .word("fi") else { r.unsupported = "if without fi"; return false }
                i += 1
                continue
            }
            // A simple command: words until an operator or a block keyword.
            var words: [String] = []
            var redirect: (append: Bool, target: String)?
            while i < tokens.count {
                if case .op(let op) = tokens[i] {
                    guard op == ">" || op == ">>", i + 1 < tokens.count, case .word(let target) = tokens[i + 1] else { break }
                    redirect = (op == ">>", expand(target, &r))
                    i += 2
                    continue
                }
                guard case .word(let w) = tokens[i], !until.contains(w), !["then", "else", "fi"].contains(w) else { break }
                words.append(w)
                i += 1
            }
            if skipNext || words.isEmpty {
                skipNext = false
                continue
            }
            let argv = words.map { expand($0, &r) }
            if r.unsupported != nil { return false }
            if !command(argv, redirect: redirect, &r) { return false }
        }
        return true
    }

    private func skipUntil(_ tokens: [Token], _ i: inout Int, _ stops: Set<String>) -> Bool {
        var depth = 0
        while i < tokens.count {
            if case .word(let w) = tokens[i] {
                if w == "if" { depth += 1 } else if w == "fi" && depth > 0 { depth -= 1 } else if depth == 0 && stops.contains(w) { return true }
            }
            i += 1
        }
        return false
    }

    private func skipBlock(_ tokens: [Token], _ i: inout Int, from open: String, to close: String, openAlready: Bool = false) -> Bool {
        guard skipUntil(tokens, &i, [close]) else { return false }
        if !openAlready { i += 1 }
        return true
    }

    /// `$VAR`, `${VAR}`, `$(cat f)`, `$(echo …)`; single-quoted parts stay literal.
    private mutating func expand(_ word: String, _ r: inout Result) -> String {
        var out = ""
        var chars = Array(word)[...]
        var literal = false
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\u{1}" { literal.toggle(); continue }
            if c == "\u{2}" { continue }
            guard c == "$", !literal, let next = chars.first else { out.append(c); continue }
            if next == "(" {
                var depth = 0
                var inner = ""
                chars = chars.dropFirst()
                while let q = chars.first {
                    chars = chars.dropFirst()
                    if q == "(" { depth += 1 }
                    if q == ")" { if depth == 0 { break }; depth -= 1 }
                    inner.append(q)
                }
                var sub = ShellScript(environment: environment, files: files.merging(r.files) { $1 })
                let result = sub.run(inner)
                if let u = result.unsupported { r.unsupported = u }
                r.duration += result.duration
                out += result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
            } else if next == "{" {
                let name = String(chars.dropFirst().prefix { $0 != "}" })
                chars = chars.dropFirst(name.count + 2)
                out += environment[name] ?? ""
            } else if next == "?" {
                chars = chars.dropFirst()
                out += String(r.exitCode)
            } else if next.isLetter || next == "_" {
                let name = String(chars.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                chars = chars.dropFirst(name.count)
                out += environment[name] ?? ""
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func bytes(_ text: String) -> Double? {
        let units: [(String, Double)] = [("K", 1024), ("k", 1024), ("M", 1_048_576), ("G", 1_073_741_824)]
        for (suffix, factor) in units where text.hasSuffix(suffix) { return Double(text.dropLast()).map { $0 * factor } }
        return Double(text)
    }

    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, factor) in units where text.hasSuffix(suffix) { return Double(text.dropLast()).map { $0 * factor } }
        return Double(text)
    }

    /// Runs one command; false when the script ends here (exit, or unsupported).
    private mutating func command(_ argv: [String], redirect: (append: Bool, target: String)?, _ r: inout Result) -> Bool {
        let name = argv[0].split(separator: "/").last.map(String.init) ?? argv[0]
        let args = Array(argv.dropFirst())
        var output = ""
        func readFile(_ path: String) -> String? { r.files[path] ?? files[path] }
        switch name {
        case "exit":
            r.exitCode = args.first.flatMap { Int32($0) } ?? r.exitCode
            return false
        case "true", ":": r.exitCode = 0
        case "false": r.exitCode = 1
        case "sleep":
            guard let s = args.first.flatMap(Self.seconds) else { r.unsupported = "sleep \(args.joined(separator: " "))"; return false }
            r.duration += s
            r.exitCode = 0
        case "echo", "printf":
            var parts = args
            var newline = name == "echo"
            if parts.first == "-n" { parts.removeFirst(); newline = false }
            output = parts.joined(separator: " ") + (newline ? "\n" : "")
            r.exitCode = 0
        case "cat", "tail", "head":
            let paths = args.filter { !$0.hasPrefix("-") && Int($0) == nil }
            if paths.contains("/dev/zero") || paths.contains("/dev/urandom") {
                if name == "head", let i = args.firstIndex(of: "-c"), i + 1 < args.count, let n = Self.bytes(args[i + 1]) {
                    if let target = redirect?.target, target.hasPrefix("/dev/shm") { r.memory += n }
                    r.exitCode = 0
                } else {
                    r.unboundedMemory = true
                    return false
                }
            } else {
                var failed = false
                for p in paths {
                    if let content = readFile(p) { output += content } else { failed = true }
                }
                r.exitCode = failed ? 1 : 0
            }
        case "dd":
            var bs = 512.0, count = 0.0, of = ""
            for a in args {
                let kv = a.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2 else { continue }
                switch kv[0] {
                case "bs": bs = Self.bytes(kv[1]) ?? bs
                case "count": count = Double(kv[1]) ?? 0
                case "of": of = kv[1]
                default: break
                }
            }
            if of.hasPrefix("/dev/shm") { r.memory += bs * count }
            r.exitCode = 0
        case "[", "test":
            var t = args
            if name == "[" { guard t.last == "]" else { r.unsupported = "[ without ]"; return false }; t.removeLast() }
            r.exitCode = Self.test(t) ? 0 : 1
        case "ls", "date", "env", "hostname", "pwd", "whoami", "id", "uname", "kubectl", "mkdir", "touch", "rm", "sync":
            r.exitCode = 0
        default:
            r.unsupported = "command \"\(argv[0])\""
            return false
        }
        if let redirect {
            let previous = redirect.append ? (readFile(redirect.target) ?? "") : ""
            r.files[redirect.target] = previous + output
        } else {
            r.stdout += output
        }
        return true
    }

    static func test(_ t: [String]) -> Bool {
        switch t.count {
        case 0: return false
        case 1: return !t[0].isEmpty
        case 2 where t[0] == "-n": return !t[1].isEmpty
        case 2 where t[0] == "-z": return t[1].isEmpty
        case 2 where t[0] == "!": return !test([t[1]])
        case 3:
            let (a, op, b) = (t[0], t[1], t[2])
            switch op {
            case "=", "==": return a == b
            case "!=": return a != b
            case "-eq": return Int(a) == Int(b) && Int(a) != nil
            case "-ne": return Int(a) != Int(b)
            case "-gt": return (Int(a) ?? 0) > (Int(b) ?? 0)
            case "-lt": return (Int(a) ?? 0) < (Int(b) ?? 0)
            case "-ge": return (Int(a) ?? 0) >= (Int(b) ?? 0)
            case "-le": return (Int(a) ?? 0) <= (Int(b) ?? 0)
            default: return false
            }
        default: return false
        }
    }
}
