import ArmadaAPI
import ArmadaGRPC
import ArmadaSim
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing

/// `api.QueueService` through grpc-swift's generated client (the runner uses `api.Submit` for
/// queues; Armada's newer clients use this service): cordoning, and what is not modelled.
@Suite struct SimQueueServiceTests {
    @Test(.timeLimit(.minutes(1))) func cordonUncordonAndUnmodelledCalls() async throws {
        let simulator = Simulator(config: SimConfig(timings: SimHarness.fast))
        try await SimServer.withFrontDoors(simulator) { ports in
            let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: ports.grpc ?? 0), transportSecurity: .plaintext)
            try await withGRPCClient(transport: transport) { grpc in
                let queues = Api_QueueService.Client(wrapping: grpc)
                var options = CallOptions.defaults
                options.timeout = .seconds(60)
                var cordon = Api_QueueCordonRequest()
                cordon.name = "e2e-test-queue"
                _ = try await queues.cordonQueue(cordon, options: options)
                var get = Api_QueueGetRequest()
                get.name = "e2e-test-queue"
                #expect(try await queues.getQueue(get, options: options).cordoned)
                #expect(await simulator.allQueues(limit: 0).first { $0.name == "e2e-test-queue" }?.cordoned == true)
                var uncordon = Api_QueueUncordonRequest()
                uncordon.name = "e2e-test-queue"
                _ = try await queues.uncordonQueue(uncordon, options: options)
                #expect(try await queues.getQueue(get, options: options).cordoned == false)
                var missing = Api_QueueCordonRequest()
                missing.name = "nope"
                let notFound = await #expect(throws: RPCError.self) { _ = try await queues.cordonQueue(missing, options: options) }
                #expect(notFound?.code == .notFound)
                var preempt = Api_QueuePreemptRequest()
                preempt.name = "e2e-test-queue"
                let unimplemented = await #expect(throws: RPCError.self) { _ = try await queues.preemptOnQueue(preempt, options: options) }
                #expect(unimplemented?.code == .unimplemented && unimplemented?.message.contains("does not implement api.QueueService/PreemptOnQueue") == true)
            }
        }
    }
}
