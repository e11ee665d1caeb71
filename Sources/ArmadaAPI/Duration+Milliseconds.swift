import Foundation

extension Duration {
    /// Milliseconds for a log line: one decimal below 10 ms (`9.5`), whole above (`12`).
    public var millisecondsText: String {
        let ms = self / .milliseconds(1)
        return ms < 10 ? String(format: "%.1f", ms) : String(format: "%.0f", ms)
    }
}
