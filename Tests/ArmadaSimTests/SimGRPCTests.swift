import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import RetryEngine
import TestFixtures
import Testing

/// The simulator's gRPC front door against the runner's gRPC client: one state behind both doors,
/// the same answers and errors (as status codes), the same auth and faults.
@Suite struct SimGRPCTests {
    @Test(.timeLimit(.minutes(1))) func oneStateTwoFrontDoors() async throws {
        try await SimHarness.runBoth { rest, grpc, _ in
            try await grpc.health()
            // A policy and a queue written over gRPC read the same over REST, and back.
            let policy = RetryPolicy(name: "p-grpc", retryLimit: 3, defaultAction: .fail, rules: [
                RetryRule(action: .retry, onConditions: ["OOMKilled"], onExitCodes: ExitCodeMatcher(operator: .notIn, values: [0, 2]),
                          onTerminationMessagePattern: "out of (memory|cheese)", onCategory: "oom", onSubcategory: "node",
                          mutate: RetryMutation(affinity: RetryAffinityMutation(avoidSameNode: true),
                                                resources: RetryResourceMutation(memory: RetryResourceBump(factor: 2)))),
                RetryRule(action: .retry, onCategory: "oom", mutate: RetryMutation(resources: RetryResourceMutation(memory: RetryResourceBump(static: "512Mi")))),
            ])
            try await grpc.createRetryPolicy(policy)
            #expect(try await rest.getRetryPolicy("p-grpc") == policy)
            #expect(try await grpc.getRetryPolicy("p-grpc") == policy)
            #expect(try await grpc.listRetryPolicies().map(\.name).contains("p-grpc"))
            let queue = Queue(name: "q-grpc", priorityFactor: 2, permissions: [Queue.Permissions(subjects: [Queue.Subject(kind: "Group", name: "g")],
                                                                                                 verbs: ["submit"])],
                              labels: ["team": "a"], retryPolicies: ["p-grpc"])
            try await grpc.createQueue(queue)
            #expect(try await grpc.getQueue("q-grpc") == rest.getQueue("q-grpc"))
            #expect(try await grpc.getQueues().map(\.name) == rest.getQueues().map(\.name))
            #expect(try await grpc.getQueues(limit: 1).count == 1)
            let batch = try await grpc.createQueues([Queue(name: "q-ok", priorityFactor: 1), Queue(name: "q-bad", priorityFactor: 0.5)])
            #expect(batch.failedQueues.map(\.queue?.name) == ["q-bad"])
            #expect(batch.failedQueues.first?.error.hasPrefix("rpc error: code = InvalidArgument desc = error validating queue") == true)
            try await grpc.updateQueue(Queue(name: "q-ok", priorityFactor: 3))
            #expect(try await rest.getQueue("q-ok").priorityFactor == 3)
            try await grpc.deleteQueue("q-ok")
            try await grpc.deleteRetryPolicy("p-grpc")
            #expect(try await rest.getQueue("q-grpc").retryPolicies == nil) // deleting a policy detaches it
            // Jobs: submit over gRPC, status and active queues over both.
            let submitted = try await grpc.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "s",
                                                                       jobRequestItems: [SimHarness.job(["sleep", "600"])]))
            let id = try #require(submitted.jobResponseItems.first?.jobId)
            #expect(try await grpc.jobStatus([id]).jobStates[id] != nil)
            #expect(try await grpc.jobStatus([id]) == rest.jobStatus([id]))
            #expect(try await grpc.activeQueues() == rest.activeQueues())
            #expect(try await grpc.reprioritizeJobs(JobReprioritizeRequest(jobIds: [id], jobSetId: "s", queue: "e2e-test-queue", newPriority: 5))
                .reprioritizationResults == [id: ""])
            #expect(try await grpc.cancelJobs(JobCancelRequest(jobSetId: "s", queue: "e2e-test-queue", jobIds: [id])).cancelledIds == [id])
            try await grpc.cancelJobSet(JobSetCancelRequest(jobSetId: "s", queue: "e2e-test-queue", filter: JobSetFilter(states: [.queued])))
        }
    }

    /// Each error the gateway answers with arrives over gRPC with the same code and message.
    @Test(.timeLimit(.minutes(1))) func errorsAreTheSameStatusesOverBothDoors() async throws {
        try await SimHarness.runBoth { rest, grpc, _ in
            let calls: [(String, @Sendable (any ArmadaAPIClient) async throws -> Void)] = [
                ("missing queue", { _ = try await $0.getQueue("nope") }),
                ("bad queue", { try await $0.createQueue(Queue(name: "x", priorityFactor: 0)) }),
                ("missing policy", { _ = try await $0.getRetryPolicy("nope") }),
                ("bad policy", { try await $0.createRetryPolicy(RetryPolicy(name: "Bad_Name", defaultAction: .fail)) }),
                ("update of a missing policy", { try await $0.updateRetryPolicy(RetryPolicy(name: "absent", defaultAction: .fail)) }),
                ("submit to a missing queue", { _ = try await $0.submitJobs(JobSubmitRequest(queue: "nope", jobSetId: "s",
                                                                                              jobRequestItems: [SimHarness.job(["ls"])])) }),
                ("reason too long", { _ = try await $0.cancelJobs(JobCancelRequest(jobSetId: "s", queue: "e2e-test-queue", jobIds: ["a"],
                                                                                    reason: String(repeating: "r", count: 51))) }),
                ("watch a missing queue", { for try await _ in try await $0.events(JobSetRequest(id: "s", queue: "nope")) {} }),
                ("node actions are gRPC only", { try await $0.cancelOnNode(NodeCancelRequest(name: "node-1")) }),
            ]
            var r = rest, g = grpc
            (r.retry, r.queueCacheLag, g.retry, g.queueCacheLag) = (.none, false, .none, false)
            for (what, call) in calls {
                var errors: [ArmadaError] = []
                for client in [r, g] as [any ArmadaAPIClient] {
                    do {
                        try await call(client)
                        Issue.record("\(what): no error over \(client.transportKind)")
                    } catch let error as ArmadaError {
                        errors.append(error)
                    }
                }
                guard errors.count == 2 else { continue }
                if what == "node actions are gRPC only" {
                    #expect(errors[0].kind == .configuration && errors[0].message.contains("exist only in Armada's gRPC API"))
                    continue
                }
                #expect(errors[0].code == errors[1].code, "\(what): \(errors[0]) vs \(errors[1])")
                #expect(errors[0].message == errors[1].message, "\(what)")
                #expect(errors[1].kind == .server && errors[1].httpStatus == nil, "\(what): \(errors[1])")
                #expect(errors[0].queueNotFound == errors[1].queueNotFound, "\(what)")
            }
        }
    }

    @Test(.timeLimit(.minutes(1))) func credentialsTravelAsMetadataAndNeverShow() async throws {
        let config = SimAuthTests.config
        try await SimHarness.runBoth(config, credentials: BasicCredentials(username: "alice", password: Secret("a-pass"))) { rest, grpc, _ in
            #expect(try await grpc.getQueue("team-q").name == "team-q")
            let submitted = try await grpc.submitJobs(JobSubmitRequest(queue: "team-q", jobSetId: "s", jobRequestItems: [SimHarness.job(["ls"])]))
            let events = try await SimHarness.runToEnd(grpc, queue: "team-q", items: [SimHarness.job(["ls"])], jobSet: "t")
            #expect(events.values.first?.first?.job?.owner == "alice")
            #expect(submitted.jobResponseItems.count == 1)
        }
        // A wrong password: Unauthenticated, and the password never in the error.
        try await SimHarness.runBoth(config, credentials: BasicCredentials(username: "alice", password: Secret("s3cr3t-wrong"))) { _, grpc, _ in
            let error = await #expect(throws: ArmadaError.self) { _ = try await grpc.getQueue("team-q") }
            #expect(error?.code == .unauthenticated && error?.isUnauthenticated == true)
            #expect(error.map { !"\($0)".contains("s3cr3t-wrong") } == true)
            let watch = await #expect(throws: ArmadaError.self) {
                for try await _ in try await grpc.events(JobSetRequest(id: "s", queue: "team-q")) {}
            }
            #expect(watch?.code == .unauthenticated)
        }
        try await SimHarness.runBoth(config, credentials: BasicCredentials(username: "bob", password: Secret("b-pass"))) { _, grpc, _ in
            let submit = await #expect(throws: ArmadaError.self) {
                _ = try await grpc.submitJobs(JobSubmitRequest(queue: "team-q", jobSetId: "s", jobRequestItems: [SimHarness.job(["ls"])]))
            }
            #expect(submit?.code == .permissionDenied && submit?.queueNotFound == false)
        }
    }

    @Test(.timeLimit(.minutes(1))) func faultsApplyToTheGRPCDoorToo() async throws {
        try await SimHarness.runBoth { _, grpc, simulator in
            // Stream cuts: the watcher resumes from the last message and loses nothing.
            await simulator.setFaults(SimFaults(cutStreamsAfter: 2))
            let (ids, reconnects) = try await SimHarness.watchThroughCuts(grpc, jobSet: "cut")
            #expect(ids.count == 18 && Set(ids).count == 18)
            #expect(reconnects >= 8)
            // Unavailable: final without retries, ridden out with them.
            await simulator.setFaults(SimFaults(failureRate: 1))
            var once = grpc
            once.retry = .none
            let error = await #expect(throws: ArmadaError.self) { _ = try await once.getQueue("e2e-test-queue") }
            #expect(error?.code == .unavailable && error?.kind == .server)
            await simulator.setFaults(SimFaults(failureRate: 0.5))
            for _ in 0..<10 { #expect(try await grpc.getQueue("e2e-test-queue").name == "e2e-test-queue") }
        }
    }

    /// The same job set, read through both doors, is the same sequence: ids, types and fields.
    @Test(.timeLimit(.minutes(1))) func bothTransportsDeliverTheSameEventSequence() async throws {
        var config = SimConfig(timings: SimHarness.fast)
        config.retryPolicies.append(RetryPolicy(name: "twice", retryLimit: 2, defaultAction: .retry))
        config.queues.append(Queue(name: "retry-q", priorityFactor: 1, retryPolicies: ["twice"]))
        try await SimHarness.runBoth(config) { rest, grpc, _ in
            let items = [SimHarness.job(["sh", "-c", "exit 3"]), SimHarness.job(["ls"]), SimHarness.job(["sleep", "600"])]
            let response = try await grpc.submitJobs(JobSubmitRequest(queue: "retry-q", jobSetId: "both", jobRequestItems: items))
            let sleeper = response.jobResponseItems[2].jobId
            _ = try await rest.cancelJobs(JobCancelRequest(jobSetId: "both", queue: "retry-q", jobIds: [sleeper]))
            var terminal = Set<String>()
            for try await m in JobSetWatcher(client: rest, queue: "retry-q", jobSetId: "both") {
                if m.message.isTerminal { terminal.insert(m.message.jobId) }
                if terminal.count == 3 { break }
            }
            let options = JobSetWatcher.Options(watch: false)
            var overREST: [EventStreamMessage] = [], overGRPC: [EventStreamMessage] = []
            for try await m in JobSetWatcher(client: rest, queue: "retry-q", jobSetId: "both", options: options) { overREST.append(m) }
            for try await m in JobSetWatcher(client: grpc, queue: "retry-q", jobSetId: "both", options: options) { overGRPC.append(m) }
            #expect(overREST.count > 15 && overREST.count == overGRPC.count)
            #expect(overREST.map(\.id) == overGRPC.map(\.id))
            for (a, b) in zip(overREST, overGRPC) {
                #expect(a.message.type == b.message.type && a.message.jobId == b.message.jobId)
                #expect(a.message == b.message, "\(a.id) \(a.message.type)")
            }
            #expect(overGRPC.contains { $0.message.type == .failed && $0.message.retryable == true })
            #expect(overGRPC.contains { $0.message.type == .cancelled })
            // Resuming from a message id gives the rest, over gRPC as over REST.
            let middle = overREST[overREST.count / 2].id
            var rest2: [String] = [], grpc2: [String] = []
            let from = JobSetWatcher.Options(watch: false, fromMessageId: middle)
            for try await m in JobSetWatcher(client: rest, queue: "retry-q", jobSetId: "both", options: from) { rest2.append(m.id) }
            for try await m in JobSetWatcher(client: grpc, queue: "retry-q", jobSetId: "both", options: from) { grpc2.append(m.id) }
            #expect(grpc2 == rest2 && grpc2 == overREST.map(\.id).suffix(from: overREST.count / 2 + 1).map { $0 })
        }
    }
}

