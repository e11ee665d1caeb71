import NIOCore
import NIOHTTP1

/// The end of an HTTP/1.1 client pipeline that sends one request and hands the response's parts to
/// one consumer as it asks for them. The channel runs with auto-read off: the socket is read only
/// while less than `readAhead` body bytes wait for the consumer.
///
/// All state is touched on the channel's event loop only (the consumer calls in through
/// `eventLoop.execute`), which is what makes the unchecked `Sendable` sound.
final class StreamReadHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let body: [UInt8]?
    private let readAhead: Int
    private let peak: PeakGauge

    private var context: ChannelHandlerContext?
    private var parts = CircularBuffer<HTTPStreamPart>()
    private var bufferedBytes = 0
    private var waiter: CheckedContinuation<HTTPStreamPart?, any Error>?
    private var reading = false
    private var ended = false
    private var failure: (any Error)?

    init(head: HTTPRequestHead, body: [UInt8]?, readAhead: Int, peak: PeakGauge) {
        self.head = head
        self.body = body
        self.readAhead = readAhead
        self.peak = peak
    }

    // MARK: The consumer's side (on the event loop)

    /// Answers with the next part, now if one is buffered, else when one arrives; nil after the end.
    func demand(_ continuation: CheckedContinuation<HTTPStreamPart?, any Error>) {
        precondition(waiter == nil, "one read at a time")
        waiter = continuation
        deliver()
        readIfWanted()
    }

    /// The consumer stopped (its task was cancelled): close, and end a pending read.
    func cancel() {
        if failure == nil, !ended { failure = CancellationError() }
        deliver()
        context?.close(promise: nil)
    }

    private func deliver() {
        guard let waiter else { return }
        if let part = parts.popFirst() {
            if case .body(let bytes) = part { bufferedBytes -= bytes.count }
            self.waiter = nil
            waiter.resume(returning: part)
        } else if let failure {
            self.waiter = nil
            waiter.resume(throwing: failure)
        } else if ended {
            self.waiter = nil
            waiter.resume(returning: nil)
        }
    }

    private func readIfWanted() {
        guard let context, !reading, !ended, failure == nil, bufferedBytes < readAhead else { return }
        reading = true
        context.read()
    }

    // MARK: The channel's side

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    /// Sends the request and starts reading (a read asked for before the channel is active is lost).
    private func start(_ context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let sent = context.eventLoop.makePromise(of: Void.self)
        sent.futureResult.whenFailure { [self] error in fail(error) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: sent)
        readIfWanted()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response):
            var headers: [String: String] = [:]
            for (name, value) in response.headers {
                let key = name.lowercased()
                headers[key] = headers[key].map { $0 + ", " + value } ?? value
            }
            parts.append(.head(status: Int(response.status.code), headers: headers))
        case .body(let buffer):
            guard buffer.readableBytes > 0 else { return }
            let bytes = Array(buffer.readableBytesView)
            bufferedBytes += bytes.count
            peak.observe(bufferedBytes)
            parts.append(.body(bytes))
        case .end:
            ended = true
            context.close(promise: nil)
        }
        deliver()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        readIfWanted()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !ended, failure == nil { failure = StreamTransportError("the server closed the connection before the response ended") }
        deliver()
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error) {
        if failure == nil, !ended { failure = error }
        deliver()
    }
}
