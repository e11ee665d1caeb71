/// Glob matching as upstream's zglob does it: `*` inside one path segment, `**` across
/// directories, `[...]` classes (`[!...]`/`[^...]` negate) and `{a,b}` alternatives. `?` is a
/// literal character, as in zglob.
public enum GlobPattern {
    /// Whether the text contains glob syntax (a piece without it is a literal path).
    public static func hasWildcards(_ pattern: String) -> Bool {
        pattern.contains("*") || pattern.contains("[") || pattern.contains("{")
    }

    /// Expands `{a,b}` alternatives (nested too) into plain patterns, left to right.
    public static func expandBraces(_ pattern: String) -> [String] {
        let chars = Array(pattern)
        guard let open = chars.firstIndex(of: "{") else { return [pattern] }
        var depth = 0
        var close: Int?
        var commas: [Int] = []
        for i in open..<chars.count {
            switch chars[i] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { close = i }
            case "," where depth == 1: commas.append(i)
            default: break
            }
            if close != nil { break }
        }
        guard let close else { return [pattern] } // unbalanced: the brace is literal
        let prefix = String(chars[..<open])
        let suffix = String(chars[(close + 1)...])
        var bounds = [open] + commas + [close]
        var alternatives: [String] = []
        for k in 0..<(bounds.count - 1) {
            alternatives.append(String(chars[(bounds[k] + 1)..<bounds[k + 1]]))
        }
        bounds.removeAll()
        return alternatives.flatMap { expandBraces(prefix + $0 + suffix) }
    }

    /// Matches one path segment against one pattern segment (no `/`, no braces).
    public static func matchSegment(_ pattern: String, _ name: String) -> Bool {
        match(Array(pattern), 0, Array(name), 0)
    }

    private static func match(_ p: [Character], _ pi: Int, _ s: [Character], _ si: Int) -> Bool {
        var pi = pi, si = si
        var starP = -1, starS = -1
        while si < s.count {
            if pi < p.count, p[pi] == "*" {
                starP = pi
                starS = si
                pi += 1
                continue
            }
            if pi < p.count, let (matched, next) = matchOne(p, pi, s[si]), matched {
                pi = next
                si += 1
                continue
            }
            guard starP >= 0 else { return false }
            pi = starP + 1
            starS += 1
            si = starS
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches one pattern element at `pi` against `c`; returns whether it matched and the next index.
    private static func matchOne(_ p: [Character], _ pi: Int, _ c: Character) -> (Bool, Int)? {
        switch p[pi] {
        case "\\" where pi + 1 < p.count:
            return (p[pi + 1] == c, pi + 2)
        case "[":
            var i = pi + 1
            var negate = false
            if i < p.count, p[i] == "!" || p[i] == "^" {
                negate = true
                i += 1
            }
            var matched = false
            var first = true
            while i < p.count, p[i] != "]" || first {
                first = false
                var lo = p[i]
                if lo == "\\", i + 1 < p.count { i += 1; lo = p[i] }
                if i + 2 < p.count, p[i + 1] == "-", p[i + 2] != "]" {
                    if lo <= c && c <= p[i + 2] { matched = true }
                    i += 3
                } else {
                    if lo == c { matched = true }
                    i += 1
                }
            }
            guard i < p.count else { return (p[pi] == c, pi + 1) } // no closing ]: literal [
            return (matched != negate, i + 1)
        default:
            return (p[pi] == c, pi + 1)
        }
    }
}
