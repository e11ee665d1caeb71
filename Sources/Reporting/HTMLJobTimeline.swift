import Foundation
import Runner

/// One job of the HTML report: its id, how it ended and its event chain, then a timeline on the
/// job's own time axis — a queue row (submitted until the first lease), one row per run (leased →
/// pending → running → its ending, with the pod, node and exit code) and, between runs, what
/// Armada decided (retried, not retried, lease returned) and why.
struct HTMLJobTimeline {
    var job: JobTimeline
    /// The element id (`t3-j12`), for links.
    var anchor: String

    func render(into out: inout String) {
        let spans = job.runSpans
        let times = job.events.map(\.time)
        let start = times.min() ?? Date(timeIntervalSince1970: 0)
        let span = max((times.max() ?? start).timeIntervalSince(start), 0.001)
        let axis = Axis(start: start, length: span)
        let ending = job.events.last(where: { Self.endings.contains($0.type) })
        out += "<div class=\"job\" id=\"\(anchor)\" data-job=\(Markup.attr(job.jobId))>"
        out += "<div class=\"jh\"><code>\(Markup.text(job.jobId))</code>"
        if let ending {
            out += " <span class=\"badge\" style=\"background:var(--\(Self.color(of: ending)))\">\(Markup.text(ending.label))</span>"
        } else {
            out += " <span class=\"badge\">no ending seen</span>"
        }
        let runs = job.runs == 1 ? "1 run" : "\(job.runs) runs"
        out += " <span class=\"muted\">\(runs) · \(job.tally.total) events · \(Self.offset(span))</span></div>"
        out += "<div class=\"chain\">\(Markup.text(job.chain))</div>"
        out += "<div class=\"axis\"><span></span><span><span>0 s</span><span>\(Self.offset(span))</span></span>"
        out += "<span>first event \(JobRecordNotes.clock(start))</span></div>"
        queueRow(spans: spans, axis: axis, into: &out)
        for s in spans {
            if s.elidedBefore > 0 {
                out += "<div class=\"gap\">… \(s.elidedBefore) events not kept here (a long history keeps its first and last events; "
                    + "the tally above counts them all)</div>"
            }
            runRow(s, axis: axis, into: &out)
            decision(s, into: &out)
        }
        out += "</div>\n"
    }

    /// The job's time axis: a time's place on it in percent, clamped (clocks can disagree).
    struct Axis {
        var start: Date
        var length: TimeInterval

        func percent(_ date: Date) -> Double { min(max(date.timeIntervalSince(start) / length * 100, 0), 100) }

        func offset(_ date: Date) -> String { HTMLJobTimeline.offset(date.timeIntervalSince(start)) }
    }

    /// Submitted (or queued) until the first lease, when the job waited in the queue.
    private func queueRow(spans: [RunSpan], axis: Axis, into out: inout String) {
        guard let queued = job.events.first(where: { $0.type == "submitted" || $0.type == "queued" })?.time else { return }
        let leased = spans.first?.start ?? job.events.last?.time ?? queued
        out += "<div class=\"row\"><span class=\"lbl\">queue</span><div class=\"track\">"
        segment("queued", from: queued, to: leased, axis: axis, title: "queued \(Self.offset(leased.timeIntervalSince(queued)))", into: &out)
        out += "</div><span class=\"meta\">submitted \(JobRecordNotes.clock(queued)) · waited \(Self.offset(leased.timeIntervalSince(queued)))</span></div>"
    }

