/// The self-consistency error (README, "Decisions"; the consistency view): how far one jump to the end from x_t
/// (`VelocityField.jumpToEnd`: f(x_t, t) for a consistency model, x_t + (1 - t) u(x_t, t, 1 - t)
/// for a network that jumps over intervals, one Euler step for a velocity) lands from the end x_1
/// of the true path through x_t: the mean |jump(x_t, t) - x_1| over paths and times. A perfect
/// consistency model sends every point of a path to its end, error 0.
///
/// The paths that define the number `eval --truth` and the UI print are the exact flow's
/// (``GroundTruth/selfConsistency(_:)``); this type measures along any given paths.
public enum SelfConsistency {
    /// The error of a model's jumps to the end along a set of trajectories, overall and per time.
    public struct Result: Sendable {
        /// Mean |jump(x_t, t) - x_1| over trajectories and times.
        public var error: Double
        /// The same mean at each time t_i, from noise (t = 0) towards data.
        public var errorAtTime: [Double]
        /// The states x_t [trajectories, 2] at each time t_i.
        public var states: [[Float]]
        /// Their jumps to the end (f(x_t, t) for a consistency model) [trajectories, 2] at each time t_i.
        public var images: [[Float]]
    }

    /// Along given trajectories: `frames` are the states from t = 0 to t = 1 in equal steps (as
    /// `Sampler.run(trajectory: true)` returns them); their count minus one must be a multiple of
    /// `points`.
    public static func evaluate(model: some VelocityField, frames: [[Float]], points: Int) -> Result {
        let steps = frames.count - 1
        precondition(steps >= points && steps % points == 0)
        let end = frames[steps]
        let rows = end.count / 2
        var result = Result(error: 0, errorAtTime: [], states: [], images: [])
        for i in 0..<points {
            let t = Float(i) / Float(points)
            let xt = frames[i * steps / points]
            var f = [Float](repeating: 0, count: xt.count)
            model.jumpToEnd(xt, t: t, rows: rows, into: &f)
            result.errorAtTime.append(meanDistance(f, end))
            result.states.append(xt)
            result.images.append(f)
        }
        result.error = result.errorAtTime.reduce(0, +) / Double(points)
        return result
    }
}

/// The mean Euclidean distance between the rows of two [N, 2] sets (0 for none).
func meanDistance(_ a: [Float], _ b: [Float]) -> Double {
    let rows = min(a.count, b.count) / 2
    guard rows > 0 else { return 0 }
    var total = 0.0
    for r in 0..<rows {
        let dx = Double(a[2 * r] - b[2 * r])
        let dy = Double(a[2 * r + 1] - b[2 * r + 1])
        total += (dx * dx + dy * dy).squareRoot()
    }
    return total / Double(rows)
}
