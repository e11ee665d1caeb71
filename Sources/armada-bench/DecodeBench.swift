import ArmadaAPI
import ArmadaClient
import Foundation
import Runner
import TestSpec

/// `armada-bench decode`: the runner's per-event CPU cost without a network — split, scan, match
/// and record 1 000 000 stream lines held in memory — for profiling (perf, callgrind).
enum DecodeBench {
    static func run() throws {
        let jobs = 10_000, runs = 25
        var ids: [String] = []
        var chunk: [UInt8] = []
        var lines = 0
        for j in 0..<jobs {
            let id = "01jobid\(String(j, radix: 36))"
            ids.append(id)
            var events = [EventMessage(.submitted, jobId: id, jobSetId: "set", queue: "q", created: Timestamp(Date())),
                          EventMessage(.queued, jobId: id, jobSetId: "set", queue: "q", created: Timestamp(Date()))]
            for r in 0..<runs {
                for type in [EventType.leased, .pending, .running, .failed] {
                    var e = EventMessage(type, jobId: id, jobSetId: "set", queue: "q", created: Timestamp(Date()))
                    e.clusterId = "local-cluster"
                    e.podName = "armada-\(id)-0-\(r)"
                    if type == .failed {
                        e.reason = "Container c failed with exit code 1 because Error: "
                        e.retryable = r < runs - 1
                        e.failureCategory = "user_error"
                        e.exitCodes = ["c": 1]
                        e.containerStatuses = [ContainerStatus(name: "c", exitCode: 1, message: "", reason: "Error")]
                    }
                    events.append(e)
                }
            }
            for (i, e) in events.enumerated() {
                chunk += EventStreamMessage(id: "\(1_796_000_000_000 + j):\(i):0:1", message: e).streamLine
                lines += 1
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        var consumer = BenchConsumer(jobIds: ids)
        var splitter = NDJSONSplitter()
        var decoded = 0
        var offset = 0
        while offset < chunk.count {
            let piece = Array(chunk[offset..<min(chunk.count, offset + 65_536)])
            offset += 65_536
            for line in try splitter.feed(piece) {
                guard let message = line.withUnsafeBufferPointer({ EventStreamMessage.scanStreamLine($0) }) else { continue }
                decoded += 1
                consumer.consume(message)
            }
        }
        let seconds = (clock.now - start).seconds
        print("decode: \(decoded) of \(lines) lines in \(String(format: "%.2f", seconds)) s = \((seconds > 0 ? Double(decoded) / seconds : 0).grouped) events/s, "
              + "satisfied \(consumer.satisfied), peak RSS \(Memory.peak >> 20) MB")
    }
}