extension SimGRPCTests {
    /// A CA and a server certificate for 127.0.0.1, made with openssl in `dir`.
    static func certificates(in dir: URL) async throws -> (ca: String, cert: String, key: String) {
        let ca = dir.appendingPathComponent("ca.pem").path, caKey = dir.appendingPathComponent("ca.key").path
        let cert = dir.appendingPathComponent("server.pem").path, key = dir.appendingPathComponent("server.key").path
        let csr = dir.appendingPathComponent("server.csr").path, ext = dir.appendingPathComponent("ext.cnf").path
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n".write(toFile: ext, atomically: true, encoding: .utf8)
        let openssl = URL(fileURLWithPath: "/usr/bin/env")
        for args in [["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", caKey, "-out", ca,
                      "-days", "2", "-subj", "/CN=armada-testsuite test CA"],
                     ["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
                      "-subj", "/CN=127.0.0.1"],
                     ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", cert, "-days", "2",
                      "-extfile", ext]] {
            let r = try await ProcessOutput.run(openssl, args)
            try #require(r.status == 0, "\(args): \(r.stderr)")
        }
        return (ca, cert, key)
    }

    /// TLS as armadactl does it: the server's CA trusted (custom bundle) works; the system roots
    /// (which do not hold it) and plaintext against a TLS port are clear errors.
    @Test(.timeLimit(.minutes(1))) func tlsWithACustomCAOrNotAtAll() async throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("grpc-tls-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (ca, cert, key) = try await Self.certificates(in: dir)
        let simulator = Simulator(config: SimConfig(timings: SimHarness.fast))
        try await SimServer.withFrontDoors(simulator, grpcTLS: SimGRPCServer.TLS(certificatePath: cert, keyPath: key)) { ports in
            let port = try #require(ports.grpc)
            let trusted = GRPCEndpoint(host: "127.0.0.1", port: port, tls: true, caCertificatePath: ca)
            try await ArmadaGRPCClient.withClient(trusted, callTimeout: .seconds(60), retry: .none) { client in
                try await client.health()
                #expect(try await client.getQueue("e2e-test-queue").name == "e2e-test-queue")
            }
            let systemRoots = GRPCEndpoint(host: "127.0.0.1", port: port, tls: true)
            try await ArmadaGRPCClient.withClient(systemRoots, callTimeout: .seconds(60), retry: .none) { client in
                let error = await #expect(throws: ArmadaError.self) { try await client.health() }
                #expect(error?.code == .unavailable && "\(error.map { "\($0)" } ?? "")".lowercased().contains("certificate"), "\(String(describing: error))")
            }
            let plaintext = GRPCEndpoint(host: "127.0.0.1", port: port, tls: false)
            try await ArmadaGRPCClient.withClient(plaintext, callTimeout: .seconds(5), retry: .none) { client in
                let error = await #expect(throws: ArmadaError.self) { try await client.health() }
                #expect(error?.code == .unavailable || error?.kind == .timeout, "\(String(describing: error))")
            }
        }
    }

    /// Deadlines per call, delays and the queue-cache lag over gRPC, as over REST.
    @Test(.timeLimit(.minutes(1))) func deadlinesDelaysAndTheQueueCacheLag() async throws {
        try await SimHarness.runBoth { _, grpc, simulator in
            await simulator.setFaults(SimFaults(responseDelay: 2))
            var hasty = grpc
            (hasty.callTimeout, hasty.retry) = (.milliseconds(200), .none)
            let late = await #expect(throws: ArmadaError.self) { _ = try await hasty.getQueue("e2e-test-queue") }
            #expect(late?.kind == .timeout && late?.code == .deadlineExceeded, "\(String(describing: late))")
            await simulator.setFaults(SimFaults(hideNewQueuesFor: 2))
            try await grpc.createQueue(Queue(name: "fresh", priorityFactor: 1))
            var once = grpc
            once.retry = .none
            let early = await #expect(throws: ArmadaError.self) {
                _ = try await once.submitJobs(JobSubmitRequest(queue: "fresh", jobSetId: "s", jobRequestItems: [SimHarness.job(["ls"])]))
            }
            #expect(early?.queueNotFound == true, "\(String(describing: early))")
            var patient = grpc
            patient.retry = RetrySchedule(initialDelay: .milliseconds(20), maxDelay: .milliseconds(200), deadline: .seconds(30))
            let ok = try await patient.submitJobs(JobSubmitRequest(queue: "fresh", jobSetId: "s", jobRequestItems: [SimHarness.job(["ls"])]))
            #expect(ok.jobResponseItems.count == 1)
        }
    }

    /// Node actions select the jobs on the node by executor, queues and priority classes.
    @Test(.timeLimit(.minutes(1))) func nodeActionsAndTheirFilters() async throws {
        let onOps: [JSONValue.Member] = [
            .init("nodeSelector", .object([.init("armadaproject.io/node-pool", .string("node-ops"))])),
            .init("tolerations", .array([.object([.init("key", .string("node-tests")), .init("operator", .string("Equal")),
                                                  .init("value", .string("true")), .init("effect", .string("NoSchedule"))])])),
        ]
        try await SimHarness.runBoth(runtime: ModelRuntime()) { _, grpc, _ in
            let preemptible = try await grpc.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "a", jobRequestItems: [
                SimHarness.job(["sleep", "600"], extra: onOps + [.init("priorityClassName", .string("armada-preemptible"))]),
                SimHarness.job(["sleep", "600"]),
            ]))
            let standard = try await grpc.submitJobs(JobSubmitRequest(queue: "e2e-retry-queue", jobSetId: "b", jobRequestItems: [
                SimHarness.job(["sleep", "600"], extra: onOps + [.init("priorityClassName", .string("armada-default"))]),
            ]))
            let (a, elsewhere, b) = (preemptible.jobResponseItems[0].jobId, preemptible.jobResponseItems[1].jobId, standard.jobResponseItems[0].jobId)
            try await Self.watch(grpc, "e2e-test-queue", "a") { $0[a]?.last == .running && $0[elsewhere]?.last == .running }
            try await Self.watch(grpc, "e2e-retry-queue", "b") { $0[b]?.last == .running }
            // Refused: no name, a node or executor that is not there.
            for (request, code) in [(NodeCancelRequest(), GRPCStatusCode.invalidArgument), (NodeCancelRequest(name: "nope"), .notFound),
                                    (NodeCancelRequest(name: "sim-node-ops", executor: "other"), .notFound)] {
                var once = grpc
                once.retry = .none
                let error = await #expect(throws: ArmadaError.self) { try await once.cancelOnNode(request) }
                #expect(error?.code == code, "\(request): \(String(describing: error))")
            }
            // Cancel narrowed to one queue: only b, with `cancelled` alone.
            try await grpc.cancelOnNode(NodeCancelRequest(name: "sim-node-ops", executor: "local-cluster", queues: ["e2e-retry-queue"]))
            let bEvents = try await Self.watch(grpc, "e2e-retry-queue", "b") { $0[b]?.last == .cancelled }
            #expect(bEvents[b]?.contains(.cancelling) == false)
            // Preempt narrowed to a priority class: only a (not the job elsewhere), without `preempting`.
            try await grpc.preemptOnNode(NodePreemptRequest(name: "sim-node-ops", priorityClasses: ["armada-preemptible"]))
            let aEvents = try await Self.watch(grpc, "e2e-test-queue", "a") { $0[a]?.last == .failed }
            #expect(Array(aEvents[a]?.suffix(2) ?? []) == [.preempted, .failed] && aEvents[a]?.contains(.preempting) == false)
            #expect(aEvents[elsewhere]?.last == .running)
        }
    }

    /// Reads a job set from the start until `done` holds for the event types seen per job.
    @discardableResult
    static func watch(_ client: any ArmadaAPIClient, _ queue: String, _ jobSet: String,
                      until done: ([String: [EventType]]) -> Bool) async throws -> [String: [EventType]] {
        var seen: [String: [EventType]] = [:]
        for try await m in JobSetWatcher(client: client, queue: queue, jobSetId: jobSet) {
            if let type = m.message.type { seen[m.message.jobId, default: []].append(type) }
            if done(seen) { break }
        }
        return seen
    }
}
