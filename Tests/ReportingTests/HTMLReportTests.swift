import ArmadaAPI
import Foundation
import Reporting
import Runner
import Testing

/// The HTML report as text: self-contained, escaped, redacted, every part a reader needs.
@Suite struct HTMLReportTests {
    static let run = RunReports.Run(name: "retries/*.yaml", target: "http://localhost:8081", transport: "REST",
                                    started: JobHistories.t0, elapsed: .seconds(13), version: "9.9.9", shard: "2/3")

    static func page(_ results: [TestResult], jobsPerTest: Int = 1_000, jobsPerPage: Int = 10_000) -> String {
        HTMLReport(results: results, run: run, jobsPerTest: jobsPerTest, jobsPerPage: jobsPerPage).render()
    }

    @Test func thePageLoadsNothingFromOutside() {
        let html = Self.page(Fixtures.results + [JobHistories.result(jobs: 3)])
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none';"))
        for pattern in ["src=", "href=\"http", "href=\"//", "@import", "url("] {
            #expect(!html.contains(pattern), "the page refers to something outside: \(pattern)")
        }
        #expect(html.contains("<style>") && html.contains("<script>"))
    }

    @Test func theSummaryAndEachTestShowVerdictReasonFactsAndLog() {
        let html = Self.page(Fixtures.results)
        #expect(html.contains("4 tests"))
        for label in ["1 passed", "1 failed", "1 timeout", "1 skipped"] { #expect(html.contains(label), "no count \(label)") }
        #expect(html.contains("target <b>http://localhost:8081</b>") && html.contains("transport <b>REST</b>") && html.contains("shard <b>2/3</b>"))
        #expect(html.contains("<pre class=\"reason\">job job-2 ended with failed while succeeded was expected next</pre>"))
        #expect(html.contains("<pre class=\"reason\">timed out after 1s</pre>"))
        #expect(html.contains("<dt>job set</dt><dd>single_pod_retry-abc</dd>"))
        #expect(html.contains("<dt>retry policies</dt><dd>p-abc</dd>"))
        #expect(html.contains("created retry policy p-abc"))
        // The failed test's jobs and log are open; the passing test's jobs are folded.
        #expect(html.contains("<section class=\"test s-failed\" id=\"t1\""))
        let failed = Self.section(html, "t1"), passed = Self.section(html, "t0")
        #expect(failed.contains("<details class=\"jobs\" open>"))
        #expect(passed.contains("<details class=\"jobs\"><summary>Jobs (1)</summary>"))
        #expect(html.contains("<th>transition</th>") && html.contains("leased→running"))
    }

    @Test func aJobShowsEveryRunWithPodNodeExitCodeAndTheDecisionsBetween() {
        let job = JobHistories.timeline(JobHistories.events(jobId: "job-7", runs: [
            .retried(exit: 1), .terminal(exit: 2, reason: "Retry policy: policy retry limit exceeded (1/1)"),
        ]))
        let html = Self.page([TestResult(name: "t", file: "t.yaml", outcome: .failed("no"), jobs: [job])])
        let block = Self.between(html, "<div class=\"job\" id=\"t0-j0\"", "</div>\n")
        #expect(block.contains("<span class=\"lbl\">queue</span>"))
        #expect(block.contains("<span class=\"lbl\">run 0</span>") && block.contains("<span class=\"lbl\">run 1</span>"))
        #expect(block.contains("pod <code>armada-job-7-0-0</code>") && block.contains("pod <code>armada-job-7-0-1</code>"))
        #expect(block.contains("node node-1") && block.contains("node node-2"))
        #expect(block.contains("exit 1") && block.contains("exit 2"))
        #expect(block.contains("<div class=\"decision retried\">↻ retried · user_error: "))
        #expect(block.contains("<div class=\"decision not-retried\">✕ not retried · user_error: "))
        #expect(block.contains("Retry policy: policy retry limit exceeded (1/1)"))
        for phase in ["leased", "pending", "running"] { #expect(block.contains("class=\"c-\(phase)\""), "no \(phase) segment") }
        #expect(block.contains("class=\"end c-retried\"") && block.contains("class=\"end c-failed\""))
        // Runs sit on the job's own axis (4.5 s, an event every 0.5 s): run 0 is leased at +1 s.
        #expect(block.contains("<i class=\"c-leased\" style=\"left:22.222%;width:11.111%\""))
        #expect(block.contains("2 runs · 10 events · 4.500 s"))
    }

    @Test func textFromOutsideIsEscapedAndCredentialsRedacted() {
        Redaction.register("s3cr3t-t0ken-html")
        let evil = "<script>alert(1)</script> & \"quotes\" \u{1B}[31mred\u{1B}[0m s3cr3t-t0ken-html"
        var job = JobHistories.timeline(JobHistories.events(jobId: "job-<b>", runs: [.terminal(exit: 1, reason: evil)]))
        job.jobId = "job-<b>\"x"
        let result = TestResult(name: "name <img src=x onerror=alert(1)>", file: "a.yaml", outcome: .failed(evil), log: [evil], jobs: [job])
        let html = Self.page([result])
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<b>\"x"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; "))
        #expect(html.contains("data-job=\"job-&lt;b&gt;&quot;x\""))
        #expect(!html.contains("s3cr3t-t0ken-html"))
        #expect(html.contains(Redaction.replacement))
        #expect(!html.contains("\u{1B}"))
    }

    @Test func aHugeTestDrawsTheJobsThatDidNotSucceedFirstAndSaysWhatItLeftOut() {
        let result = JobHistories.result(jobs: 50)
        let html = Self.page([result], jobsPerTest: 8)
        let drawn = html.components(separatedBy: "<div class=\"job\"").count - 1
        #expect(drawn == 8)
        // Jobs 9, 19, 29, 39 and 49 failed for good: all five are drawn, then the first succeeded ones.
        for i in [9, 19, 29, 39, 49] { #expect(html.contains("data-job=\"job-\(i)\""), "job-\(i) not drawn") }
        for i in [0, 1, 2] { #expect(html.contains("data-job=\"job-\(i)\"")) }
        #expect(!html.contains("data-job=\"job-3\""))
        #expect(html.contains("42 more jobs not drawn here"))
        // The page budget stops drawing across tests, never in the middle of a job.
        let two = Self.page([result, JobHistories.result(jobs: 20, name: "second")], jobsPerTest: 40, jobsPerPage: 45)
        #expect(two.components(separatedBy: "<div class=\"job\"").count - 1 == 45)
        #expect(two.contains("15 more jobs not drawn here"))
    }

    @Test func writingGoesThroughRunReportsAndAnUnwritablePathIsRefusedBeforeTheRun() throws {
        let dir = NSTemporaryDirectory() + "html-\(UUID().uuidString)"
        let reports = RunReports(htmlPath: dir + "/sub/report.html")
        #expect(reports.prepare().isEmpty)
        #expect(reports.writeFiles(Fixtures.results, run: Self.run).isEmpty)
        let text = try String(contentsOfFile: dir + "/sub/report.html", encoding: .utf8)
        #expect(text.contains("single-pod-retry"))
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        let bad = RunReports(htmlPath: dir + "/file/report.html").prepare()
        #expect(bad.count == 1 && bad[0].contains("cannot write the HTML report"))
        try? FileManager.default.removeItem(atPath: dir)
    }

    static func section(_ html: String, _ id: String) -> String { between(html, "<section class=\"test", "</section>", containing: "id=\"\(id)\"") }

    /// The first piece of `html` from `start` to `end` (that contains `containing`).
    static func between(_ html: String, _ start: String, _ end: String, containing: String = "") -> String {
        var rest = Substring(html)
        while let s = rest.range(of: start) {
            let tail = rest[s.lowerBound...]
            guard let e = tail.range(of: end) else { return "" }
            let piece = String(tail[..<e.upperBound])
            if containing.isEmpty || piece.contains(containing) { return piece }
            rest = tail[e.upperBound...]
        }
        return ""
    }
}