    private func runRow(_ s: RunSpan, axis: Axis, into out: inout String) {
        let label = s.index.map { "run \($0)" } ?? (s.leased == nil && s.elidedBefore == 0 ? "no run" : "run ?")
        out += "<div class=\"row\"><span class=\"lbl\">\(label)</span><div class=\"track\">"
        let last = job.events.last?.time ?? axis.start
        let phases: [(String, Date?)] = [("leased", s.leased), ("pending", s.pending), ("running", s.running)]
        let present = phases.compactMap { name, date in date.map { (name, $0) } }
        for (i, (name, date)) in present.enumerated() {
            let next = i + 1 < present.count ? present[i + 1].1 : (s.end?.time ?? (s.cut ? date : last))
            segment(name, from: date, to: next, axis: axis, title: "\(name) at \(axis.offset(date)) (\(JobRecordNotes.clock(date)))", into: &out)
        }
        var markers = [s.end].compactMap { $0 }
        if let failure = s.failure, failure != s.end { markers.append(failure) }
        for ending in markers {
            let title = "\(ending.label) at \(axis.offset(ending.time)) (\(JobRecordNotes.clock(ending.time)))"
            out += "<i class=\"end c-\(Self.color(of: ending))\" style=\"left:calc(\(Self.percent(axis.percent(ending.time)))% - 2px)\" "
                + "title=\(Markup.attr(title))></i>"
        }
        out += "</div><span class=\"meta\">"
        var facts: [String] = []
        if let outcome = s.outcome {
            facts.append("<b>\(Markup.text(outcome))</b> at \(axis.offset(s.finish ?? axis.start))")
        } else {
            facts.append(s.cut ? "<i>its ending was not kept</i>" : "<i>no ending when the events stopped</i>")
        }
        if let failure = s.failure, failure != s.end { facts.append("then <b>\(Markup.text(failure.label))</b>") }
        if let code = s.failure?.exitCode { facts.append("exit \(code)") }
        if let pod = s.podName { facts.append("pod <code>\(Markup.text(pod))</code>") }
        if let node = s.node { facts.append("node \(Markup.text(node))") }
        out += facts.joined(separator: " · ") + "</span></div>"
    }

    /// What Armada decided after the run, with the failure's category and reason.
    private func decision(_ s: RunSpan, into out: inout String) {
        let (css, text): (String, String)
        switch s.decision {
        case .retried: (css, text) = ("retried", "↻ retried")
        case .notRetried: (css, text) = ("not-retried", "✕ not retried")
        case .returned: (css, text) = ("returned", "⟲ lease returned: the job is scheduled again")
        case .none: return
        }
        let why = s.failure ?? s.end
        var parts = [text]
        let category = [why?.category, why?.subcategory].compactMap { $0 }.joined(separator: "/")
        if !category.isEmpty { parts.append(Markup.text(category)) }
        var line = parts.joined(separator: " · ")
        if let reason = why?.reason, !reason.isEmpty {
            line += ": <span title=\(Markup.attr(reason))>\(Markup.text(OneLine.fold(reason, limit: 400)))</span>"
        }
        out += "<div class=\"decision \(css)\">\(line)</div>"
    }

    private func segment(_ phase: String, from: Date, to: Date, axis: Axis, title: String, into out: inout String) {
        let left = axis.percent(from), width = max(axis.percent(to) - left, 0)
        out += "<i class=\"c-\(phase)\" style=\"left:\(Self.percent(left))%;width:\(Self.percent(width))%\" title=\(Markup.attr(title))></i>"
    }

    static let endings: Set<String> = ["succeeded", "failed", "cancelled", "preempted", "leaseReturned", "leaseExpired"]

    /// The colour name of an ending (see `HTMLAssets.colors`).
    static func color(of ending: TimelineEntry) -> String {
        switch ending.type {
        case "succeeded": "succeeded"
        case "failed": ending.retryable == true ? "retried" : "failed"
        case "preempted", "leaseReturned", "leaseExpired": "returned"
        default: "cancelled"
        }
    }

    /// `+1.234 s`-style offsets: milliseconds below a minute, then seconds.
    static func offset(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, abs(seconds) < 1e9 else { return "?" }
        return abs(seconds) < 60 ? String(format: "%.3f s", seconds) : String(format: "%.1f s", seconds)
    }

    static func percent(_ value: Double) -> String { String(format: "%.3f", value) }
}
