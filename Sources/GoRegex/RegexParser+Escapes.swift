extension RegexParser {
    /// A `\` outside a class: assertions, `\Q…\E`, Perl and Unicode classes, or one escaped code point.
    mutating func parseEscapeAtom() throws(GoRegexError) {
        guard i + 1 < s.count else { throw GoRegexError(.trailingBackslash, "") }
        switch s[i + 1] {
        case "A": push(.assertion(.beginText))
        case "z": push(.assertion(.endText))
        case "b": push(.assertion(.wordBoundary))
        case "B": push(.assertion(.noWordBoundary))
        case "Q":
            var j = i + 2
            while j < s.count, !(s[j] == "\\" && j + 1 < s.count && s[j + 1] == "E") {
                pushLiteral(s[j].value)
                j += 1
            }
            i = min(j + 2, s.count)
            return
        case "d", "D", "s", "S", "w", "W":
            var cls = CharClass()
            cls.add(ranges: Self.perlClass(s[i + 1]), negated: false)
            cls.negated = s[i + 1].properties.isUppercase
            cls.finish(fold: flags.fold)
            push(.charClass(cls))
        case "p", "P":
            var cls = CharClass()
            let (property, negated) = try parseUnicodeClass()
            cls.add(property, negated: negated)
            cls.finish(fold: flags.fold)
            push(.charClass(cls))
            return
        default:
            pushLiteral(try parseEscape())
            return
        }
        i += 2
    }

    /// The ranges of `\d`, `\s`, `\w` for any case of the letter.
    static func perlClass(_ letter: Unicode.Scalar) -> [ClosedRange<UInt32>] {
        switch letter {
        case "d", "D": UnicodeProperty.perlClasses["d"]!
        case "s", "S": UnicodeProperty.perlClasses["s"]!
        default: UnicodeProperty.perlClasses["w"]!
        }
    }

    /// `\pL`, `\p{Greek}`, `\p{^Greek}`, `\PL` at `i`; the property and whether it is negated.
    mutating func parseUnicodeClass() throws(GoRegexError) -> (UnicodeProperty, Bool) {
        let start = i
        var negated = s[i + 1] == "P"
        var j = i + 2
        guard j < s.count else { throw GoRegexError(.invalidCharRange, text(start..<j)) }
        var name: String
        if s[j] == "{" {
            guard let close = s[j...].firstIndex(of: "}") else { throw GoRegexError(.invalidCharRange, text(start..<s.count)) }
            name = text(j + 1..<close)
            j = close + 1
        } else {
            name = String(Character(s[j]))
            j += 1
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard let property = UnicodeProperty(goName: name) else { throw GoRegexError(.invalidCharRange, text(start..<j)) }
        i = j
        return (property, negated)
    }

    /// One escaped code point at `i` (`\n`, `\x41`, `\x{1F600}`, `\101`, `\.`), as Go's `parseEscape`.
    mutating func parseEscape() throws(GoRegexError) -> UInt32 {
        let start = i
        guard i + 1 < s.count else { throw GoRegexError(.trailingBackslash, "") }
        let c = s[i + 1]
        var j = i + 2
        func isOctal(_ k: Int) -> Bool { k < s.count && ("0"..."7").contains(s[k]) }
        func hex(_ k: Int) -> UInt32? {
            guard k < s.count else { return nil }
            switch s[k].value {
            case 0x30...0x39: return s[k].value - 0x30
            case 0x41...0x46: return s[k].value - 0x41 + 10
            case 0x61...0x66: return s[k].value - 0x61 + 10
            default: return nil
            }
        }
        defer { i = j }
        switch c {
        case "1"..."7" where !isOctal(j):
            break // a back-reference: not supported
        case "0"..."7":
            var value = c.value - 0x30
            for _ in 1..<3 where isOctal(j) {
                value = value * 8 + s[j].value - 0x30
                j += 1
            }
            return value
        case "x":
            if j < s.count, s[j] == "{" {
                j += 1
                var value: UInt32 = 0
                var digits = 0
                while let d = hex(j) {
                    value = value * 16 + d
                    digits += 1
                    j += 1
                    if value > 0x10FFFF { break }
                }
                guard digits > 0, value <= 0x10FFFF, j < s.count, s[j] == "}" else {
                    throw GoRegexError(.invalidEscape, text(start..<min(j + 1, s.count)))
                }
                j += 1
                return value
            }
            guard let hi = hex(j), let lo = hex(j + 1) else { throw GoRegexError(.invalidEscape, text(start..<min(j + 2, s.count))) }
            j += 2
            return hi * 16 + lo
        case "a": return 7
        case "f": return 12
        case "n": return 10
        case "r": return 13
        case "t": return 9
        case "v": return 11
        default:
            if c.isASCII, !(c.properties.isAlphabetic || ("0"..."9").contains(c)) { return c.value }
        }
        throw GoRegexError(.invalidEscape, text(start..<start + 2))
    }
}
