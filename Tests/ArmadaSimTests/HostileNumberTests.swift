import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// Numbers from requests that used to trap the simulator (issue #14): each is the gateway's
/// InvalidArgument or the pod's rejection now, and the simulator keeps serving.
@Suite struct HostileNumberTests {
    static func raw(_ base: URL, _ method: String, _ path: String, _ body: String) async throws -> (Int, String) {
        let request = TransportRequest(method: method, url: base.appendingPathComponent(path), headers: ["Content-Type": "application/json"],
                                       body: Array(body.utf8), timeout: .seconds(10))
        let response = try await URLSessionTransport().send(request)
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    static func submit(_ resources: String, extra: String = "") -> String {
        """
        {"queue": "e2e-test-queue", "jobSetId": "hostile", "jobRequestItems": [{"namespace": "default", "podSpec": {\(extra)
         "containers": [{"name": "c", "image": "alpine", "command": ["sh", "-c", "exit 0"],
                         "resources": {"requests": \(resources), "limits": \(resources)}}]}}]}
        """
    }

    @Test func outOfRangeNumbersAreInvalidArgumentsNotCrashes() async throws {
        try await SimHarness.run { client, _ in
            let base = client.baseURL
            for resources in [#"{"cpu": "1e19", "memory": "1Gi"}"#, #"{"cpu": 1e308, "memory": "1Gi"}"#,
                              #"{"cpu": "1", "memory": "99999999999999999999Ei"}"#] {
                let (status, body) = try await Self.raw(base, "POST", "/v1/job/submit", Self.submit(resources))
                #expect(status == 400 && body.contains("\"code\":3") && body.contains("is not a valid quantity"), "\(resources): \(body)")
            }
            let ok = try await client.submitJobs(try JSONDecoder().decode(JobSubmitRequest.self, from: Data(Self.submit(#"{"cpu": "100m", "memory": "32Mi"}"#).utf8)))
            let id = try #require(ok.jobResponseItems.first?.jobId)
            for priority in ["1e19", "9.3e18", "-1e19", "1e300", "18446744073709551616"] {
                let (status, body) = try await Self.raw(base, "POST", "/v1/job/reprioritize",
                                                        #"{"queue": "e2e-test-queue", "jobSetId": "hostile", "jobIds": ["\#(id)"], "newPriority": \#(priority)}"#)
                #expect(status == 400 && body.contains("out of range"), "\(priority): \(body)")
            }
            for fault in [#"{"responseDelay": 1e10}"#, #"{"hideNewQueuesFor": 1e10}"#, #"{"failureRate": 2}"#] {
                let (status, _) = try await Self.raw(base, "PUT", "/_sim/faults", fault)
                #expect(status == 400, "\(fault)")
            }
            try await client.health()
        }
    }

    @Test func anAbsurdDeadlineRejectsThePodInsteadOfTrapping() async throws {
        for runtime in [ModelRuntime(), ProcessRuntime()] as [any PodRuntime] {
            try await SimHarness.run(runtime: runtime) { client, _ in
                for deadline in ["10000000000", "1e300", "0"] {
                    let body = Self.submit(#"{"cpu": "100m", "memory": "32Mi"}"#, extra: #""activeDeadlineSeconds": \#(deadline),"#)
                    let request = try JSONDecoder().decode(JobSubmitRequest.self, from: Data(body.utf8))
                    let events = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: request.jobRequestItems).values.first)
                    #expect(events.last?.type == .failed && events.last?.reason.contains("spec.activeDeadlineSeconds: Invalid value") == true,
                            "\(runtime.name) \(deadline): \(events.last?.reason ?? "")")
                }
                try await client.health()
            }
        }
    }

    @Test func deeplyNestedBodiesAreRefusedNotAStackOverflow() async throws {
        try await SimHarness.run { client, _ in
            for depth in [600, 10_000] {
                let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
                let body = #"{"queue": "e2e-test-queue", "jobSetId": "deep", "jobRequestItems": [{"namespace": "default", "podSpec": {"containers": "#
                    + nested + "}}]}"
                let (status, _) = try await Self.raw(client.baseURL, "POST", "/v1/job/submit", body)
                #expect(status == 400, "depth \(depth)")
            }
            try await client.health()
        }
    }
}
