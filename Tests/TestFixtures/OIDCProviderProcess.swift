import Foundation

/// A real OpenID Connect provider for a test: Debian's glewlwyd, unpacked by `make oidc-provider`
/// (`make test` runs it) and configured by scripts/oidc/glewlwyd_provider.py on a free loopback
/// port with a fresh database, an RS256 key, a confidential and a public client and a user.
/// `stop()` (or the end of the test process) ends it.
public final class OIDCProviderProcess: @unchecked Sendable {
    public struct Info: Sendable, Decodable {
        public var issuer: String
        public var api: String
        public var clientId: String
        public var clientSecret: String
        public var publicClientId: String
        public var username: String
        public var password: String
        public var pkcePort: UInt16
    }

    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = repository.appendingPathComponent("scripts/oidc/glewlwyd_provider.py").path

    /// The unpacked package: `OIDC_GLEWLWYD_ROOT`, else `.build-oidc/root`.
    public static var root: URL {
        if let path = ProcessInfo.processInfo.environment["OIDC_GLEWLWYD_ROOT"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return repository.appendingPathComponent(".build-oidc/root")
    }

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: root.appendingPathComponent("usr/bin/glewlwyd").path) }
    public static let missing = "no glewlwyd in \(root.path): run `make oidc-provider` (make test does) or set OIDC_GLEWLWYD_ROOT"

    public let info: Info
    private let process: Process
    private let stdin: Pipe
    private let state: URL

    public struct StartFailed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts the provider and waits until it is configured.
    /// - Parameter tokenSeconds: the access tokens' lifetime.
    public static func start(tokenSeconds: Int = 3600) async throws -> OIDCProviderProcess {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try OIDCProviderProcess(tokenSeconds: tokenSeconds) })
            }.start()
        }
    }

    private init(tokenSeconds: Int) throws {
        state = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("oidc-\(UUID().uuidString)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "serve", "--root", Self.root.path, "--state", state.path,
                             "--token-seconds", String(tokenSeconds)]
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        try process.run()
        // The first line is the provider's description; the script prints nothing else.
        var line = Data()
        while true {
            let byte = stdout.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let decoded = try? JSONDecoder().decode(Info.self, from: line) else {
            process.terminate()
            let log = (try? String(contentsOf: state.appendingPathComponent("glewlwyd.log"), encoding: .utf8)) ?? ""
            throw StartFailed(description: "the OIDC provider did not start: \(String(decoding: line, as: UTF8.self)) \(log.suffix(2000))")
        }
        info = decoded
    }

    public func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: state)
    }

    /// Approves a device code as the user would (logs in, grants the client, enters the code).
    public func approve(userCode: String, client: String, scope: String) async throws {
        let r = try await ProcessOutput.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", Self.script, "approve", "--api", info.api, "--client", client, "--user-code", userCode,
            "--username", info.username, "--password", info.password, "--scope", scope,
        ])
        guard r.status == 0 else { throw StartFailed(description: "approval failed: \(r.stdout)\(r.stderr)") }
    }

    /// Plays the browser of the authorization-code flow from the runner's sign-in URL.
    public func browse(_ url: String, client: String, scope: String) async throws {
        let r = try await ProcessOutput.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", Self.script, "browse", "--api", info.api, "--client", client, "--url", url,
            "--username", info.username, "--password", info.password, "--scope", scope,
        ])
        guard r.status == 0 else { throw StartFailed(description: "the browser's sign-in failed: \(r.stdout)\(r.stderr)") }
    }
}
