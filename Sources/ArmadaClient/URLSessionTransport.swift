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

    /// How often a stream was closed because its consumer fell behind (diagnostics, tests).
    public var overflows: Int { delegate.overflows.withLock { $0 } }

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
        let id = task.taskIdentifier
        delegate.register(id, continuation, limit: request.maxBufferedBytes)
        continuation.onTermination = { [delegate] _ in
            delegate.unregister(id)
            task.cancel()
        }
        task.resume()
        // Hand parts out one by one, telling the delegate what was consumed: with a limit it closes
        // a stream whose consumer has too much waiting (a fast server cannot fill this process's memory).
        let reader = PartReader(stream.makeAsyncIterator(), id: id, delegate: delegate, task: task, owner: self)
        return AsyncThrowingStream(unfolding: { try await reader.next() })
    }
}

/// The consumer's end of one task's parts; dropping it cancels the task.
private final class PartReader: @unchecked Sendable {
    // Used by one consumer at a time (AsyncThrowingStream(unfolding:) calls next() serially).
    private var iterator: AsyncThrowingStream<HTTPStreamPart, any Error>.AsyncIterator
    private let id: Int
    private let delegate: StreamingDelegate
    private let task: URLSessionDataTask
    /// The session must outlive its streams (a dropped transport invalidates and cancels its session).
    private let owner: URLSessionTransport

    init(_ iterator: AsyncThrowingStream<HTTPStreamPart, any Error>.AsyncIterator, id: Int, delegate: StreamingDelegate,
         task: URLSessionDataTask, owner: URLSessionTransport) {
        self.owner = owner
        self.iterator = iterator
        self.id = id
        self.delegate = delegate
        self.task = task
    }

    func next() async throws -> HTTPStreamPart? {
        let part = try await iterator.next()
        if case .body(let bytes)? = part { delegate.consumed(id, bytes.count) }
        return part
    }

    deinit {
        delegate.unregister(id)
        task.cancel()
    }
}

/// Routes URLSession's delegate callbacks to the continuation of each task, and closes a task
/// with a byte limit whose consumer has more than that waiting.
final class StreamingDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct Flow {
        var continuation: AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation
        var limit: Int?
        var buffered = 0
        var overflowed = false
    }

    private let flows = Mutex<[Int: Flow]>([:])
    let overflows = Mutex(0)

    func register(_ id: Int, _ continuation: AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation, limit: Int?) {
        flows.withLock { $0[id] = Flow(continuation: continuation, limit: limit) }
    }

    func unregister(_ id: Int) {
        _ = flows.withLock { $0.removeValue(forKey: id) }
    }

    private func continuation(_ id: Int) -> AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation? {
        flows.withLock { $0[id]?.continuation }
    }

    /// The consumer took `count` bytes.
    func consumed(_ id: Int, _ count: Int) {
        flows.withLock { $0[id]?.buffered -= count }
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
        let (continuation, overflow): (AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation?, Bool) = flows.withLock { flows in
            guard var flow = flows[dataTask.taskIdentifier], !flow.overflowed else { return (nil, false) }
            flow.buffered += data.count
            if let limit = flow.limit, flow.buffered > limit { flow.overflowed = true }
            flows[dataTask.taskIdentifier] = flow
            return (flow.continuation, flow.overflowed)
        }
        guard let continuation else { return }
        if overflow {
            // What is buffered stays readable; the stream then ends with ConsumerFellBehind.
            overflows.withLock { $0 += 1 }
            DispatchQueue.global().async { dataTask.cancel() } // outside the delegate callback
            return
        }
        continuation.yield(.body([UInt8](data)))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let flow = flows.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        if flow.overflowed {
            flow.continuation.finish(throwing: ConsumerFellBehind(bufferedBytes: flow.buffered))
        } else if let error {
            flow.continuation.finish(throwing: error)
        } else {
            flow.continuation.finish()
        }
    }

    /// Never follow redirects silently: the body (and credentials) would go elsewhere.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
