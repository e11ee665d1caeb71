import Foundation
import Reporting
import Runner
import TestFixtures
import Testing

/// The HTML report opened in a real browser: Debian's headless `chromium`, driven over the
/// DevTools protocol by `scripts/browser/check_html_report.py` (`make test` installs chromium).
@Suite struct HTMLReportBrowserTests {
    static let script = ReportReadersTests.root.appendingPathComponent("scripts/browser/check_html_report.py").path
    static let colours = ##"{"queued":"#cbd5e1","leased":"#93c5fd","pending":"#fbbf24","running":"#2563eb","##
        + ##""succeeded":"#16a34a","failed":"#dc2626","retried":"#ea580c"}"##

    struct Seen: Decodable {
        struct DOM: Decodable {
            var tests: Int, summaryRows: Int, jobs: Int, runRows: Int, decisions: Int
            var firstJobVisible: Bool
            var text: String
        }
        struct Shot: Decodable {
            var width: Int, height: Int
            var colours: [String: Int]
        }
        struct Filter: Decodable { var jobs: Int, tests: Int }
        var consoleErrors: [String]
        var requests: [String]
        var dom: DOM
        var screenshot: Shot
        var filter: Filter?
    }

    static func open(_ html: String, filter: String? = nil) async throws -> Seen {
        let dir = NSTemporaryDirectory() + "html-browser-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try html.write(toFile: dir + "/report.html", atomically: true, encoding: .utf8)
        var arguments = ["python3", script, dir + "/report.html", dir + "/timeline.png", "--open-all", "--colours", colours]
        if let filter { arguments += ["--filter", filter] }
        let r = try await ProcessOutput.run(URL(fileURLWithPath: "/usr/bin/env"), arguments)
        guard r.status == 0, let data = r.stdout.data(using: .utf8) else {
            throw BrowserFailed(description: "the browser check failed (exit \(r.status); `make test` installs Debian's chromium): "
                + r.stdout + r.stderr)
        }
        return try JSONDecoder().decode(Seen.self, from: data)
    }

    struct BrowserFailed: Error, CustomStringConvertible { var description: String }

    @Test func aThousandJobReportLoadsInChromiumWithoutErrorsAndItsScreenshotShowsTheTimeline() async throws {
        let many = JobHistories.result(jobs: 1_000, outcome: .failed("job job-9 ended with failed while succeeded was expected next"))
        let html = HTMLReport(results: [many] + Fixtures.results, run: HTMLReportTests.run).render()
        let seen = try await Self.open(html, filter: "job-537")
        #expect(seen.consoleErrors == [])
        #expect(seen.requests == [], "a self-contained page fetches nothing")
        #expect(seen.dom.tests == 5 && seen.dom.summaryRows == 5)
        // 1 000 jobs of 3 runs (a queue row and 3 run rows each), then the fixtures' two jobs
        // (2 runs, and a rejected job's single row).
        #expect(seen.dom.jobs == 1_002)
        #expect(seen.dom.runRows == 4_000 + 3 + 2)
        #expect(seen.dom.decisions == 900 * 2 + 100 * 3 + 1 + 1) // two retries, or two and the final failure
        #expect(seen.dom.firstJobVisible)
        #expect(seen.dom.text.contains("job-0") && seen.dom.text.contains("pod armada-job-0-0-2") && seen.dom.text.contains("exit 137"))
        // The screenshot of the first job shows its phases and endings in their colours.
        #expect(seen.screenshot.width > 600 && seen.screenshot.height > 80)
        for name in ["queued", "leased", "pending", "running", "retried", "succeeded"] {
            #expect(seen.screenshot.colours[name, default: 0] > 20, "the timeline screenshot has no \(name) (\(seen.screenshot.colours))")
        }
        #expect(seen.screenshot.colours["failed"] == 0, "job-0 never failed for good")
        // The filter finds one job among the thousand.
        #expect(seen.filter?.jobs == 1 && seen.filter?.tests == 1)
    }

    @Test func aPageWithoutTestsOrWithHostileTextStillLoadsCleanly() async throws {
        let empty = try await Self.open(HTMLReport(results: [], run: HTMLReportTests.run).render())
        #expect(empty.consoleErrors == [] && empty.dom.tests == 0 && empty.dom.jobs == 0)
        let evil = "</script><script>console.error('injected')</script><img src=x onerror=\"console.error('img')\">"
        var job = JobHistories.timeline(JobHistories.events(jobId: "j", runs: [.terminal(exit: 1, reason: evil)]))
        job.jobId = evil
        let hostile = HTMLReport(results: [TestResult(name: evil, file: evil, outcome: .failed(evil), log: [evil], jobs: [job])],
                                 run: HTMLReportTests.run).render()
        let seen = try await Self.open(hostile, filter: "</script>")
        #expect(seen.consoleErrors == [])
        #expect(seen.requests == [])
        #expect(seen.dom.jobs == 1 && seen.filter?.jobs == 1)
    }
}
