import ArmadaAPI
import NIOCore
import NIOPosix

/// The embedded cluster's ingress controller (issue #18): an HTTP listener that routes each
/// connection by its request's `Host` to the pod behind that ingress host
/// (`<container>-<port>-armada-<jobId>-0.<namespace>.svc`, lifecycle §4.14) on the pod network,
/// and relays bytes both ways until either side closes. An unknown host gets 404, a pod that does
/// not accept the connection 502, as a cluster's ingress controller answers.
public enum SimIngress {
    /// The pod's address and port for an ingress host, or nil.
    public typealias Route = @Sendable (String) async -> (host: String, port: Int)?

    /// Serves on `host:port` until the surrounding task is cancelled; `onListening` gets the bound port.
    public static func run(host: String, port: Int, route: @escaping Route,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Front(route: route)) }
            }
            .bind(host: host, port: port).get()
        await onListening(channel.localAddress?.port ?? port)
        try await withTaskCancellationHandler {
            try await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// The `Host` of a request head (its port dropped, lower case), or nil.
    public static func host(inHead text: String) -> String? {
        // "\r\n" is one Character in Swift: split on newlines, not on "\n".
        for trimmed in text.split(whereSeparator: \.isNewline).dropFirst() {
            guard let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].lowercased() == "host" else { continue }
            var value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !value.hasPrefix("["), let portColon = value.lastIndex(of: ":") { value = String(value[..<portColon]) }
            return value.isEmpty ? nil : value.lowercased()
        }
        return nil
    }

    static let maxHead = 16 * 1024

    /// The client's side: reads the request head, routes it, then relays to the pod.
    final class Front: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        enum State {
            case reading
            case routing
            case relaying(Channel)
            case closed
        }

        let route: Route
        var state = State.reading
        var buffered: [UInt8] = []

        init(route: @escaping Route) { self.route = route }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            switch state {
            case .relaying(let upstream):
                upstream.writeAndFlush(buffer, promise: nil)
            case .routing:
                buffered += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .reading:
                buffered += buffer.readBytes(length: buffer.readableBytes) ?? []
                if let end = HTTPHead.end(buffered) {
                    state = .routing
                    let host = SimIngress.host(inHead: String(decoding: buffered[..<end], as: UTF8.self))
                    connect(context, host: host)
                } else if buffered.count > SimIngress.maxHead {
                    respond(context, "431 Request Header Fields Too Large", "the request head exceeds \(SimIngress.maxHead) bytes\n")
                }
            case .closed:
                break
            }
        }

        private func connect(_ context: ChannelHandlerContext, host: String?) {
            let loop = context.eventLoop, route = self.route
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            guard let host else {
                respond(context, "400 Bad Request", "the request has no Host header\n")
                return
            }
            loop.makeFutureWithTask { await route(host) }.whenComplete { result in
                let (front, context) = bound.value
                if case .closed = front.state { return }
                guard case .success(let target?) = result else {
                    front.respond(context, "404 Not Found", "no ingress for host \(host) on this simulator\n")
                    return
                }
                let client = context.channel
                ClientBootstrap(group: loop)
                    .channelInitializer { upstream in
                        upstream.eventLoop.makeCompletedFuture { try upstream.pipeline.syncOperations.addHandler(Back(client: client)) }
                    }
                    .connect(host: target.host, port: target.port)
                    .whenComplete { connected in
                        let (front, context) = bound.value
                        switch connected {
                        case .success(let upstream):
                            guard case .routing = front.state else {
                                upstream.close(promise: nil)
                                return
                            }
                            front.state = .relaying(upstream)
                            upstream.writeAndFlush(ByteBuffer(bytes: front.buffered), promise: nil)
                            front.buffered = []
                        case .failure(let error):
                            front.respond(context, "502 Bad Gateway", "the pod behind \(host) (\(target.host):\(target.port)) did not accept: \(error)\n")
                        }
                    }
            }
        }

        func respond(_ context: ChannelHandlerContext, _ status: String, _ body: String) {
            if case .closed = state { return }
            state = .closed
            let text = "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + body
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text))).whenComplete { _ in channel.close(promise: nil) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if case .relaying(let upstream) = state { upstream.close(promise: nil) }
            state = .closed
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    /// The pod's side: relays what the pod sends, and closes the client's connection once the
    /// pod has closed and the last bytes are written.
    final class Back: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let client: Channel
        var lastWrite: EventLoopFuture<Void>?

        init(client: Channel) { self.client = client }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            lastWrite = client.writeAndFlush(unwrapInboundIn(data))
        }

        func channelInactive(context: ChannelHandlerContext) {
            let client = self.client
            if let lastWrite { lastWrite.whenComplete { _ in client.close(promise: nil) } } else { client.close(promise: nil) }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
