@testable import Runner
import Testing

@Suite struct CleanupLedgerTests {
    @Test func onlyARealTargetIsToldToDeleteByHand() {
        let ledger = CleanupLedger()
        #expect(ledger.leftBehindWarning(embedded: false) == nil)
        _ = ledger.add("queue q-abc")
        _ = ledger.add("retry policy p-abc")
        #expect(ledger.leftBehindWarning(embedded: false) == "could not clean up (delete by hand): queue q-abc, retry policy p-abc")
        #expect(ledger.secondInterruptNotice(embedded: false)
            == "second interrupt: exiting now; left behind (delete by hand):\n  queue q-abc\n  retry policy p-abc")
        // The embedded simulator ends with the process: nothing can be left behind.
        #expect(ledger.leftBehindWarning(embedded: true) == nil)
        #expect(ledger.secondInterruptNotice(embedded: true)
            == "second interrupt: exiting now, nothing left behind (the embedded simulator ends with this process)")
        #expect(!ledger.secondInterruptNotice(embedded: true).contains("by hand"))
    }
}
