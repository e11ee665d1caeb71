/// Test-case names that more than one file in a run uses. Names identify tests in JUnit (test case
/// and property names), the JSON report and metrics, so two alike would be indistinguishable there
/// and some JUnit readers reject the duplicate properties.
public enum NameClash {
    /// One message per clashing name, naming every file that uses it, in discovery order.
    public static func find(_ tests: [TestCase]) -> [String] {
        var files: [String: [String]] = [:]
        var order: [String] = []
        for test in tests {
            if files[test.name] == nil { order.append(test.name) }
            files[test.name, default: []].append(test.file)
        }
        return order.compactMap { name in
            guard let clash = files[name], clash.count > 1 else { return nil }
            return "test case name \"\(name)\" is used by \(clash.count) files: \(clash.joined(separator: ", ")); "
                + "names must be unique in a run (they name the JUnit test cases and the metrics): give each a distinct name:"
        }
    }
}
