import ArmadaAPI
import Testing

@Suite struct ResourceQuantityTests {
    @Test(arguments: [
        ("100m", 0.1), ("25Mi", 26_214_400.0), ("1.5Gi", 1_610_612_736.0), ("1Ti", 1_099_511_627_776.0),
        ("2", 2.0), ("1k", 1000.0), ("1e3", 1000.0), ("512Mi", 536_870_912.0), ("  1Gi ", 1_073_741_824.0), ("1E", 1e18),
    ])
    func parsesKubernetesQuantities(text: String, value: Double) throws {
        let q = try #require(ResourceQuantity(text))
        #expect(abs(q.value - value) < 1e-9 * max(1, value))
    }

    @Test(arguments: ["", "Mi", "abc", "1.2.3Gi", "1e3Mi", "12 Mi"])
    func rejectsNonQuantities(text: String) {
        #expect(ResourceQuantity(text) == nil)
    }
}
