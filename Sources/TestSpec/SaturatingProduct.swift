/// Products of counts from test cases (`jobs × batchSize × numBatches`): two `uint32` values
/// already overflow `Int`, so they saturate at `Int.max` instead of trapping.
public enum SaturatingProduct {
    public static func of(_ factors: Int...) -> Int {
        var product = 1
        for factor in factors {
            let (value, overflow) = product.multipliedReportingOverflow(by: factor)
            if overflow { return (factor < 0) != (product < 0) ? Int.min : Int.max }
            product = value
        }
        return product
    }
}
