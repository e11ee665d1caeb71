import ArmadaAPI
import Testing

@Suite struct EventTypeTests {
    @Test func acceptsCamelAndSnakeNames() {
        #expect(EventType(name: "leaseReturned") == .leaseReturned)
        #expect(EventType(name: "lease_returned") == .leaseReturned)
        #expect(EventType(name: "ingress_info") == .ingressInfo)
        #expect(EventType(name: "submitted") == .submitted)
        #expect(EventType(name: "Submitted") == nil)
        #expect(EventType(name: "duplicateFound") == nil)
    }

    @Test func namesAndFieldNumbersFollowTheProto() {
        #expect(EventType.leaseExpired.protoName == "lease_expired")
        #expect(EventType.ingressInfo.displayName == "IngressInfo")
        #expect(EventType.failed.fieldNumber == 9)
        #expect(EventType.preempting.fieldNumber == 22)
        #expect(Set(EventType.allCases.map(\.fieldNumber)).count == EventType.allCases.count)
    }

    @Test func protoEnumsByNameOrNumber() {
        #expect(JobState(name: "RUNNING") == .running)
        #expect(JobState(name: "2") == .running)
        #expect(JobState(name: "running") == nil)
        #expect(ServiceType(name: "Headless") == .headless)
    }
}
