import ArmadaAPI
@testable import Runner
import Testing

@Suite struct PodNameRunTests {
    @Test func runIndicesAreReadFromArmadaPodNamesOnly() {
        let j = "01hxyz"
        #expect(JobTimeline.isArmadaPodName("armada-01hxyz-0-3", jobId: j, run: 3))
        #expect(JobTimeline.isArmadaPodName("armada-01hxyz-0-12", jobId: j, run: 12))
        for name in ["armada-01hxyz-0-03", "armada-01hxyz-0-+3", "armada-01hxyz-0", "armada-01hxy-0-3", "armada-01hxyz-1-3", "", "armada-01hxyz-0-3x",
                     "armada-01hxyz-0-\u{301}3", "Armada-01hxyz-0-3"] {
            #expect(!JobTimeline.isArmadaPodName(name, jobId: j, run: 3), "\(name)")
        }
        func index(_ podName: String, leases: Int = 0) -> Int? {
            var e = EventMessage(.failed, jobId: j)
            e.podName = podName
            return EventCheck.runIndex(of: e, leases: leases)
        }
        #expect(index("armada-01hxyz-0-4") == 4)
        #expect(index("armada-01hxyz-0-04") == 4) // lenient, as before
        #expect(index("armada-01hxyz-0", leases: 2) == 1)
        #expect(index("armada-01hxyz-0--1", leases: 0) == nil)
        #expect(index("pod-日本-0-1", leases: 3) == 2)
    }
}
