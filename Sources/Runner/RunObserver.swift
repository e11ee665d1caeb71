import TestSpec

/// Receives a suite's progress as it happens (the console implements it). Calls come from many
/// tasks at once; `eventReceived` is called for every watched event, so it must be cheap.
public protocol RunObserver: Sendable {
    func testStarted(_ test: TestCase, index: Int)
    func eventReceived(index: Int)
    func testFinished(_ result: TestResult, index: Int)
}
