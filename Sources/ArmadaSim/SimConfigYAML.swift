import ArmadaAPI
import Foundation
import Yams

/// The simulator config's YAML as a `JSONValue` tree, built from Yams' node tree (not its
/// `load`, whose constructor force-unwraps a non-string mapping key and whose `Any` values then
/// go through `JSONSerialization`: both trap on inputs the fuzzer found). Scalars resolve as
/// YAML 1.1 does (booleans, integers, floats, null); keys must be scalars; aliases may expand to
/// at most `maxNodes` nodes.
enum SimConfigYAML {
    static let maxNodes = 1_000_000

    struct Failure: Error {
        var message: String
        var mark: Mark?
    }

    static func tree(_ text: String) throws -> JSONValue {
        guard let root = try Yams.compose(yaml: text) else { return .object([]) }
        var budget = maxNodes
        return try json(root, budget: &budget)
    }

    private static func json(_ node: Node, budget: inout Int) throws -> JSONValue {
        budget -= 1
        guard budget >= 0 else { throw Failure(message: "aliases expand the file to more than \(maxNodes) nodes", mark: node.mark) }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if NSNull.construct(from: scalar) != nil { return .null }
                if let bool = Bool.construct(from: scalar) { return .bool(bool) }
                if let int = Int.construct(from: scalar) { return .number(String(int)) }
                if let double = Double.construct(from: scalar), double.isFinite { return .number(JSONValue.numberText(double)) }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try json(item, budget: &budget)) }
            return .array(items)
        case .mapping(let mapping):
            var members: [JSONValue.Member] = []
            for (key, value) in mapping {
                guard case .scalar(let name) = key else {
                    throw Failure(message: "a mapping key must be a plain name, not a list or a mapping", mark: key.mark)
                }
                members.append(.init(name.string, try json(value, budget: &budget)))
            }
            return .object(members)
        case .alias:
            throw Failure(message: "unresolved alias", mark: node.mark)
        }
    }
}
