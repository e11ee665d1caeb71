import Foundation

/// The event stream's hot path: one `GetJobSetEvents` line read straight from its bytes with
/// `JSONScanner`, with the same lenient rules as the `Codable` path (`EventMessage+Codable`), which
/// stays the reference: a line this path does not recognise (an error chunk, a malformed frame) is
/// left to it. `submitted.job` (the whole job spec) is kept raw and decoded by `JSONDecoder` when read.
extension EventStreamMessage {
    /// The message of a `{"result": {"id": …, "message": {…}}}` line; nil for any other line.
    public static func scanStreamLine(_ bytes: UnsafeBufferPointer<UInt8>) -> EventStreamMessage? {
        var s = JSONScanner(bytes)
        var result: EventStreamMessage?
        var other = false
        do {
            guard s.peek() == UInt8(ascii: "{") else { return nil }
            try s.members(keys:) { key, s in
                if key.equals("result"), result == nil, !other {
                    result = try scanResult(&s)
                } else {
                    other = true
                    try s.skipValue()
                }
            }
            guard !other, s.atEnd() else { return nil }
            return result
        } catch {
            return nil
        }
    }

    private static func scanResult(_ s: inout JSONScanner) throws -> EventStreamMessage? {
        guard s.peek() == UInt8(ascii: "{") else {
            try s.skipValue()
            return nil
        }
        var id: String?
        var message: EventMessage?
        var usable = true
        try s.members(keys:) { key, s in
            if key.equals("id") {
                if s.peek() == UInt8(ascii: "\"") { id = try s.readString() } else { usable = false; try s.skipValue() }
            } else if key.equals("message") {
                if let m = try EventMessage.scan(&s) { message = m } else { usable = false }
            } else {
                try s.skipValue()
            }
        }
        guard usable, let id, let message else { return nil }
        return EventStreamMessage(id: id, message: message)
    }
}

extension EventMessage.Field {
    static let table = KeyTable(allCases.map { ($0.rawValue, $0) })
}

extension EventType {
    /// Names as `init(name:)` reads them: the JSON name first, then the proto name.
    static let table = KeyTable(allCases.map { ($0.rawValue, $0) } + allCases.map { ($0.protoName, $0) })
}

extension EventMessage {
    /// `{"<variant>": {…}}`; nil (value skipped) when it is not an object or names no variant.
    static func scan(_ s: inout JSONScanner) throws -> EventMessage? {
        guard s.peek() == UInt8(ascii: "{") else {
            try s.skipValue()
            return nil
        }
        var message: EventMessage?
        try s.members(keys:) { key, s in
            guard message == nil else { return try s.skipValue() }
            var m = EventType.table.value(for: key).map { EventMessage($0) } ?? EventMessage(unknown: key.string)
            if s.peek() == UInt8(ascii: "{") { try m.scanFields(&s) } else { try s.skipValue() }
            message = m
        }
        return message
    }

    private mutating func scanFields(_ s: inout JSONScanner) throws {
        try s.members(keys:) { key, s in
            // The wire names come from `Field`, the one list the Codable path uses too.
            guard let field = Field.table.value(for: key) else { return try s.skipValue() }
            switch field {
            case .jobId: jobId = try s.lenientString()
            case .jobSetId: jobSetId = try s.lenientString()
            case .queue: queue = try s.lenientString()
            case .created: created = try Timestamp.scan(&s)
            case .clusterId: clusterId = try s.lenientString()
            case .kubernetesId: kubernetesId = try s.lenientString()
            case .nodeName: nodeName = try s.lenientString()
            case .podNumber: podNumber = try s.lenientInteger()
            case .podName: podName = try s.lenientString()
            case .podNamespace: podNamespace = try s.lenientString()
            case .pool: pool = try s.lenientString()
            case .reason: reason = try s.lenientString()
            case .exitCodes: exitCodes = try Self.scanExitCodes(&s) ?? [:]
            case .containerStatuses: containerStatuses = try ContainerStatus.scanList(&s) ?? []
            case .cause: cause = try Cause.scan(&s) ?? .error
            case .failureCategory: failureCategory = try s.lenientString()
            case .failureSubcategory: failureSubcategory = try s.lenientString()
            case .retryable: retryable = try s.lenientBool()
            case .runAttempted: runAttempted = try s.lenientBool()
            case .newPriority: newPriority = try s.lenientDouble()
            case .requestor: requestor = try s.lenientString()
            case .runId: runId = try s.lenientString()
            case .preemptingJobId: preemptingJobId = try s.lenientString()
            case .preemptiveRunId: preemptiveRunId = try s.lenientString()
            case .maxResourcesForPeriod: maxResourcesForPeriod = try s.lenientStringMap()
            case .avgResourcesForPeriod: avgResourcesForPeriod = try s.lenientStringMap()
            case .totalCumulativeUsage: totalCumulativeUsage = try s.lenientStringMap()
            case .ingressAddresses: ingressAddresses = try s.lenientStringMap()
            case .job: jobSpec = JobSpec(raw: Array(try s.rawValue()))
            }
        }
    }

