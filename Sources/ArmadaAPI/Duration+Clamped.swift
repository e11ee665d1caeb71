extension Duration {
    /// The longest wait anything here schedules: 100 years. Longer (or infinite) values from
    /// outside are capped to it instead of trapping when converted to nanoseconds.
    public static let longest = Duration.seconds(100 * 365 * 86_400)

    /// `seconds` as a duration without ever trapping: NaN and negative values are zero, values
    /// past `longest` are `longest`.
    public static func clamped(seconds: Double) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        guard seconds < 100 * 365 * 86_400 else { return longest }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
