import ArmadaAPI
import Foundation
import Hummingbird

extension SimServer {
    /// `api.Jobs` (REST doc §3.8, §3.12), the scheduler's reports (§3.13) and `/swagger.json`.
    static func jobsRoutes(_ router: Router<SimRequestContext>, _ sim: Simulator) {
        router.post("/v1/job/status") { request, _ in
            await unary(request, sim) { _ in
                SimHTTP.json(try await sim.jobStatus(try await SimHTTP.decode(JobStatusRequest.self, request).jobIds))
            }
        }
        router.post("/v1/job/statusUsingExternalJobUri") { request, _ in
            await unary(request, sim) { _ in
                SimHTTP.json(try await sim.jobStatus(try await SimHTTP.decode(JobStatusUsingExternalJobUriRequest.self, request)))
            }
        }
        router.post("/v1/job/details") { request, _ in
            await unary(request, sim) { _ in SimHTTP.json(try await sim.jobDetails(try await SimHTTP.decode(JobDetailsRequest.self, request))) }
        }
        router.post("/v1/job/errors") { request, _ in
            await unary(request, sim) { _ in SimHTTP.json(try await sim.jobErrors(try await SimHTTP.decode(JobErrorsRequest.self, request))) }
        }
        router.post("/v1/run/details") { request, _ in
            await unary(request, sim) { _ in
                SimHTTP.json(try await sim.jobRunDetails(try await SimHTTP.decode(JobRunDetailsRequest.self, request)))
            }
        }
        router.post("/v1/queues/active") { request, _ in
            await unary(request, sim) { _ in SimHTTP.json(await sim.activeQueues()) }
        }
        router.get("/v1/scheduling-report") { request, _ in
            await unary(request, sim) { _ in SimHTTP.json(SchedulerReport(report: await sim.schedulingReport())) }
        }
        // `{queue_name}` in Armada's swagger; named as the queue routes' parameter, which the router requires.
        router.get("/v1/queue/{name}/scheduler-report") { request, context in
            await unary(request, sim) { _ in
                SimHTTP.json(SchedulerReport(report: try await sim.queueReport(SimHTTP.parameter(context, "name"))))
            }
        }
        router.get("/v1/job/{job_id}/scheduler-report") { request, context in
            await unary(request, sim) { _ in
                SimHTTP.json(SchedulerReport(report: try await sim.jobReport(SimHTTP.parameter(context, "job_id"))))
            }
        }
        router.get("/swagger.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: SimSwagger.document.jsonText)))
        }
    }
}

/// `schedulerobjects.SchedulingReport`, `QueueReport` and `JobReport`: one human-readable text.
struct SchedulerReport: Encodable {
    var report: String
}
