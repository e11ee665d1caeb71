import Foundation
import TestFixtures
import Testing

/// Armada's official Python client (armada-client on PyPI, gRPC; `make test` installs it into
/// `.build-interop/venv`) against `testsuite serve`: it creates a queue, submits, watches the job
/// set, cancels a job and checks what the stream said and what the Jobs API records (job details
/// with runs, run details, errors) (scripts/interop/armada_client_interop.py).
@Suite struct PythonInteropTests {
    static var python: URL {
        if let path = ProcessInfo.processInfo.environment["ARMADA_CLIENT_PYTHON"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return CLITests.root.appendingPathComponent(".build-interop/venv/bin/python")
    }

    @Test(.timeLimit(.minutes(2))) func theOfficialPythonClientTalksToServe() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python.path),
                     "no \(Self.python.path): run `make interop-venv` (make test does) or set ARMADA_CLIENT_PYTHON")
        let serve = try RunningCLI(["serve", "--port", "0", "--grpc-port", "0", "--sim-runtime", "model"], in: CLITests.root)
        defer { serve.stop() }
        #expect(await serve.waitForOutput("or over gRPC: --grpc-url "), "\(serve.stdout)\(serve.stderr)")
        let line = try #require(serve.stdout.split(separator: "\n").first { $0.hasPrefix("or over gRPC: --grpc-url ") })
        let address = String(line.dropFirst("or over gRPC: --grpc-url ".count))
        let script = CLITests.root.appendingPathComponent("scripts/interop/armada_client_interop.py").path
        let run = try await ProcessOutput.run(Self.python, [script, address])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\(run.stderr)")
        #expect((report["failures"] as? [String]) == [])
        let events = try #require(report["events"] as? [String: [String]])
        #expect(events.count == 3)
        #expect(events.values.filter { $0.last == "succeeded" }.count == 2)
        #expect(events.values.contains { $0.suffix(2) == ["cancelling", "cancelled"] })
        // The server saw it the same way: what the client left is gone.
        serve.send(SIGTERM)
        #expect(await serve.status() == 0)
    }
}
