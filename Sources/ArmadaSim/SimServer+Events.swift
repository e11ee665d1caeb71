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
                var cursor = EventLogCursor(sim, queue: queue, jobSet: jobSet, watch: watch, start: start, end: end, cutAfter: cutAfter)
                while let (lines, cut) = await cursor.next() {
                    var buffer = ByteBuffer()
                    for line in lines { buffer.writeBytes(line) }
                    try await writer.write(buffer)
                    if cut { throw CancellationError() } // simulated fault: drop the connection
                }
                try await writer.finish(nil)
            })
        }
    }
}
