import Foundation
@testable import ArmadaSim
import Testing

@Suite struct UUIDGeneratorTests {
    @Test func versionFourLowerCaseAndDistinct() throws {
        var generator = UUIDGenerator()
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = generator.next()
            #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil, "\(id)")
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
        var a = UUIDGenerator(seed: 7), b = UUIDGenerator(seed: 7)
        #expect(a.next() == b.next())
    }
}
