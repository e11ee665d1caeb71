import ArmadaAPI
/// Faults the simulator injects on request (config or `PUT /_sim/faults`), so clients and the
/// runner can be tested against a misbehaving server.
public struct SimFaults: Sendable, Hashable, Codable {
    /// Event streams are cut (connection dropped) after this many events per connection.
    public var cutStreamsAfter: Int?
    /// Every `/v1` answer is delayed by this many seconds.
    public var responseDelay: Double
    /// This fraction (0…1) of `/v1` calls is answered 503 Unavailable.
    public var failureRate: Double
    /// A newly created queue stays invisible to submit, cancel and watch for this many seconds,
    /// as the real server's queue cache lags queue creation.
    public var hideNewQueuesFor: Double

    public init(cutStreamsAfter: Int? = nil, responseDelay: Double = 0, failureRate: Double = 0, hideNewQueuesFor: Double = 0) {
        self.cutStreamsAfter = cutStreamsAfter
        self.responseDelay = responseDelay
        self.failureRate = failureRate
        self.hideNewQueuesFor = hideNewQueuesFor
    }

    private enum CodingKeys: String, CodingKey { case cutStreamsAfter, responseDelay, failureRate, hideNewQueuesFor }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cutStreamsAfter = try c.decodeIfPresent(Int.self, forKey: .cutStreamsAfter)
        responseDelay = try c.decodeIfPresent(Double.self, forKey: .responseDelay) ?? 0
        failureRate = try c.decodeIfPresent(Double.self, forKey: .failureRate) ?? 0
        hideNewQueuesFor = try c.decodeIfPresent(Double.self, forKey: .hideNewQueuesFor) ?? 0
        // Seconds and a rate from a request: range-checked, so nothing later converts an absurd value.
        for (key, value, limit) in [(CodingKeys.responseDelay, responseDelay, 3600.0), (.hideNewQueuesFor, hideNewQueuesFor, 3600), (.failureRate, failureRate, 1)]
        where !(value.isFinite && value >= 0 && value <= limit) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.stringValue) must be between 0 and \(JSONValue.numberText(limit))")
        }
    }
}
