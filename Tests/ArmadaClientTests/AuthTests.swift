import ArmadaAPI
import ArmadaClient
import Foundation
import Hummingbird
import Synchronization
import Testing

@Suite struct AuthTests {
    /// A gateway that records the Authorization header and answers 401 for tokens not in `accepted`,
    /// echoing the header back in its message (as a careless proxy might).
    func withAuthGateway(accepted: @escaping @Sendable (String) -> Bool, _ body: @Sendable (URL, Log<String>) async throws -> Void) async throws {
        let headers = Log<String>()
        try await TestGateway.run({ router in
            router.get("/v1/queue/{name}") { request, _ -> Response in
                let auth = request.headers[.authorization] ?? ""
                headers.append(auth)
                guard accepted(auth) else {
                    return TestGateway.json(.unauthorized, #"{"error":"bad credentials \#(auth)","code":16,"message":"bad credentials \#(auth)"}"#)
                }
                return TestGateway.json(.ok, #"{"name":"q","priorityFactor":1}"#)
            }
        }) { url in try await body(url, headers) }
    }

    @Test func basicAuthHeaderAsArmadasGoClientSendsIt() async throws {
        try await withAuthGateway(accepted: { $0 == "basic YWRtaW46czNjcmV0" }) { url, headers in
            let client = testClient(url, credentials: BasicCredentials(username: "admin", password: Secret("s3cret")))
            _ = try await client.getQueue("q")
            #expect(headers.all == ["basic YWRtaW46czNjcmV0"])
        }
    }

    @Test func noSecretAppearsInErrors() async throws {
        try await withAuthGateway(accepted: { _ in false }) { url, _ in
            let basic = testClient(url, credentials: BasicCredentials(username: "admin", password: Secret("s3cret-pw")))
            let error = await #expect(throws: ArmadaError.self) { _ = try await basic.getQueue("q") }
            let text = String(describing: error)
            #expect(error?.httpStatus == 401 && error?.code == .unauthenticated)
            #expect(!text.contains("s3cret-pw") && !text.contains("YWRtaW46czNjcmV0LXB3"))
            #expect(text.contains("<redacted>"))
            let bearer = testClient(url, credentials: BearerCredentials(.token(Secret("tok-123456"))))
            let bearerError = await #expect(throws: ArmadaError.self) { _ = try await bearer.getQueue("q") }
            #expect(!String(describing: bearerError).contains("tok-123456"))
        }
        #expect(String(describing: Secret("hunter22")) == "<redacted>")
        #expect("\(BasicCredentials(username: "u", password: Secret("hunter22")))".contains("hunter22") == false)
    }

    @Test func bearerFromEnvironmentIsReadAtEachRequest() async throws {
        let token = Mutex("first")
        try await withAuthGateway(accepted: { $0.hasPrefix("Bearer ") }) { url, headers in
            let credentials = BearerCredentials(.environment("TOKEN_VAR"), environment: { _ in token.withLock { $0 } })
            let client = testClient(url, credentials: credentials)
            _ = try await client.getQueue("q")
            token.withLock { $0 = "second" }
            _ = try await client.getQueue("q")
            #expect(headers.all == ["Bearer first", "Bearer second"])
        }
        let unset = BearerCredentials(.environment("NOPE"), environment: { _ in nil })
        await #expect(throws: ArmadaError.self) { _ = try await unset.authorization() }
    }

    @Test func execAuthRunsTheCommandAndRerunsItAfterA401() async throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("exec-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let counter = dir.appendingPathComponent("count").path
        let script = dir.appendingPathComponent("get-token.sh")
        // Prints token-1, token-2, … one more each run.
        try """
        #!/bin/sh
        n=$(cat "\(counter)" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "\(counter)"; echo "token-$n"
        """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try await withAuthGateway(accepted: { $0 == "Bearer token-2" }) { url, headers in
            let client = testClient(url, credentials: ExecCredentials(command: script.path))
            _ = try await client.getQueue("q")   // token-1 is rejected, token-2 accepted
            _ = try await client.getQueue("q")   // cached token-2
            #expect(headers.all == ["Bearer token-1", "Bearer token-2", "Bearer token-2"])
        }
        let failing = ExecCredentials(command: "false")
        let error = await #expect(throws: ArmadaError.self) { _ = try await failing.authorization() }
        #expect(error?.kind == .authentication && error?.message == "execAuth: false exited with status 1")
    }
}
