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
    /// Under OT coupling: the pairing and the rows it re-pairs (``Objective/coupledRows(batchSize:)``);
    /// nil keeps the independent pairs.
    let coupling: (pairing: OptimalPairing, rows: Range<Int>)?
    /// The next step's noise and data, drawn ahead under OT coupling so that their pairing can
    /// run beside this step's network work (``pairNext()``).
    let nextX0: FloatBuffer
    let nextX1: FloatBuffer
    /// What is waiting in `nextX0` and `nextX1`.
    private var next = Next.none
    /// Under reflow: the pool the pairs (x0, x1) come from instead of independent noise and data.
    let reflow: ReflowPairs?

    private enum Next {
        case none, drawn, paired
    }

    /// Zeroed buffers for `size` rows; with `coupledRows`, the data of those rows are re-paired
    /// with their noise by minibatch OT (``OptimalPairing``); with `reflow`, every (x0, x1) pair
    /// is drawn from that pool (reflow, Liu et al. 2022) instead of from the noise and the data.
    public init(size: Int, coupledRows: Range<Int>? = nil, reflow: ReflowPairs? = nil) {
        precondition(reflow == nil || coupledRows == nil, "reflow pairs are not re-paired")
        self.reflow = reflow
        self.size = size
        x0 = FloatBuffer(2 * size)
        x1 = FloatBuffer(2 * size)
        t = FloatBuffer(size)
        d = FloatBuffer(size)
        xt = FloatBuffer(2 * size)
        target = FloatBuffer(2 * size)
        outputGradient = FloatBuffer(2 * size)
        coupling = coupledRows.map { (OptimalPairing(capacity: $0.count), $0) }
        nextX0 = FloatBuffer(coupling == nil ? 0 : 2 * size)
        nextX1 = FloatBuffer(coupling == nil ? 0 : 2 * size)
    }

    /// Draws x1 from the data and x0 from N(0, I), paired under OT coupling (under reflow: the
    /// pairs from its pool, ``ReflowPairs/draw(x0:x1:rows:rng:)``), or takes the ones
    /// drawn (and paired) ahead by ``drawAhead(_:rng:)``: the same numbers either way.
    public func drawEndpoints(_ dataset: Dataset, rng: inout SplitMix64) {
        switch next {
        case .none:
            if let reflow { return reflow.draw(x0: x0.p, x1: x1.p, rows: size, rng: &rng) }
            Self.draw(dataset, rng: &rng, x0: x0.p, x1: x1.p, count: size)
            pair(x0: x0.p, x1: x1.p)
        case .drawn, .paired:
            pairNext()
            x0.p.update(from: nextX0.p, count: 2 * size)
            x1.p.update(from: nextX1.p, count: 2 * size)
            next = .none
        }
    }

    /// Under OT coupling, draws the next step's x1 and x0 now, after this step's draws (so the
    /// random stream is the same as drawing them next step), and leaves their pairing to
    /// ``pairNext()``, which the trainer runs beside this step's shards.
    public func drawAhead(_ dataset: Dataset, rng: inout SplitMix64) {
        guard coupling != nil else { return }
        Self.draw(dataset, rng: &rng, x0: nextX0.p, x1: nextX1.p, count: size)
        next = .drawn
    }

    /// Whether endpoints drawn ahead wait for their pairing.
    public var nextNeedsPairing: Bool { next == .drawn }

    /// Pairs the endpoints drawn ahead (touches only their own buffers and the pairing's scratch).
    public func pairNext() {
        guard next == .drawn else { return }
        pair(x0: nextX0.p, x1: nextX1.p)
        next = .paired
    }

    /// Re-pairs the coupled rows of x0 and x1 [size, 2] (nothing without coupling).
    private func pair(x0: UnsafeMutablePointer<Float>, x1: UnsafeMutablePointer<Float>) {
        guard let (pairing, rows) = coupling else { return }
        pairing.pair(x0: x0 + 2 * rows.lowerBound, x1: x1 + 2 * rows.lowerBound, rows: rows.count)
    }

    private static func draw(
        _ dataset: Dataset, rng: inout SplitMix64, x0: UnsafeMutablePointer<Float>, x1: UnsafeMutablePointer<Float>, count: Int
    ) {
        dataset.sample(count: count, rng: &rng, into: x1)
        for i in 0..<(2 * count) { x0[i] = rng.gaussian() }
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
