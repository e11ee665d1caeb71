/// An enum read the way armadactl reads retry-policy enums: the number, the canonical proto name,
/// or the name without its prefix, ignoring case and underscores (`"Fail"`, `"retry"`, `"not_in"`,
/// `"EXIT_CODE_OPERATOR_NOT_IN"`, `2`).
public protocol FriendlyEnum: RawRepresentable, CaseIterable, Sendable where RawValue == Int {
    static var namePrefix: String { get }
    var canonicalName: String { get }
    var shortName: String { get }
}

extension FriendlyEnum {
    public init?(friendlyName text: String) {
        if let n = Int(text) {
            guard let value = Self(rawValue: n) else { return nil }
            self = value
            return
        }
        let wanted = Self.normalize(text)
        let prefix = Self.normalize(Self.namePrefix)
        for value in Self.allCases {
            let canonical = Self.normalize(value.canonicalName)
            if wanted == canonical || prefix + wanted == canonical {
                self = value
                return
            }
        }
        return nil
    }

    /// The short names of the cases a user may write (the unspecified value excluded).
    public static var acceptedNames: [String] { allCases.filter { $0.rawValue != 0 }.map(\.shortName) }

    static func normalize(_ s: String) -> String { s.lowercased().filter { $0 != "_" } }

    static func decodeFriendly(from decoder: any Decoder) throws -> Self {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) {
            guard let value = Self(rawValue: n) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown enum number \(n)")
            }
            return value
        }
        let text = try c.decode(String.self)
        guard let value = Self(friendlyName: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown enum name \"\(text)\"")
        }
        return value
    }
}
