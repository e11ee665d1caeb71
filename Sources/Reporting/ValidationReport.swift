import TestSpec

/// The output of `testsuite validate`: a line per valid file, every diagnostic of the others, and
/// a closing count.
public struct ValidationReport: Sendable {
    public var results: [TestCaseLoader.Result]

    public init(results: [TestCaseLoader.Result]) { self.results = results }

    public var invalidCount: Int { results.filter { !$0.isValid }.count }
    public var allValid: Bool { invalidCount == 0 }

    public func render(showWarnings: Bool = true) -> String {
        var lines: [String] = []
        for result in results {
            if result.isValid {
                let warnings = result.warnings.count
                lines.append("ok      \(result.file)" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
            } else {
                lines.append("invalid \(result.file)")
            }
            for diagnostic in result.diagnostics where diagnostic.isError || showWarnings {
                lines.append(diagnostic.description)
            }
        }
        let valid = results.count - invalidCount
        lines.append("")
        lines.append("\(results.count) file\(results.count == 1 ? "" : "s"): \(valid) valid, \(invalidCount) invalid")
        return lines.joined(separator: "\n") + "\n"
    }
}
