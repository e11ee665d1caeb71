import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// A watch whose client went away must end on the server at once (grpc-swift reports it through
/// the RPC's cancellation handle, not by cancelling the handler): otherwise every embedded run over
/// gRPC waited out the server's shutdown grace (5 s) before exiting. Here the grace is 90 s, longer
/// than the time limit, so a regression fails the limit instead of passing slowly.
@Suite struct SimGRPCShutdownTests {
    @Test(.timeLimit(.minutes(1))) func aCancelledWatchDoesNotHoldTheServerOpen() async throws {
        let simulator = Simulator(config: SimConfig(timings: SimHarness.fast))
        try await SimServer.withFrontDoors(simulator, grpcShutdownGrace: .seconds(90)) { ports in
            try await ArmadaGRPCClient.withClient(GRPCEndpoint(host: "127.0.0.1", port: ports.grpc ?? 0, tls: false), callTimeout: .seconds(60)) { grpc in
                _ = try await grpc.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "quiet", jobRequestItems: [SimHarness.job(["true"])]))
                // Read the job to its end, then keep watching a job set that will say nothing more.
                var terminal = false
                for try await message in try await grpc.events(JobSetRequest(id: "quiet", queue: "e2e-test-queue", watch: true)) {
                    if message.message.isTerminal { terminal = true; break }
                }
                #expect(terminal)
            }
        }
    }
}
