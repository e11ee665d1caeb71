import GRPCCore
import SwiftProtobuf

/// `-v` for gRPC: one line per call when its response ends (the method, the status code, the time
/// and the number of messages), and at `-vv` every message each way as JSON. Messages are passed on
/// one at a time as the caller reads them, so event streams keep their back-pressure.
struct CallLoggingInterceptor: ClientInterceptor {
    let log: CallLog

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>, context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        let method = context.descriptor.fullyQualifiedMethod, log = self.log, start = ContinuousClock.now
        var request = request
        if log.level >= .bodies {
            let producer = request.producer
            request.producer = { writer in try await producer(RPCWriter(wrapping: LoggingWriter(inner: writer, method: method, log: log))) }
        }
        let response: StreamingClientResponse<Output>
        do {
            response = try await next(request, context)
        } catch {
            log.call(method, result: (error as? RPCError).map { "\($0.code)" } ?? "no answer", elapsed: ContinuousClock.now - start,
                     size: "0 messages", error: "\(error)")
            throw error
        }
        switch response.accepted {
        case .failure(let error):
            log.call(method, result: "\(error.code)", elapsed: ContinuousClock.now - start, size: "0 messages", error: error.message)
            return response
        case .success(let contents):
            let parts = LoggingParts<Output>(parts: contents.bodyParts, method: method, log: log, start: start)
            return StreamingClientResponse(accepted: .success(.init(metadata: contents.metadata, bodyParts: RPCAsyncSequence(wrapping: parts))))
        }
    }

    static func text(_ message: Any) -> String {
        guard let message = message as? any SwiftProtobuf.Message else { return "\(message)" }
        return (try? message.jsonString()) ?? message.textFormatString()
    }
}

/// Logs each request message (`-vv`) as it is written.
private struct LoggingWriter<Element: Sendable>: RPCWriterProtocol {
    let inner: RPCWriter<Element>
    let method: String
    let log: CallLog

    func write(_ element: Element) async throws {
        log.body("\(method) request", CallLoggingInterceptor.text(element))
        try await inner.write(element)
    }

    func write(contentsOf elements: some Sequence<Element>) async throws {
        for element in elements { try await write(element) }
    }
}

/// The response's parts, passed on as read; the call's line when they end or fail.
private struct LoggingParts<Output: Sendable>: AsyncSequence, Sendable {
    typealias Element = StreamingClientResponse<Output>.Contents.BodyPart
    let parts: RPCAsyncSequence<Element, any Error>
    let method: String
    let log: CallLog
    let start: ContinuousClock.Instant

    struct AsyncIterator: AsyncIteratorProtocol {
        var upstream: RPCAsyncSequence<Element, any Error>.AsyncIterator
        let method: String
        let log: CallLog
        let start: ContinuousClock.Instant
        var messages = 0
        var done = false

        mutating func next() async throws -> Element? {
            guard !done else { return nil }
            do {
                guard let part = try await upstream.next() else {
                    finish("OK", error: nil)
                    return nil
                }
                if case .message(let message) = part {
                    messages += 1
                    log.body("\(method) response", CallLoggingInterceptor.text(message))
                }
                return part
            } catch is CancellationError {
                finish("closed by the caller", error: nil) // a watch that got what it waited for
                throw CancellationError()
            } catch {
                finish((error as? RPCError).map { "\($0.code)" } ?? "failed", error: (error as? RPCError)?.message ?? "\(error)")
                throw error
            }
        }

        mutating func finish(_ result: String, error: String?) {
            done = true
            log.call(method, result: result, elapsed: ContinuousClock.now - start, size: "\(messages) message\(messages == 1 ? "" : "s")",
                     error: error)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(upstream: parts.makeAsyncIterator(), method: method, log: log, start: start)
    }
}
