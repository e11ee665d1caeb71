import ArmadaAPI
import Foundation
import Runner

/// The HTML report (`--html`): one self-contained page (its style and script inline, nothing
/// fetched — a Content-Security-Policy forbids it) to read a run offline: the summary, then per
/// test its verdict and reason, facts, latencies, a timeline per job (`HTMLJobTimeline`) and the
/// test's log. Tests that did not pass show their jobs open; passing ones keep them folded. A
/// test draws at most `jobsPerTest` jobs and the page `jobsPerPage` (those that did not succeed
/// first), and says how many it left out; the JSON report keeps every job.
public struct HTMLReport: Sendable {
    public var results: [TestResult]
    public var run: RunReports.Run
    public var jobsPerTest: Int
    public var jobsPerPage: Int

    public init(results: [TestResult], run: RunReports.Run, jobsPerTest: Int = 1_000, jobsPerPage: Int = 10_000) {
        self.results = results
        self.run = run
        self.jobsPerTest = jobsPerTest
        self.jobsPerPage = jobsPerPage
    }

    /// The page, credentials redacted (`Redaction`).
    public func render() -> String { Redaction.apply(unredacted()) }

    public func write(to path: String) throws {
        try render().write(toFile: path, atomically: true, encoding: .utf8)
    }

    func unredacted() -> String {
        var out = ""
        out.reserveCapacity(4_096 + results.reduce(0) { $0 + $1.jobs.count } * 2_048)
        let counts = TestResult.Status.allCases.map { s in (s, results.count(where: { $0.status == s })) }.filter { $0.1 > 0 }
        let headline = counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
        out += """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
        <meta name="generator" content="armada-testsuite \(Markup.text(run.version))">
        <title>\(Markup.text("armada-testsuite: \(headline.isEmpty ? "no tests" : headline) · \(run.target)"))</title>
        <style>\(HTMLAssets.style)</style>
        </head><body>

        """
        header(counts: counts, into: &out)
        summaryTable(into: &out)
        out += "<main>\n"
        var budget = jobsPerPage
        for (i, r) in results.enumerated() { test(r, index: i, budget: &budget, into: &out) }
        out += "</main>\n<footer>armada-testsuite \(Markup.text(run.version)) · report written \(Markup.text(JSONReport.time(Date())))</footer>\n"
        out += "<script>\(HTMLAssets.script)</script>\n</body></html>\n"
        return out
    }

    private func header(counts: [(TestResult.Status, Int)], into out: inout String) {
        out += "<header><h1>armada-testsuite report <span class=\"muted\">\(Markup.text(run.name))</span></h1>"
        var facts = ["target <b>\(Markup.text(run.target))</b>"]
        if !run.transport.isEmpty { facts.append("transport <b>\(Markup.text(run.transport))</b>") }
        if !run.shard.isEmpty { facts.append("shard <b>\(Markup.text(run.shard))</b>") }
        facts.append("started <b>\(Markup.text(JSONReport.time(run.started)))</b>")
        facts.append("took <b>\(Markup.text(run.elapsed.short))</b>")
        facts.append("armada-testsuite \(Markup.text(run.version))")
        out += "<p class=\"facts\">\(facts.joined(separator: " · "))</p><div class=\"counts\">"
        out += "<span class=\"badge\">\(results.count) test\(results.count == 1 ? "" : "s")</span>"
        for (status, n) in counts { out += "<span class=\"badge s-\(status.rawValue)\">\(n) \(status.rawValue)</span>" }
        out += "</div><div class=\"controls\"><input id=\"filter\" type=\"search\" placeholder=\"filter by test name or job id\" aria-label=\"filter\">"
        out += "<label><input id=\"only-bad\" type=\"checkbox\"> only tests that did not pass</label>"
        out += "<button id=\"expand\" type=\"button\">open every job list</button><button id=\"collapse\" type=\"button\">fold every job list</button></div>"
        let bench = BenchmarkReport(results: results)
        if !bench.isEmpty { out += "<h3>Latencies over the run</h3>"; latencies(bench, into: &out) }
        out += "</header>\n"
    }

