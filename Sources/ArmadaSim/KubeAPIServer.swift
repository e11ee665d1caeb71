import ArmadaAPI
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The small Kubernetes API over HTTPS (issue #18): `KubeObjects`' answers on the pod network's
/// host address, with the certificate pods trust (`KubeCertificate`). Bearer tokens are not
/// checked: the API is read-only, and connections from outside the pod network (a machine that
/// routes the block to this host) are closed at once.
final class KubeAPIServer: Sendable {
    let channel: any Channel
    let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    static func start(host: String, port: Int, allowed: IPv4Subnet, certificate: KubeCertificate, objects: KubeObjects) throws -> KubeAPIServer {
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(certificate.certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(certificate.privateKeyPEM.utf8), format: .pem)))
        let context = try NIOSSLContext(configuration: tls)
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard let peer = channel.remoteAddress?.ipAddress.flatMap(IPv4Subnet.address), allowed.contains(peer) else {
                    return channel.eventLoop.makeFailedFuture(ChannelError.inappropriateOperationForState)
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(objects: objects))
                }
            }
            .bind(host: host, port: port).wait()
        return KubeAPIServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    func close() { try? channel.close().wait() }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let objects: KubeObjects
        var head: HTTPRequestHead?

        init(objects: KubeObjects) { self.objects = objects }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h): head = h
            case .body: break
            case .end:
                guard let head else { return }
                let components = URLComponents(string: head.uri)
                var query: [String: String] = [:]
                for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
                let (status, body) = objects.respond(method: head.method.rawValue, path: components?.path ?? head.uri, query: query)
                let bytes = Array(body.jsonText.utf8)
                var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(bytes.count))])
                if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
                let keepAlive = head.isKeepAlive
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
                    if !keepAlive { channel.close(promise: nil) }
                }
                self.head = nil
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }
}
