/// The pairs of reflow (Liu, Gong, Liu 2022, "Flow Straight and Fast: Learning to Generate and
/// Transfer Data with Rectified Flow", the rectified flow's k-th round): noise x0 ~ N(0, I) and
/// the end X(x0, 0, 1) of a trained flow-matching model's ODE path from it, integrated finely
/// (``sampler`` with ``steps`` steps, RK4 with 32 by default).
///
/// Flow matching on these pairs instead of independent ones learns a flow whose paths cross
/// less: each pair is already joined by a path of the old flow, so the new conditional paths
/// (straight lines from x0 to X(x0, 0, 1)) rarely meet, and the learned paths straighten (the
/// straightness S falls) so that one Euler step lands near where the old flow ends.
///
/// The pairs are made once, into a pool of `count` rows ([count, 2] each for x0 and x1), and a
/// batch draws its rows from the pool uniformly with replacement (``draw(x0:x1:rows:rng:)``):
/// making a pair costs 4 x 32 = 128 forward passes, a training row three, so fresh pairs for every
/// batch would cost some 40 times the training itself (docs/recipes.md measures the pool size).
/// The noise is drawn in order from one stream, and the pool is integrated in blocks of
/// ``Model/chunk`` rows that do not depend on the number of threads: the same seed gives the
/// same pool on any thread count.
public final class ReflowPairs {
    /// The number of pairs in the pool.
    public let count: Int
    /// The noise x0 of each pair, [count, 2].
    public let x0: FloatBuffer
    /// The model's end of the path from x0, X(x0, 0, 1), [count, 2].
    public let x1: FloatBuffer

    /// The fine sampler that makes the pairs by default.
    public static let sampler = Sampler.rk4
    /// Its steps by default (RK4 with 32 steps: 128 forward passes per pair).
    public static let steps = 32

    /// Makes `count` pairs from `model`'s weights (its network a velocity field v(x, t)) with
    /// `sampler` at `steps` steps, noise from `rng`; the blocks run on the threads of `pool` (nil:
    /// the calling thread only), each with a copy of the model.
    public init(
        method: Method, shape: NetworkShape, parameters: [Float], count: Int, sampler: Sampler = ReflowPairs.sampler,
        steps: Int = ReflowPairs.steps, rng: inout SplitMix64, pool: WorkerPool? = nil
    ) {
        precondition(count >= 1 && steps >= 1)
        self.count = count
        x0 = FloatBuffer(2 * count)
        x1 = FloatBuffer(2 * count)
        for i in 0..<(2 * count) { x0.p[i] = rng.gaussian() }
        let block = Model.chunk
        let blocks = (count + block - 1) / block
        let threads = min(pool?.threads ?? 1, blocks)
        let models = (0..<threads).map { _ in Model(method: method, shape: shape, parameters: parameters) }
        let x0 = self.x0
        let x1 = self.x1
        let work = { (part: Int) in
            var unused = SplitMix64(seed: 0)
            for b in stride(from: part, to: blocks, by: threads) {
                let rows = b * block..<min(count, (b + 1) * block)
                let noise = Array(UnsafeBufferPointer(start: x0.p + 2 * rows.lowerBound, count: 2 * rows.count))
                let ends = sampler.sample(model: models[part], noise: noise, steps: steps, rng: &unused)
                (x1.p + 2 * rows.lowerBound).update(from: ends, count: ends.count)
            }
        }
        if let pool { pool.run(threads, work) } else { work(0) }
    }

    /// The pairs of a trained checkpoint's EMA weights.
    public convenience init(
        checkpoint: Checkpoint, count: Int, steps: Int = ReflowPairs.steps, rng: inout SplitMix64, pool: WorkerPool? = nil
    ) {
        self.init(
            method: checkpoint.method, shape: checkpoint.shape, parameters: checkpoint.ema, count: count, steps: steps,
            rng: &rng, pool: pool)
    }

    /// Copies `rows` pairs drawn uniformly with replacement from the pool into `x0` and `x1`
    /// ([rows, 2] each), one draw of `rng` per row.
    public func draw(x0 out0: UnsafeMutablePointer<Float>, x1 out1: UnsafeMutablePointer<Float>, rows: Int, rng: inout SplitMix64)
    {
        for r in 0..<rows {
            let j = rng.index(count)
            out0[2 * r] = x0.p[2 * j]
            out0[2 * r + 1] = x0.p[2 * j + 1]
            out1[2 * r] = x1.p[2 * j]
            out1[2 * r + 1] = x1.p[2 * j + 1]
        }
    }
}