    /// `{container: code}` with every value an int32 number, else nil (as `tolerant` decoding).
    private static func scanExitCodes(_ s: inout JSONScanner) throws -> [String: Int32]? {
        guard s.peek() == UInt8(ascii: "{") else {
            try s.skipValue()
            return nil
        }
        var out: [String: Int32] = [:]
        var valid = true
        try s.members { key, s in
            if let text = try s.numberText() {
                if let v = Int32(text) ?? Double(text).flatMap({ Int32(exactly: $0) }) { out[key] = v } else { valid = false }
            } else {
                valid = false
                try s.skipValue()
            }
        }
        return valid ? out : nil
    }
}

extension ContainerStatus {
    /// An array of container statuses, or nil if it is not one (as `tolerant` decoding).
    static func scanList(_ s: inout JSONScanner) throws -> [ContainerStatus]? {
        guard s.peek() == UInt8(ascii: "[") else {
            try s.skipValue()
            return nil
        }
        var out: [ContainerStatus] = []
        var valid = true
        try s.elements { s in
            guard s.peek() == UInt8(ascii: "{") else {
                valid = false
                return try s.skipValue()
            }
            var c = ContainerStatus()
            try s.members(keys:) { key, s in
                if key.equals("name") {
                    c.name = try s.lenientString()
                } else if key.equals("exitCode") {
                    c.exitCode = try s.lenientInteger()
                } else if key.equals("message") {
                    c.message = try s.lenientString()
                } else if key.equals("reason") {
                    c.reason = try s.lenientString()
                } else if key.equals("cause") {
                    c.cause = try Cause.scan(&s) ?? .error
                } else {
                    try s.skipValue()
                }
            }
            out.append(c)
        }
        return valid ? out : nil
    }
}

extension ProtoEnum {
    /// By number or name; nil (value skipped) when it is neither a known number nor a known name.
    static func scan(_ s: inout JSONScanner) throws -> Self? {
        if let text = try s.numberText() { return Int(text).flatMap(Self.init(rawValue:)) }
        if s.peek() == UInt8(ascii: "\"") { return Self(name: try s.readString()) }
        try s.skipValue()
        return nil
    }
}

extension Timestamp {
    /// `{seconds, nanos}` or an RFC 3339 string; nil (value skipped) otherwise.
    static func scan(_ s: inout JSONScanner) throws -> Timestamp? {
        switch s.peek() {
        case UInt8(ascii: "{"):
            var seconds: Int64 = 0, nanos: Int32 = 0
            try s.members(keys:) { key, s in
                if key.equals("seconds") {
                    seconds = try s.lenientInteger()
                } else if key.equals("nanos") {
                    nanos = try s.lenientInteger()
                } else {
                    try s.skipValue()
                }
            }
            return Timestamp(seconds: seconds, nanos: nanos)
        case UInt8(ascii: "\""):
            let text = try s.readString()
            return Timestamp(rfc3339: text) ?? parseRFC3339(text).map(Timestamp.init)
        default:
            try s.skipValue()
            return nil
        }
    }
}
