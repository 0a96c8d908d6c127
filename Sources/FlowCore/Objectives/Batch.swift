/// The per-step buffers every objective fills: noise x0, data x1, times, the interpolant
/// x_t = (1 - t) x0 + t x1, step sizes d, the regression target and dL/dy. All [B, 2] or [B].
public final class Batch {
    /// B, the number of rows.
    public let size: Int
    /// Noise x0 ~ N(0, I), [B, 2].
    public let x0: FloatBuffer
    /// Data points x1, [B, 2].
    public let x1: FloatBuffer
    /// The time of each row, [B].
    public let t: FloatBuffer
    /// The step size of each row, [B] (read only by step-conditioned networks).
    public let d: FloatBuffer
    /// The network input x_t = (1 - t) x0 + t x1, [B, 2].
    public let xt: FloatBuffer
    /// The regression target of each row, [B, 2].
    public let target: FloatBuffer
    /// dL/dy, the gradient of the loss with respect to the network output, [B, 2].
    public let outputGradient: FloatBuffer

    /// Zeroed buffers for `size` rows.
    public init(size: Int) {
        self.size = size
        x0 = FloatBuffer(2 * size)
        x1 = FloatBuffer(2 * size)
        t = FloatBuffer(size)
        d = FloatBuffer(size)
        xt = FloatBuffer(2 * size)
        target = FloatBuffer(2 * size)
        outputGradient = FloatBuffer(2 * size)
    }

    /// Draws x1 from the data and x0 from N(0, I).
    public func drawEndpoints(_ dataset: Dataset, rng: inout SplitMix64) {
        dataset.sample(count: size, rng: &rng, into: x1.p)
        for i in 0..<(2 * size) { x0.p[i] = rng.gaussian() }
    }

    /// Re-pairs the data rows of `rows` with their noise rows by `pairing` (minibatch OT); nil
    /// keeps the independent pairs.
    public func couple(_ pairing: OptimalPairing?, rows: Range<Int>) {
        pairing?.pair(x0: x0.p + 2 * rows.lowerBound, x1: x1.p + 2 * rows.lowerBound, rows: rows.count)
    }

    /// x_t = (1 - t) x0 + t x1 for every row, with the times in `times`, into `out`.
    public func interpolate(times: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<size {
            let s = times[r]
            out[2 * r] = (1 - s) * x0.p[2 * r] + s * x1.p[2 * r]
            out[2 * r + 1] = (1 - s) * x0.p[2 * r + 1] + s * x1.p[2 * r + 1]
        }
    }

    /// The squared error over rows `range` and both coordinates between y and the target, summed,
    /// and its gradient dL/dy with L the mean over ALL rows of the batch (written for `range`).
    /// `y` holds the outputs of the rows of `range` only: y[0] belongs to row `range.lowerBound`.
    public func squaredErrorSum(_ y: UnsafePointer<Float>, rows range: Range<Int>) -> Float {
        let scale = 2 / Float(2 * size)
        let first = 2 * range.lowerBound
        var total: Float = 0
        for i in first..<(2 * range.upperBound) {
            let diff = y[i - first] - target.p[i]
            total += diff * diff
            outputGradient.p[i] = scale * diff
        }
        return total
    }

    /// The mean of a sum over `rows` rows of two coordinates: `sum / (2 rows)`, 0 for no rows.
    public static func mean(_ sum: Float, rows: Int) -> Float {
        rows > 0 ? sum / Float(2 * rows) : 0
    }
}
