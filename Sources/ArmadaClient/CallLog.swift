import ArmadaAPI
import Foundation

/// What `-v` and `-vv` show of the API traffic: every call with its method, path, status and time,
/// and at `.bodies` the request and answer bodies too (their first `bodyLimit` bytes). Lines go to
/// `write`; the caller's printing applies the output boundary's redaction and escaping, and this
/// type redacts credentials itself as well (`Redaction`), so a token never reaches a log.
public struct CallLog: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case calls = 1, bodies = 2
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public var level: Level
    public var bodyLimit: Int
    public let write: @Sendable (String) -> Void

    public init(level: Level, bodyLimit: Int = 4096, write: @escaping @Sendable (String) -> Void) {
        self.level = level
        self.bodyLimit = max(0, bodyLimit)
        self.write = write
    }

    /// `-v` counted: nil for none, `.calls` for one, `.bodies` for two or more.
    public static func level(verbosity: Int) -> Level? { verbosity <= 0 ? nil : verbosity == 1 ? .calls : .bodies }

    /// `api: POST /v1/job/submit → 200 in 12 ms (1234 B)`, `api: api.Submit/SubmitJobs → OK in 9.5 ms (1 message)`.
    func call(_ name: String, result: String, elapsed: Duration, size: String, error: String? = nil) {
        let failure = error.map { ": \($0)" } ?? ""
        write(Redaction.apply("api: \(name) → \(result) in \(elapsed.millisecondsText) ms (\(size))\(failure)"))
    }

    /// What a body log keeps beyond `bodyLimit`, so a credential that crosses the limit is still
    /// recognised whole (and masked) before the text is shortened.
    static let redactionMargin = 4096

    /// `api:   request body: {…}` (at `.bodies`): `bytes` are the body's first bytes (at least
    /// `bodyLimit + redactionMargin` of them when it is that long), `total` its whole length.
    func body(_ label: String, _ bytes: some Collection<UInt8>, total: Int) {
        let kept = bytes.prefix(bodyLimit + Self.redactionMargin)
        body(label, String(decoding: kept, as: UTF8.self), more: total - kept.count)
    }

    /// A body given as text (a gRPC message as JSON): credentials masked, then shortened to
    /// `bodyLimit` bytes.
    func body(_ label: String, _ text: String, more: Int = 0) {
        guard level >= .bodies else { return }
        var shown = Redaction.apply(text)
        var extra = more
        if shown.utf8.count > bodyLimit {
            extra += shown.utf8.count - bodyLimit
            shown = String(decoding: shown.utf8.prefix(bodyLimit), as: UTF8.self)
        }
        write("api:   \(label): \(shown)" + (extra > 0 ? " … (\(extra) more bytes)" : ""))
    }
}
