import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

@Suite struct SimAuthTests {
    static var config: SimConfig {
        var config = SimConfig(timings: SimHarness.fast)
        config.auth = SimAuth(anonymousEnabled: false,
                              users: ["alice": .init(password: "a-pass", groups: ["team"]), "bob": .init(password: "b-pass"),
                                      "root": .init(password: "r-pass", groups: ["admins"])],
                              permissionGroups: Dictionary(uniqueKeysWithValues: SimAuth.permissions.map { ($0, ["admins"]) }))
        config.queues.append(Queue(name: "team-q", priorityFactor: 1, permissions: [
            Queue.Permissions(subjects: [Queue.Subject(kind: "Group", name: "team")], verbs: ["submit", "cancel", "watch"]),
        ]))
        return config
    }

    func client(_ base: ArmadaRESTClient, _ user: String?, _ password: String) -> ArmadaRESTClient {
        ArmadaRESTClient(baseURL: base.baseURL, credentials: user.map { BasicCredentials(username: $0, password: Secret(password)) } ?? NoCredentials(),
                         retry: .none)
    }

    @Test func authenticationAndPermissions() async throws {
        try await SimHarness.run(Self.config) { base, _ in
            let anonymous = client(base, nil, "")
            let e1 = await #expect(throws: ArmadaError.self) { _ = try await anonymous.getQueue("team-q") }
            #expect(e1?.httpStatus == 401 && e1?.code == .unauthenticated)
            let wrong = client(base, "alice", "nope")
            #expect((await #expect(throws: ArmadaError.self) { _ = try await wrong.getQueue("team-q") })?.httpStatus == 401)

            let alice = client(base, "alice", "a-pass")
            let submitted = try await alice.submitJobs(JobSubmitRequest(queue: "team-q", jobSetId: "s", jobRequestItems: [SimHarness.job(["sleep", "600"])]))
            let id = submitted.jobResponseItems[0].jobId
            _ = try await alice.cancelJobs(JobCancelRequest(jobSetId: "s", queue: "team-q", jobIds: [id]))
            var seen: [EventMessage] = []
            for try await m in JobSetWatcher(client: alice, queue: "team-q", jobSetId: "s") {
                seen.append(m.message)
                if m.message.type == .cancelled { break }
            }
            #expect(seen.first?.job?.owner == "alice")
            #expect(seen.first { $0.type == .cancelling }?.requestor == "alice" && seen.last?.requestor == "alice")

            let bob = client(base, "bob", "b-pass")
            let submit = await #expect(throws: ArmadaError.self) {
                _ = try await bob.submitJobs(JobSubmitRequest(queue: "team-q", jobSetId: "s", jobRequestItems: [SimHarness.job(["ls"])]))
            }
            #expect(submit?.code == .permissionDenied && submit?.httpStatus == 403 && submit?.queueNotFound == false)
            let cancel = await #expect(throws: ArmadaError.self) { _ = try await bob.cancelJobs(JobCancelRequest(jobSetId: "s", queue: "team-q", jobIds: [id])) }
            #expect(cancel?.code == .unknown && cancel?.httpStatus == 500)
            let watch = await #expect(throws: ArmadaError.self) {
                for try await _ in try await bob.events(JobSetRequest(id: "s", queue: "team-q")) {}
            }
            #expect(watch?.code == .permissionDenied)
            #expect((await #expect(throws: ArmadaError.self) { try await bob.createQueue(Queue(name: "x", priorityFactor: 1)) })?.code == .permissionDenied)
            try await client(base, "root", "r-pass").createQueue(Queue(name: "x", priorityFactor: 1))
        }
    }
}

@Suite struct SimAdminAuthTests {
    /// A raw call to a `/_sim` endpoint, as `user`; the HTTP status.
    static func call(_ base: URL, _ method: String, _ path: String, user: String?, password: String = "", body: String? = nil) async throws -> Int {
        var headers: [String: String] = ["Content-Type": "application/json"]
        if let user { headers["Authorization"] = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }
        let request = TransportRequest(method: method, url: base.appendingPathComponent(path), headers: headers,
                                       body: body.map { Array($0.utf8) }, timeout: .seconds(10))
        return try await URLSessionTransport().send(request).status
    }

    @Test func theAdminEndpointsNeedTheAdminPermissionWhenAuthIsConfigured() async throws {
        try await SimHarness.run(SimAuthTests.config) { client, _ in
            let base = client.baseURL
            for (method, path, body) in [("GET", "/_sim/faults", nil), ("PUT", "/_sim/faults", #"{"failureRate": 1}"#),
                                         ("POST", "/_sim/expire-lease/01abc", nil), ("GET", "/_sim/runs", nil)]
                as [(String, String, String?)] {
                let anonymous = try await Self.call(base, method, path, user: nil, body: body)
                let bob = try await Self.call(base, method, path, user: "bob", password: "b-pass", body: body)
                #expect(anonymous == 401 && bob == 403, "\(method) \(path)")
            }
            let root = try await Self.call(base, "GET", "/_sim/faults", user: "root", password: "r-pass")
            #expect(root == 200)
            // bob's refused PUT changed nothing: the gateway still answers.
            try await client.health()
        }
    }

    @Test func anAuthBlockGrantsTheAdminPermissionToNobodyByDefault() throws {
        let (config, _) = try SimConfigFile.parse("auth: {anonymous: true, permissions: {sim_admin: [ops]}}\n", path: "sim.yaml")
        #expect(config.auth.has(.anonymous, "submit_any_jobs"))
        #expect(!config.auth.has(.anonymous, SimAuth.adminPermission))
        let (open, _) = try SimConfigFile.parse("pool: default\n", path: "sim.yaml")
        #expect(open.auth.has(.anonymous, SimAuth.adminPermission)) // no auth block: the local dev stack's openness
    }
}
