import ArmadaAPI
import Foundation

/// The process runtime's image catalogue: the rules of a simulator config first, then the
/// built-in ones (`images.yaml`, embedded in the executable); the first rule covering an image
/// decides how its containers run (`ImageRule`).
public struct ImageCatalogue: Sendable, Equatable {
    public var rules: [ImageRule]

    public init(rules: [ImageRule]) { self.rules = rules }

    /// The built-in rules, read from `images.yaml` when the executable was built.
    public static let builtIn: ImageCatalogue = {
        switch parse(String(decoding: PackageResources.images_yaml, as: UTF8.self)) {
        case .success(let rules): return ImageCatalogue(rules: rules)
        case .failure: return ImageCatalogue(rules: [ImageRule(pattern: ".*", root: .host)]) // a test keeps the file valid
        }
    }()

    /// The built-in catalogue with `rules` (a config's) tried first.
    public static func withBuiltIn(_ rules: [ImageRule]) -> ImageCatalogue {
        ImageCatalogue(rules: rules + builtIn.rules)
    }

    /// The rule for `image`: the first covering it; without one, the host's root.
    public func rule(for image: String) -> ImageRule {
        rules.first { $0.covers(image) } ?? ImageRule(pattern: ".*", root: .host)
    }

    /// Rules from a YAML document with an `images:` list, each checked.
    static func parse(_ text: String) -> Result<[ImageRule], SimConfigFile.Problem> {
        do {
            guard case .array(let items)? = try SimConfigYAML.tree(text).objectMembers.first(where: { $0.key == "images" })?.value else {
                return .failure(SimConfigFile.Problem(description: "expected an images: list"))
            }
            return rules(items, key: "images")
        } catch {
            return .failure(SimConfigFile.Problem(description: "not valid YAML: \(error)"))
        }
    }

    /// Rules from a config's `images:` items, each checked.
    static func rules(_ items: [JSONValue], key: String) -> Result<[ImageRule], SimConfigFile.Problem> {
        var rules: [ImageRule] = []
        for (i, item) in items.enumerated() {
            let rule: ImageRule
            do {
                rule = try JSONDecoder().decode(ImageRule.self, from: Data(item.jsonText.utf8))
            } catch {
                return .failure(SimConfigFile.Problem(description: "\(key)[\(i)]: expected {pattern, root: busybox|host, entrypoint, cmd, tool, package}: \(error)"))
            }
            if let problem = rule.problem { return .failure(SimConfigFile.Problem(description: "\(key)[\(i)]: \(problem)")) }
            rules.append(rule)
        }
        return .success(rules)
    }
}
