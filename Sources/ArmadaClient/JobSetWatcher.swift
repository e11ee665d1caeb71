import ArmadaAPI

/// Every event of one job set, across broken connections: reconnects from the last message id
/// (`fromMessageId`, strictly after) with exponential backoff, drops messages delivered twice,
/// and gives up after `maxConsecutiveFailures` failed connections in a row (a received message
/// resets the count). With `watch: false` it ends after the history.
public struct JobSetWatcher: AsyncSequence, Sendable {
    public typealias Element = EventStreamMessage

    public struct Options: Sendable, Hashable {
        public var watch: Bool
        public var fromMessageId: String
        public var errorIfMissing: Bool
        public var initialBackoff: Duration
        public var maxBackoff: Duration
        public var maxConsecutiveFailures: Int

        public init(watch: Bool = true, fromMessageId: String = "", errorIfMissing: Bool = false,
                    initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30),
                    maxConsecutiveFailures: Int = 6) {
            self.watch = watch
            self.fromMessageId = fromMessageId
            self.errorIfMissing = errorIfMissing
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.maxConsecutiveFailures = maxConsecutiveFailures
        }
    }

    public let client: any ArmadaAPIClient
    public let queue: String
    public let jobSetId: String
    public let options: Options
    public let diagnostics: WatcherDiagnostics

    public init(client: any ArmadaAPIClient, queue: String, jobSetId: String, options: Options = Options(),
                diagnostics: WatcherDiagnostics = WatcherDiagnostics()) {
        self.client = client
        self.queue = queue
        self.jobSetId = jobSetId
        self.options = options
        self.diagnostics = diagnostics
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<EventStreamMessage, any Error>.Iterator {
        stream().makeAsyncIterator()
    }

    /// Errors that another connection cannot fix.
    static func isFatal(_ error: ArmadaError) -> Bool {
        if error.queueNotFound { return false }
        switch error.kind {
        case .configuration, .authentication: return true
        case .decoding, .transport, .timeout: return false
        case .server:
            return error.code == .invalidArgument || error.code == .permissionDenied || error.code == .unauthenticated
                || error.jobSetNotFound // only with errorIfMissing
        }
    }

    /// Pull-based, like the client's streams: the next event is read when the consumer asks for
    /// it, so nothing piles up between the connection and the consumer.
    func stream() -> AsyncThrowingStream<EventStreamMessage, any Error> {
        let cursor = Cursor(self)
        return AsyncThrowingStream(unfolding: { try await cursor.next() })
    }

    /// The watcher's state between `next()` calls.
    private final class Cursor: @unchecked Sendable {
        // Used by one consumer at a time (AsyncThrowingStream(unfolding:) calls next() serially).
        let watcher: JobSetWatcher
        var last: String
        var lastID: MessageID?
        var failures = 0
        var connection: AsyncThrowingStream<EventStreamMessage, any Error>.AsyncIterator?
        var done = false

        init(_ watcher: JobSetWatcher) {
            self.watcher = watcher
            last = watcher.options.fromMessageId
            lastID = MessageID(last)
        }

        var endpoint: String {
            watcher.client.transportKind == .rest ? "POST /v1/job-set/\(watcher.queue)/\(watcher.jobSetId)"
                : "api.Event/GetJobSetEvents \(watcher.queue)/\(watcher.jobSetId)"
        }

        func next() async throws -> EventStreamMessage? {
            let options = watcher.options, diagnostics = watcher.diagnostics
            while !done, !Task.isCancelled {
                var failure: ArmadaError?
                do {
                    if connection == nil {
                        diagnostics.update {
                            $0.connections += 1
                            $0.resumedFrom.append(last)
                        }
                        let request = JobSetRequest(id: watcher.jobSetId, queue: watcher.queue, watch: options.watch,
                                                    fromMessageId: last, errorIfMissing: options.errorIfMissing)
                        connection = try await watcher.client.events(request).makeAsyncIterator()
                    }
                    if let message = try await connection!.next() {
                        failures = 0
                        let id = MessageID(message.id)
                        if let id, let previous = lastID, id <= previous {
                            diagnostics.update { $0.duplicatesDropped += 1 }
                            continue
                        }
                        if message.id == last, !last.isEmpty {
                            diagnostics.update { $0.duplicatesDropped += 1 }
                            continue
                        }
                        last = message.id
                        lastID = id
                        diagnostics.delivered(message.id)
                        return message
                    }
                    connection = nil
                    if !options.watch || Task.isCancelled {
                        done = true
                        return nil
                    }
                    failure = ArmadaError(.transport, endpoint: endpoint, message: "the server ended the watch stream")
                } catch let error as ArmadaError {
                    failure = error
                } catch {
                    if Task.isCancelled { break }
                    failure = ArmadaError(.transport, endpoint: endpoint, message: "\(error)")
                }
                connection = nil
                guard let failure, !Task.isCancelled else { break }
                if failure.consumerFellBehind {
                    // Not a failure: the transport bounded its buffer. Carry on from the last event.
                    diagnostics.update { $0.catchUps += 1 }
                    continue
                }
                diagnostics.update { $0.lastError = failure.description }
                if failure.isUnauthenticated, await watcher.client.credentials.credentialsRejected() {
                    // Refreshed credentials: try again at once (still counted, so a persistent 401 ends).
                } else if JobSetWatcher.isFatal(failure) {
                    done = true
                    throw failure
                }
                failures += 1
                if failures >= options.maxConsecutiveFailures {
                    done = true
                    throw WatchFailed(attempts: failures, lastError: failure)
                }
                let delay = Swift.min(options.maxBackoff, options.initialBackoff * (1 << Swift.min(failures - 1, 20)))
                do { try await Task.sleep(for: delay) } catch { break }
            }
            done = true
            return nil
        }
    }
}

/// The watcher gave up after `attempts` consecutive failed connections.
public struct WatchFailed: Error, Sendable, Hashable, CustomStringConvertible {
    public var attempts: Int
    public var lastError: ArmadaError
    public var description: String { "event stream failed \(attempts) times in a row; last error: \(lastError)" }
}
