import ArmadaAPI
import Foundation
import Hummingbird

extension SimServer {
    /// `POST /v1/job-set/{queue}/{id}`: ndjson `{"result": …}` lines. Like the gateway, the status
    /// line goes out only with the first event; `watch: false` ends at the last message present
    /// when the request arrived. Watchers read the shared log by position, in batches of 500.
    static func eventRoutes(_ router: Router<SimRequestContext>, _ sim: Simulator) {
        router.post("/v1/job-set/{queue}/{id}") { request, context in
            var body: JobSetRequest
            do {
                body = try await SimHTTP.decode(JobSetRequest.self, request)
            } catch let error as SimError {
                return SimHTTP.streamError(error)
            }
            body.queue = SimHTTP.parameter(context, "queue")
            body.id = SimHTTP.parameter(context, "id")
            let start: Int, end: Int
            do {
                let principal = try await sim.authenticate(request.headers[.authorization])
                (start, end) = try await sim.eventsStart(body, as: principal)
            } catch let error as SimError {
                return SimHTTP.streamError(error)
            }
            let (queue, jobSet, watch) = (body.queue, body.id, body.watch)
            let cutAfter = await sim.faults.cutStreamsAfter
            if watch {
                await sim.waitForEvents(queue: queue, jobSet: jobSet, than: start)
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                var position = start
                while !Task.isCancelled {
                    if !watch && position >= end { break }
                    let batch = await sim.readEvents(queue: queue, jobSet: jobSet, from: position,
                                                     limit: watch ? 500 : min(500, end - position))
                    if batch.isEmpty {
                        await sim.waitForEvents(queue: queue, jobSet: jobSet, than: position)
                        continue
                    }
                    var buffer = ByteBuffer()
                    var cut = false
                    for (i, line) in batch.enumerated() {
                        if let cutAfter, position + i - start >= cutAfter {
                            cut = true
                            break
                        }
                        buffer.writeBytes(line)
                    }
                    try await writer.write(buffer)
                    if cut { throw CancellationError() } // simulated fault: drop the connection
                    position += batch.count
                }
                try await writer.finish(nil)
            })
        }
    }
}
