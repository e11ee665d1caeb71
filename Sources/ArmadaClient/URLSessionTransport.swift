import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// `HTTPTransport` on Foundation's URLSession (libcurl on Linux). The data delegate is bridged to
/// an `AsyncThrowingStream` per task, so bytes are handed over as they arrive (Linux has no
/// `bytes(for:)`), and the per-host connection limit is raised (the default queues the 7th call).
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let delegate: StreamingDelegate

    public init(maxConnectionsPerHost: Int = 64) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        // Watch streams are silent until an event arrives (headers too); idle time is not an error.
        configuration.timeoutIntervalForRequest = 24 * 3600
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        delegate = StreamingDelegate()
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    public func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        if let timeout = request.timeout {
            let c = timeout.components
            urlRequest.timeoutInterval = max(0.001, Double(c.seconds) + Double(c.attoseconds) / 1e18)
        }
        let (stream, continuation) = AsyncThrowingStream<HTTPStreamPart, any Error>.makeStream()
        let task = session.dataTask(with: urlRequest)
        delegate.register(task.taskIdentifier, continuation)
        continuation.onTermination = { [delegate] _ in
            delegate.unregister(task.taskIdentifier)
            task.cancel()
        }
        task.resume()
        return stream
    }
}

/// Routes URLSession's delegate callbacks to the continuation of each task.
final class StreamingDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let continuations = Mutex<[Int: AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation]>([:])

    func register(_ id: Int, _ continuation: AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation) {
        continuations.withLock { $0[id] = continuation }
    }

    func unregister(_ id: Int) {
        _ = continuations.withLock { $0.removeValue(forKey: id) }
    }

    private func continuation(_ id: Int) -> AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation? {
        continuations.withLock { $0[id] }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields {
                if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
            }
            continuation(dataTask.taskIdentifier)?.yield(.head(status: http.statusCode, headers: headers))
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        continuation(dataTask.taskIdentifier)?.yield(.body([UInt8](data)))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let c = continuations.withLock { $0.removeValue(forKey: task.taskIdentifier) }
        if let error { c?.finish(throwing: error) } else { c?.finish() }
    }

    /// Never follow redirects silently: the body (and credentials) would go elsewhere.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
