/// Floor, ceiling and round-half-away-from-zero without libm.
///
/// `Double.rounded(_:)` calls libm's `floor` / `ceil` / `round` on x86-64 without SSE4.1, and a
/// target that imports only the standard library is not linked against libm on Linux. These go
/// through `Int` truncation instead. Values with `|x| >= 2^52` are already integers (or not
/// finite) and are returned unchanged.
enum Rounding {
    /// The largest integer <= `x`.
    static func floor(_ x: Double) -> Double {
        guard abs(x) < 4_503_599_627_370_496 else { return x }
        let t = Double(Int(x))
        return t > x ? t - 1 : t
    }

    /// The smallest integer >= `x`.
    static func ceil(_ x: Double) -> Double {
        guard abs(x) < 4_503_599_627_370_496 else { return x }
        let t = Double(Int(x))
        return t < x ? t + 1 : t
    }

    /// The nearest integer to `x`, halves rounded away from zero.
    static func round(_ x: Double) -> Double {
        guard abs(x) < 4_503_599_627_370_496 else { return x }
        return x < 0 ? -floor(-x + 0.5) : floor(x + 0.5)
    }
}
