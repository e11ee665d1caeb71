import Foundation

/// The part of an XML Schema that the Jenkins JUnit schema uses: per element, the child elements
/// and attributes it allows, the attributes it requires, and the SUREFIRE_TIME pattern. Read from
/// the schema file itself, so the check follows the schema, not our reading of it.
struct SchemaSubset {
    struct Rule {
        var children: Set<String> = []
        var attributes: Set<String> = []
        var required: Set<String> = []
        var timeAttributes: Set<String> = []
        var textOnly = false
    }

    var rules: [String: Rule] = [:]
    var timePattern: String = ""

    init(xsd: String) throws {
        let root = try XMLElement.parse(xsd)
        var complexTypes: [String: XMLElement] = [:]
        for type in root.all("xs:complexType") { if let name = type["name"] { complexTypes[name] = type } }
        for simple in root.all("xs:simpleType") where simple["name"] == "SUREFIRE_TIME" {
            timePattern = simple.first("xs:restriction")?.first("xs:pattern")?["value"] ?? ""
        }
        for element in root.all("xs:element") {
            guard let name = element["name"] else { continue }
            var rule = Rule()
            if element["type"] == "xs:string" { rule.textOnly = true }
            let body = element.first("xs:complexType") ?? element["type"].flatMap { complexTypes[$0] }
            if let body { Self.collect(body, into: &rule) }
            rules[name] = rule
        }
    }

    private static func collect(_ node: XMLElement, into rule: inout Rule) {
        for child in node.children {
            switch child.name {
            case "xs:element": if let ref = child["ref"] ?? child["name"] { rule.children.insert(ref) }
            case "xs:attribute":
                guard let name = child["name"] else { continue }
                rule.attributes.insert(name)
                if child["use"] == "required" { rule.required.insert(name) }
                if child["type"] == "SUREFIRE_TIME" { rule.timeAttributes.insert(name) }
            default: collect(child, into: &rule)
            }
        }
    }

    /// Every violation in the document, as `path: problem`.
    func violations(_ element: XMLElement, path: String = "") -> [String] {
        let here = path + "/" + element.name
        guard let rule = rules[element.name] else { return ["\(here): element not in the schema"] }
        var out: [String] = []
        for attribute in element.attributes.keys.sorted() where !rule.attributes.contains(attribute) {
            out.append("\(here): attribute \(attribute) not allowed")
        }
        for attribute in rule.required.sorted() where element[attribute] == nil {
            out.append("\(here): required attribute \(attribute) missing")
        }
        for attribute in rule.timeAttributes.sorted() {
            if let value = element[attribute], value.wholeMatch(of: try! Regex(timePattern)) == nil {
                out.append("\(here): \(attribute)=\"\(value)\" is not a SUREFIRE_TIME")
            }
        }
        if rule.textOnly, !element.children.isEmpty { out.append("\(here): must hold text only") }
        for child in element.children {
            if !rule.children.contains(child.name) { out.append("\(here): child \(child.name) not allowed") }
            out += violations(child, path: here)
        }
        return out
    }
}
