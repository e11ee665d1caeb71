/// A protobuf enum that can be read by number or by name, as Armada's proto-JSON and the REST
/// gateway accept them.
public protocol ProtoEnum: RawRepresentable, CaseIterable where RawValue == Int {
    /// The canonical proto name (`RUNNING`, `NodePort`).
    var protoName: String { get }
}

extension ProtoEnum {
    /// Looks a value up by its exact proto name or its number written as text.
    public init?(name: String) {
        if let match = Self.allCases.first(where: { $0.protoName == name }) {
            self = match
        } else if let n = Int(name), let match = Self(rawValue: n) {
            self = match
        } else {
            return nil
        }
    }

    /// Every accepted name, for error messages.
    public static var protoNames: [String] { allCases.map(\.protoName) }
}
