@testable import ArmadaSim
import ArmadaAPI
import Foundation
import NIOCore
import RetryEngine
import Synchronization

/// Feeds request bodies to an in-process simulator (model runtime, fast timings, its scheduler
/// running): decoded as the REST gateway decodes them, then handled as the gateway handles them.
/// A fresh simulator replaces the old one every 2 000 inputs, so memory stays bounded.
final class SimRequestFuzzer: Sendable {
    static let shared = SimRequestFuzzer()

    private let state = Mutex<(simulator: Simulator?, inputs: Int)>((nil, 0))

    static let timings = SimConfig.Timings(cyclePeriod: 0.001, leaseToPending: 0, pendingToRunning: 0, defaultWorkloadDuration: 0.001,
                                           imagePullFailGrace: 0, timeScale: 0.001)

    /// The endpoints, by the input's first byte (modulo their count).
    enum Endpoint: CaseIterable {
        case submit, cancel, cancelJobSet, preempt, reprioritize, status, createQueue, updateQueue, createQueues, createPolicy, faults
        case details, runDetails, errors, statusByURI
    }

    func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let endpoint = Endpoint.allCases[Int(first) % Endpoint.allCases.count]
        let body = ByteBuffer(bytes: bytes.dropFirst())
        let simulator = current()
        Self.wait { await Self.handle(endpoint, body, simulator) }
    }

    private func current() -> Simulator {
        let (simulator, old, fresh) = state.withLock { s -> (Simulator, Simulator?, Bool) in
            s.inputs += 1
            if let sim = s.simulator, s.inputs % 2_000 != 0 { return (sim, nil, false) }
            let fresh = Simulator(config: SimConfig(timings: Self.timings), runtime: ModelRuntime())
            let old = s.simulator
            s.simulator = fresh
            return (fresh, old, true)
        }
        if let old { Self.wait { await old.stop() } }
        if fresh { Self.wait { await simulator.start() } }
        return simulator
    }

    static func handle(_ endpoint: Endpoint, _ body: ByteBuffer, _ sim: Simulator) async {
        do {
            switch endpoint {
            case .submit: _ = try await sim.submit(SimHTTP.decode(JobSubmitRequest.self, body: body))
            case .cancel: _ = try await sim.cancel(SimHTTP.decode(JobCancelRequest.self, body: body))
            case .cancelJobSet: try await sim.cancelJobSet(SimHTTP.decode(JobSetCancelRequest.self, body: body))
            case .preempt: _ = try await sim.preempt(SimHTTP.decode(JobPreemptRequest.self, body: body))
            case .reprioritize: _ = try await sim.reprioritize(SimHTTP.decode(JobReprioritizeRequest.self, body: body))
            case .status: _ = try await sim.jobStatus(SimHTTP.decode(JobStatusRequest.self, body: body).jobIds)
            case .createQueue: try await sim.putQueue(SimHTTP.decode(Queue.self, body: body), isCreate: true)
            case .updateQueue: try await sim.putQueue(SimHTTP.decode(Queue.self, body: body), isCreate: false)
            case .createQueues:
                for queue in try SimHTTP.decode(QueueList.self, body: body).queues { try? await sim.putQueue(queue, isCreate: true) }
            case .createPolicy: try await sim.putRetryPolicy(SimHTTP.decode(RetryPolicy.self, body: body), requireExisting: false)
            case .faults: _ = try SimHTTP.decode(SimFaults.self, body: body) // decoded only: applying would slow the run
            case .details: _ = try await sim.jobDetails(SimHTTP.decode(JobDetailsRequest.self, body: body))
            case .runDetails: _ = try await sim.jobRunDetails(SimHTTP.decode(JobRunDetailsRequest.self, body: body))
            case .errors: _ = try await sim.jobErrors(SimHTTP.decode(JobErrorsRequest.self, body: body))
            case .statusByURI: _ = try await sim.jobStatus(SimHTTP.decode(JobStatusUsingExternalJobUriRequest.self, body: body))
            }
        } catch {
            // A refusal is the expected answer to most inputs.
        }
    }

    /// The simulator's YAML config file.
    static func simConfig(_ text: String) {
        guard let (config, _) = try? SimConfigFile.parse(text, path: "fuzz.yaml") else { return }
        // A config's image rules (user patterns) against references of every shape.
        let catalogue = ImageCatalogue.withBuiltIn(config.images)
        for image in ["alpine", "docker.io/library/busybox:1.36", "", String(text.prefix(200))] {
            let rule = catalogue.rule(for: image)
            _ = rule.argv(command: nil, args: ["x"])
        }
    }

    /// Runs async work to its end from libFuzzer's synchronous callback (a harness, not product
    /// code: the callback must not return before the input was handled).
    static func wait(_ body: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await body()
            done.signal()
        }
        done.wait()
    }
}
