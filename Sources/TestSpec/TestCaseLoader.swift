import Foundation

/// Loads test-case files: read, parse every YAML document, merge, decode strictly, check.
public struct TestCaseLoader: Sendable {
    /// Unknown keys become warnings instead of errors.
    public var lenient: Bool

    public init(lenient: Bool = false) { self.lenient = lenient }

    /// What loading one file produced. `testCase` is nil when any diagnostic is an error.
    public struct Result: Sendable {
        public var file: String
        public var testCase: TestCase?
        public var diagnostics: [Diagnostic]

        public var errors: [Diagnostic] { diagnostics.filter(\.isError) }
        public var warnings: [Diagnostic] { diagnostics.filter { !$0.isError } }
        public var isValid: Bool { testCase != nil }
    }

    /// Every file, loaded on all cores (files are independent); results in the order given.
    public func load(files: [String]) async -> [Result] {
        let lanes = max(1, min(files.count, ProcessInfo.processInfo.activeProcessorCount))
        guard lanes > 1 else { return files.map { load(file: $0) } }
        return await withTaskGroup(of: [(Int, Result)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    stride(from: lane, to: files.count, by: lanes).map { ($0, load(file: files[$0])) }
                }
            }
            var results = [Result?](repeating: nil, count: files.count)
            for await batch in group { for (i, r) in batch { results[i] = r } }
            return results.map { $0! }
        }
    }

    public func load(file: String) -> Result {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            return Result(file: file, testCase: nil, diagnostics: [
                Diagnostic(.error, at: SourceLocation(file: file, line: 1, column: 1),
                           "cannot read the file: \(error.localizedDescription)"),
            ])
        }
        return load(data: data, file: file)
    }

    public func load(data: Data, file: String) -> Result {
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = Self.firstInvalidUTF8(in: data)
            return Result(file: file, testCase: nil, diagnostics: [
                Diagnostic(.error, at: SourceLocation(file: file, line: line, column: column),
                           "the file is not valid UTF-8 text", hint: "save it as UTF-8"),
            ])
        }
        return load(text: text, file: file)
    }

    public func load(text: String, file: String) -> Result {
        let context = DecodeContext(file: file, lenient: lenient)
        let documents: [YAMLNode]
        do {
            documents = try YAMLDocumentParser.parse(text, file: file)
        } catch {
            return Result(file: file, testCase: nil, diagnostics: [error.diagnostic])
        }
        let decoder = TestCaseDecoder(context: context)
        let fileName = Self.baseName(of: file)
        guard let root = decoder.merge(documents) else {
            if context.diagnostics.isEmpty {
                context.add(Diagnostic(.error, at: SourceLocation(file: file, line: 1, column: 1), "the file is empty",
                                       hint: "a test case needs at least queue:, jobs: and expectedEvents:"))
            }
            return Result(file: file, testCase: nil, diagnostics: context.diagnostics)
        }
        let spec = decoder.decode(root, file: file, fileName: fileName)
        decoder.check(spec, root: root)
        let diagnostics = context.diagnostics.sorted { $0.location < $1.location }
        guard !diagnostics.contains(where: \.isError) else { return Result(file: file, testCase: nil, diagnostics: diagnostics) }
        var loaded = spec
        loaded.warnings = diagnostics.map(\.description)
        return Result(file: file, testCase: loaded, diagnostics: diagnostics)
    }

    /// `retries/single_pod_retry.yaml` → `single_pod_retry`.
    public static func baseName(of file: String) -> String {
        let last = file.split(separator: "/").last.map(String.init) ?? file
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return last }
        return String(last[..<dot])
    }

    static func firstInvalidUTF8(in data: Data) -> (Int, Int) {
        var line = 1, column = 1
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            guard length > 0, index + length <= data.endIndex,
                  String(data: data[index..<(index + length)], encoding: .utf8) != nil else { return (line, column) }
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
            index += length
        }
        return (line, column)
    }
}
