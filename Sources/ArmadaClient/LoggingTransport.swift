import Foundation

/// An `HTTPTransport` that tells `log` about every call it passes on: one line when the response
/// ends (or fails) with the status, the time and the body size, and at `-vv` the bodies. It reads
/// the inner stream only as its consumer reads (no buffering of its own), so event streams keep
/// their back-pressure.
public final class LoggingTransport: HTTPTransport {
    public let inner: any HTTPTransport
    public let log: CallLog

    public init(_ inner: any HTTPTransport, log: CallLog) {
        self.inner = inner
        self.log = log
    }

    public func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        let target = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
        if let body = request.body { log.body("\(request.method) \(target) request body", body, total: body.count) }
        let reader = Reader(inner.stream(request), request: request, target: target, log: log)
        return AsyncThrowingStream(unfolding: { try await reader.next() })
    }

    /// The consumer's end: passes parts on one `next()` at a time and logs the call when it ends.
    private final class Reader: @unchecked Sendable {
        // Used by one consumer at a time (AsyncThrowingStream(unfolding:) calls next() serially).
        private var upstream: AsyncThrowingStream<HTTPStreamPart, any Error>.AsyncIterator
        private let method: String, target: String, log: CallLog
        private let start = ContinuousClock.now
        private var status: Int?
        private var bytes = 0
        private var shown: [UInt8] = []
        private var logged = false

        init(_ upstream: AsyncThrowingStream<HTTPStreamPart, any Error>, request: TransportRequest, target: String, log: CallLog) {
            self.upstream = upstream.makeAsyncIterator()
            (method, self.target, self.log) = (request.method, target, log)
        }

        func next() async throws -> HTTPStreamPart? {
            do {
                guard let part = try await upstream.next() else {
                    finish(error: nil)
                    return nil
                }
                switch part {
                case .head(let code, _): status = code
                case .body(let chunk):
                    bytes += chunk.count
                    let keep = log.bodyLimit + CallLog.redactionMargin
                    if log.level >= .bodies, shown.count < keep { shown += chunk.prefix(keep - shown.count) }
                }
                return part
            } catch is CancellationError {
                finish(error: "closed by the caller")
                throw CancellationError()
            } catch {
                finish(error: "\(error)")
                throw error
            }
        }

        private func finish(error: String?) {
            guard !logged else { return }
            logged = true
            log.call("\(method) \(target)", result: status.map(String.init) ?? "no answer", elapsed: ContinuousClock.now - start,
                     size: "\(bytes) B", error: error)
            if bytes > 0 { log.body("response body", shown, total: bytes) }
        }

        deinit {
            // A consumer that stopped reading (a cancelled watch): the call still gets its line.
            finish(error: "closed by the caller")
        }
    }
}
