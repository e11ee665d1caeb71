/// Unicode simple case folding, as Go's `(?i)` compares: two scalars are equal when their keys
/// are. The key is the single-scalar lowercase of the single-scalar uppercase (so `ς`, `σ` and `Σ`
/// share one, as do `k`, `K` and the Kelvin sign); multi-scalar mappings (`ß` → `SS`) are not
/// simple folds and are left out, as in Go.
enum CaseFold {
    static func key(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let upper = single(s.properties.uppercaseMapping) ?? s
        return single(upper.properties.lowercaseMapping) ?? single(s.properties.lowercaseMapping) ?? s
    }

    /// The scalars a class is also checked for under folding.
    static func variants(of s: Unicode.Scalar) -> [Unicode.Scalar] {
        let p = s.properties
        return [single(p.lowercaseMapping), single(p.uppercaseMapping), single(p.titlecaseMapping), key(s)]
            .compactMap { $0 }.filter { $0 != s }
    }

    private static func single(_ text: String) -> Unicode.Scalar? {
        var it = text.unicodeScalars.makeIterator()
        guard let first = it.next(), it.next() == nil else { return nil }
        return first
    }
}
