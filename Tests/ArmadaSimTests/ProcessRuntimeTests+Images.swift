import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// Images on the process runtime (issue #18): the catalogue's roots, Kubernetes' entrypoint rules
/// and a missing host tool. Part of the serialized `ProcessRuntimeTests`.
extension ProcessRuntimeTests {
    @Test func alpineAndBusyboxImagesRunOnABusyboxSystem() async throws {
        for image in ["alpine:3.20.0", "docker.io/library/busybox:1.36"] {
            let out = try await probe("""
                readlink /bin/sh; ls /usr/bin | wc -l; head -1 /etc/os-release; id -u; stat -c %u /etc/passwd; \
                command -v bash || echo no-bash; echo x > /etc/written && cat /etc/written
                """, image: image)
            let lines = out.split(separator: "\n").map(String.init)
            #expect(lines.count == 7, "\(image): \(out)")
            guard lines.count == 7 else { continue }
            #expect(lines[0] == "/bin/busybox", "\(image): \(out)")
            #expect((Int(lines[1].trimmingCharacters(in: .whitespaces)) ?? 0) > 100, "\(image): \(out)") // the applets
            #expect(lines[2].contains("BusyBox"))
            // Pod root owns its system (the layer belongs to the uid pod root maps to), and writes to it.
            #expect(lines[3] == "0" && lines[4] == "0", "\(image): \(out)")
            #expect(lines[5] == "no-bash" && lines[6] == "x", "\(image): \(out)")
        }
        // The layer is built once and shared read-only: what one pod wrote is not in the next.
        #expect(try await probe("cat /etc/written || echo absent", image: "alpine") == "cat: can't open '/etc/written': No such file or directory\nabsent\n")
    }

    @Test func stressNgStartsFromItsImagesEntrypoint() async throws {
        // Only `args`: the image's entrypoint (stress-ng) runs them, as on a cluster.
        let spec = """
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0,
             "containers": [{"name": "stress", "image": "alexeiled/stress-ng:0.13.12", "args": ["--cpu", "1", "--timeout", "1s", "--metrics-brief"],
                             "terminationMessagePolicy": "FallbackToLogsOnError",
                             "resources": {"limits": {"cpu": "1", "memory": "256Mi"}}}]}
            """
        let events = try await runPod(try Self.item(spec))
        #expect(events.sequence == "submitted queued leased pending running succeeded", "\(events.last?.reason ?? "")")
    }

    @Test func aMissingToolIsAStartErrorNamingImageToolAndPackage() async throws {
        let rule = ImageRule(pattern: #"example\.org/needs-tool(:.*)?"#, root: .host, entrypoint: ["armada-tool"],
                             tool: "/nonexistent/armada-tool", package: "armada-tool-pkg")
        try await SimHarness.run(runtime: ProcessRuntime(images: .withBuiltIn([rule]))) { client, _ in
            let item = try Self.item("""
                {"restartPolicy": "Never", "containers": [{"name": "c", "image": "example.org/needs-tool:1", "args": ["--version"],
                 "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}}}]}
                """)
            let events = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [item]).values.first)
            // From pending: the container never ran.
            #expect(events.sequence == "submitted queued leased pending failed")
            let status = events.last?.containerStatuses.first
            #expect(status?.reason == "StartError" && status?.exitCode == 128)
            #expect(status?.message == "image \"example.org/needs-tool:1\" runs armada-tool, and this host has no /nonexistent/armada-tool: "
                + "install Debian's armada-tool-pkg package (apt-get install armada-tool-pkg)", "\(status?.message ?? "")")
        }
    }
}