    private func summaryTable(into out: inout String) {
        guard !results.isEmpty else {
            out += "<div class=\"pad\"><p>No tests ran.</p></div>\n"
            return
        }
        out += "<div class=\"pad\"><table class=\"summary\"><thead><tr><th>verdict</th><th>test</th><th>file</th><th class=\"num\">duration</th>"
        out += "<th class=\"num\">jobs</th><th>reason</th></tr></thead><tbody>\n"
        for (i, r) in results.enumerated() {
            out += "<tr class=\"s-\(r.status.rawValue)\" data-test=\"t\(i)\"><td><span class=\"badge\">\(Markup.text(r.status.label))</span></td>"
            out += "<td><a href=\"#t\(i)\">\(Markup.text(r.name))</a></td><td><code>\(Markup.text(r.file))</code></td>"
            out += "<td class=\"num\">\(Markup.text(r.duration.short))</td><td class=\"num\">\(r.jobs.count)</td>"
            out += "<td class=\"why\">\(Markup.text(OneLine.fold(Self.reason(r), limit: 240)))</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
    }

    /// The verdict's reason; for a flaky test, that it passed on a retry.
    static func reason(_ r: TestResult) -> String {
        if r.status == .flaky { return "passed on attempt \(r.earlierAttempts.count + 1); earlier: " + (r.earlierAttempts.last?.message ?? "") }
        return r.outcome.message
    }

    private func test(_ r: TestResult, index: Int, budget: inout Int, into out: inout String) {
        let id = "t\(index)"
        out += "<section class=\"test s-\(r.status.rawValue)\" id=\"\(id)\" data-status=\"\(r.status.rawValue)\" data-name=\(Markup.attr(r.name))>"
        out += "<h2><span class=\"badge\">\(Markup.text(r.status.label))</span>\(Markup.text(r.name))</h2>"
        let reason = Self.reason(r)
        if !reason.isEmpty { out += "<pre class=\"reason\">\(Markup.text(reason))</pre>" }
        var facts: [(String, String)] = [("file", "<code>\(Markup.text(r.file))</code>")]
        if !r.queue.isEmpty { facts.append(("queue", Markup.text(r.queue))) }
        if !r.jobSetId.isEmpty { facts.append(("job set", Markup.text(r.jobSetId))) }
        if !r.policies.isEmpty { facts.append(("retry policies", Markup.text(r.policies.joined(separator: ", ")))) }
        facts.append(("started", Markup.text(JSONReport.time(r.started))))
        facts.append(("duration", Markup.text(r.duration.short)))
        facts.append(("events received", "\(r.eventsReceived)" + (r.reconnects > 0 ? " (stream reconnected \(r.reconnects)×)" : "")))
        if !r.kept.isEmpty { facts.append(("kept (--keep-on-failure)", Markup.text(r.kept.joined(separator: "; ")))) }
        out += "<dl class=\"kv\">" + facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
        list("Earlier attempts", r.earlierAttempts.enumerated().map { i, a in
            "attempt \(i + 1): \(a.status.label) after \(a.duration.short), job set \(a.jobSetId): \(a.message)"
        }, into: &out)
        list("Warnings", r.warnings, into: &out)
        list("Notes", r.runNotes, into: &out)
        let bench = BenchmarkReport(latencies: r.latencies)
        if !bench.isEmpty {
            out += "<h3>Latencies</h3>"
            latencies(bench, into: &out)
        }
        jobs(r, test: id, budget: &budget, into: &out)
        if !r.log.isEmpty {
            out += "<details class=\"log\"\(r.passed ? "" : " open")><summary>Log (\(r.log.count) line\(r.log.count == 1 ? "" : "s"))</summary>"
            out += "<pre>\(Markup.text(r.log.joined(separator: "\n")))</pre></details>"
        }
        out += "</section>\n"
    }

    private func jobs(_ r: TestResult, test: String, budget: inout Int, into out: inout String) {
        guard !r.jobs.isEmpty else { return }
        let allowed = max(0, min(jobsPerTest, budget))
        let shown = Self.pick(r.jobs, limit: allowed)
        budget -= shown.count
        out += "<details class=\"jobs\"\(r.passed ? "" : " open")><summary>Jobs (\(r.jobs.count))</summary><div class=\"legend\">"
        for (name, _) in HTMLAssets.colors { out += "<span><i class=\"c-\(name)\"></i>\(name)</span>" }
        out += "</div>"
        for i in shown { HTMLJobTimeline(job: r.jobs[i], anchor: "\(test)-j\(i)").render(into: &out) }
        if shown.count < r.jobs.count {
            out += "<p class=\"more\">\(r.jobs.count - shown.count) more jobs not drawn here (at most \(jobsPerTest) per test and "
                + "\(jobsPerPage) per page, those that did not succeed first); the JSON report (--json) has every job's events.</p>"
        }
        out += "</details>"
    }

    /// The indices of the jobs to draw, in submission order: those that did not succeed first,
    /// then the others, `limit` at most.
    static func pick(_ jobs: [JobTimeline], limit: Int) -> [Int] {
        guard jobs.count > limit else { return Array(jobs.indices) }
        let succeeded = { (j: JobTimeline) in j.events.last(where: { HTMLJobTimeline.endings.contains($0.type) })?.type == "succeeded" }
        let first = jobs.indices.filter { !succeeded(jobs[$0]) }.prefix(limit)
        let rest = jobs.indices.filter { succeeded(jobs[$0]) }.prefix(limit - first.count)
        return (Array(first) + Array(rest)).sorted()
    }

    private func list(_ title: String, _ lines: [String], into out: inout String) {
        guard !lines.isEmpty else { return }
        out += "<h3>\(title)</h3><ul>" + lines.map { "<li>\(Markup.text($0))</li>" }.joined() + "</ul>"
    }

    private func latencies(_ bench: BenchmarkReport, into out: inout String) {
        out += "<table class=\"latencies\"><thead><tr><th>transition</th>"
            + ["n", "min", "mean", "p50", "p90", "p99", "max"].map { "<th class=\"num\">\($0)</th>" }.joined() + "</tr></thead><tbody>"
        for (t, s) in bench.transitions {
            let cells = [s.min, s.mean, s.p50, s.p90, s.p99, s.max].map { "<td class=\"num\">\(Duration.clamped(seconds: $0).short)</td>" }
            out += "<tr><td>\(Markup.text(t.rawValue))</td><td class=\"num\">\(s.count)</td>\(cells.joined())</tr>"
        }
        out += "</tbody></table>"
    }
}
