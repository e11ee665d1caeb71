import Foundation

/// Resolves `--tests` to test-case files: a comma-separated list of paths and globs. Each piece
/// is resolved against the working directory, then (when that finds nothing) against
/// `testcases/`; a piece that matches nothing at all is an error. A literal directory means every
/// test case below it. Only `.yaml`/`.yml` files are kept; the result is sorted and de-duplicated.
public struct TestDiscovery: Sendable {
    public var workingDirectory: String
    public var fallbackDirectory: String
    public var environment: [String: String]

    public init(workingDirectory: String = FileManager.default.currentDirectoryPath,
                fallbackDirectory: String = "testcases",
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.workingDirectory = workingDirectory
        self.fallbackDirectory = fallbackDirectory
        self.environment = environment
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case noPatterns
        case noMatch(piece: String, tried: [String])

        public var description: String {
            switch self {
            case .noPatterns:
                return "--tests names no test cases: give paths or globs such as 'testcases/**/*.yaml'"
            case .noMatch(let piece, let tried):
                return "no test case matches '\(piece)' (looked for " + tried.map { "'\($0)'" }.joined(separator: " and ")
                    + "); only .yaml and .yml files count"
            }
        }
    }

    public func resolve(_ tests: String) throws(Failure) -> [String] {
        try resolve(pieces: Self.splitPieces(tests))
    }

    /// Resolves pieces that are already split (repeated `--tests` lists, positional paths).
    public func resolve(pieces: [String]) throws(Failure) -> [String] {
        let pieces = pieces.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !pieces.isEmpty else { throw .noPatterns }
        var found = Set<String>()
        for piece in pieces {
            let expanded = expandVariables(piece)
            var tried = [expanded]
            var matches = files(matching: expanded)
            if matches.isEmpty, !expanded.hasPrefix("/"), !fallbackDirectory.isEmpty {
                let fallback = fallbackDirectory + "/" + expanded
                tried.append(fallback)
                matches = files(matching: fallback)
            }
            guard !matches.isEmpty else { throw .noMatch(piece: piece, tried: tried) }
            found.formUnion(matches)
        }
        return found.sorted()
    }

    /// Splits on commas outside braces, so `a/*.{yaml,yml},b.yaml` is two pieces.
    public static func splitPieces(_ tests: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        for ch in tests {
            switch ch {
            case "{": depth += 1
            case "}": depth = max(0, depth - 1)
            case "," where depth == 0:
                pieces.append(current)
                current = ""
                continue
            default: break
            }
            current.append(ch)
        }
        pieces.append(current)
        return pieces
    }

    /// `~` and `$VAR` / `$(VAR)` path segments, as upstream expands them.
    func expandVariables(_ piece: String) -> String {
        var s = piece
        if s == "~" || s.hasPrefix("~/"), let home = environment["HOME"] { s = home + s.dropFirst() }
        let segments = s.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            if segment.hasPrefix("$("), segment.hasSuffix(")") {
                return environment[String(segment.dropFirst(2).dropLast())] ?? String(segment)
            }
            if segment.hasPrefix("$"), segment.count > 1 { return environment[String(segment.dropFirst())] ?? String(segment) }
            return String(segment)
        }
        return segments.joined(separator: "/")
    }

    func files(matching pattern: String) -> [String] {
        GlobPattern.expandBraces(pattern).flatMap { expandedPattern -> [String] in
            let literal = !GlobPattern.hasWildcards(expandedPattern)
            return paths(matching: expandedPattern).flatMap { path -> [String] in
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: absolute(path), isDirectory: &isDirectory) else { return [] }
                if isDirectory.boolValue { return literal ? testFiles(under: path) : [] }
                return Self.isTestFile(path) ? [path] : []
            }
        }
    }

    public static func isTestFile(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (path.isEmpty ? workingDirectory : workingDirectory + "/" + path)
    }

    private func join(_ base: String, _ name: String) -> String {
        base.isEmpty ? name : (base == "/" ? "/" + name : base + "/" + name)
    }

    /// Every existing path matching the pattern, as display paths relative to the working directory.
    private func paths(matching pattern: String) -> [String] {
        var current = [pattern.hasPrefix("/") ? "/" : ""]
        let segments = pattern.split(separator: "/").map(String.init).filter { $0 != "." }
        for segment in segments {
            var next: [String] = []
            for base in current {
                if segment == "**" {
                    next.append(base)
                    next += directories(under: base)
                } else if GlobPattern.hasWildcards(segment) {
                    for name in entries(of: base) where GlobPattern.matchSegment(segment, name) {
                        if name.hasPrefix("."), !segment.hasPrefix(".") { continue }
                        next.append(join(base, name))
                    }
                } else {
                    let path = join(base, segment)
                    if FileManager.default.fileExists(atPath: absolute(path)) { next.append(path) }
                }
            }
            current = next
        }
        return current.filter { !$0.isEmpty }
    }

    private func entries(of directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: absolute(directory)))?.sorted() ?? []
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolute(path), isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Every directory below `base`, following symbolic links but never into a directory twice
    /// (a link cycle would otherwise recurse for ever).
    private func directories(under base: String) -> [String] {
        var visited: Set<String> = [URL(fileURLWithPath: absolute(base)).resolvingSymlinksInPath().path]
        return directories(under: base, visited: &visited)
    }

    private func directories(under base: String, visited: inout Set<String>) -> [String] {
        var out: [String] = []
        for name in entries(of: base) where !name.hasPrefix(".") {
            let path = join(base, name)
            guard isDirectory(path) else { continue }
            let real = URL(fileURLWithPath: absolute(path)).resolvingSymlinksInPath().path
            guard visited.insert(real).inserted else { continue }
            out.append(path)
            out += directories(under: path, visited: &visited)
        }
        return out
    }

    private func testFiles(under directory: String) -> [String] {
        ([directory] + directories(under: directory)).flatMap { dir in
            entries(of: dir).filter { !$0.hasPrefix(".") }.map { join(dir, $0) }
                .filter { Self.isTestFile($0) && !isDirectory($0) }
        }
    }
}
