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
