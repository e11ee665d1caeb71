import ArmadaAPI
import ArmadaClient
import ArmadaGRPC
import ArmadaGRPCWire
import Foundation
import SwiftProtobuf

/// What the gRPC front doors take from outside: protobuf bytes decoded into Armada's messages and
/// converted to the REST wire types the simulator's handlers take (and back, as the client reads
/// answers), and gRPC addresses. The first byte picks the message, the rest is its encoding.
enum GRPCMessageFuzzer {
    static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let body = Data(bytes.dropFirst())
        switch first % 8 {
        case 0:
            guard let m = try? Api_JobSubmitRequest(serializedBytes: body), let request = try? SubmitWire.request(from: m) else { return }
            _ = try? SubmitWire.proto(from: request)
        case 1:
            guard let m = try? Api_Queue(serializedBytes: body) else { return }
            _ = QueueWire.proto(from: QueueWire.queue(from: m))
        case 2:
            guard let m = try? Api_RetryPolicy(serializedBytes: body) else { return }
            _ = RetryPolicyWire.proto(from: RetryPolicyWire.policy(from: m))
        case 3:
            guard let m = try? Api_EventStreamMessage(serializedBytes: body) else { return }
            let message = JobRequestWire.message(from: m)
            _ = message.streamLine
            _ = JobRequestWire.proto(from: message)
        case 4:
            if let m = try? Api_JobCancelRequest(serializedBytes: body) { _ = JobRequestWire.proto(from: JobRequestWire.request(from: m)) }
            if let m = try? Api_JobSetCancelRequest(serializedBytes: body) { _ = JobRequestWire.proto(from: JobRequestWire.request(from: m)) }
            if let m = try? Api_JobSetRequest(serializedBytes: body) { _ = JobRequestWire.proto(from: JobRequestWire.request(from: m)) }
        case 5:
            if let m = try? Api_NodeCancelRequest(serializedBytes: body) { _ = JobRequestWire.proto(cancel: JobRequestWire.request(from: m)) }
            if let m = try? Api_JobPreemptRequest(serializedBytes: body) { _ = JobRequestWire.proto(from: JobRequestWire.request(from: m)) }
        case 6:
            if let m = try? Api_JobReprioritizeRequest(serializedBytes: body) { _ = JobRequestWire.proto(from: JobRequestWire.request(from: m)) }
            if let m = try? Api_JobStatusResponse(serializedBytes: body) { _ = JobRequestWire.proto(from: JobRequestWire.response(from: m)) }
        default:
            let text = String(decoding: body, as: UTF8.self)
            for forceNoTls in [false, true] { _ = try? GRPCEndpoint.parse(text, forceNoTls: forceNoTls) }
        }
    }
}
