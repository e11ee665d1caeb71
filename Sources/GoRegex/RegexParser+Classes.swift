extension RegexParser {
    /// A bracket class at `i` (`[a-z]`, `[^\d]`, `[[:alpha:]]`, `[]a]`), as Go's `parseClass` with
    /// Perl flags: `]` first is a literal, `-` is a literal where it cannot form a range, and a
    /// negated class matches `\n`.
    mutating func parseClass() throws(GoRegexError) -> CharClass {
        let start = i
        var cls = CharClass()
        var j = i + 1
        if j < s.count, s[j] == "^" {
            cls.negated = true
            j += 1
        }
        var first = true
        while j >= s.count || s[j] != "]" || first {
            guard j < s.count else { throw GoRegexError(.missingBracket, text(start..<s.count)) }
            first = false
            // [:alpha:] and [:^alpha:]
            if s[j] == "[", j + 1 < s.count, s[j + 1] == ":", let close = closePOSIX(from: j + 2) {
                var name = text(j + 2..<close)
                let negated = name.hasPrefix("^")
                if negated { name.removeFirst() }
                guard let ranges = UnicodeProperty.posixClasses[name] else {
                    throw GoRegexError(.invalidCharRange, text(j..<close + 2))
                }
                cls.add(ranges: ranges, negated: negated)
                j = close + 2
                continue
            }
            if s[j] == "\\", j + 1 < s.count {
                switch s[j + 1] {
                case "d", "D", "s", "S", "w", "W":
                    cls.add(ranges: Self.perlClass(s[j + 1]), negated: s[j + 1].properties.isUppercase)
                    j += 2
                    continue
                case "p", "P":
                    i = j
                    let (property, negated) = try parseUnicodeClass()
                    cls.add(property, negated: negated)
                    j = i
                    continue
                default:
                    break
                }
            }
            let rangeStart = j
            let lo = try classChar(&j, classStart: start)
            var hi = lo
            if j + 1 < s.count, s[j] == "-", s[j + 1] != "]" {
                j += 1
                hi = try classChar(&j, classStart: start)
                guard hi >= lo else { throw GoRegexError(.invalidCharRange, text(rangeStart..<j)) }
            }
            cls.add(lo...hi)
        }
        i = j + 1
        cls.finish(fold: flags.fold)
        return cls
    }

    /// The index of the `:` of the `:]` that closes a POSIX class name starting at `from`.
    private func closePOSIX(from: Int) -> Int? {
        var k = from
        while k + 1 < s.count {
            if s[k] == ":", s[k + 1] == "]" { return k }
            k += 1
        }
        return nil
    }

    private mutating func classChar(_ j: inout Int, classStart: Int) throws(GoRegexError) -> UInt32 {
        guard j < s.count else { throw GoRegexError(.missingBracket, text(classStart..<s.count)) }
        if s[j] == "\\" {
            i = j
            let value = try parseEscape()
            j = i
            return value
        }
        j += 1
        return s[j - 1].value
    }
}
