import CKernels

/// The stable target field (Xu, Tong, Jaakkola et al. 2023, "Stable Target Field for Reduced
/// Variance Score Estimation in Diffusion Models") in flow matching: a row's target is the exact
/// velocity of the batch's own B data points x1_j (``ExactFlow``) at its (x_t, t),
/// ```
/// v(x_t, t) = (sum_j w_j x1_j - x_t) / (1 - t),   w = softmax_j(-|x_t - t x1_j|^2 / (2 (1 - t)^2))
/// ```
/// instead of its conditional velocity x1 - x0. Under independent pairs, x_t ~ N(t x1_j, (1 -
/// t)^2 I) given x1_j, so w is the posterior of the data points given x_t and v the marginal
/// velocity of the batch's data: near t = 1 the row's own x1 takes all the weight and v is x1 - x0;
/// near t = 0 the weights are even and v points at the batch's mean. The loss keeps its minimiser
/// as B grows and its gradient varies far less. Cost: B exponentials per row (the exact-velocity
/// kernel of ``ExactFlow``).
public final class BatchVelocity {
    /// The batch's data points as two columns, [B] each, for the kernel.
    private let xs: FloatBuffer
    private let ys: FloatBuffer

    /// Scratch for batches of `batchSize` rows.
    public init(batchSize: Int) {
        xs = FloatBuffer(batchSize)
        ys = FloatBuffer(batchSize)
    }

    /// The field a run's objective takes (``TrainingConfig/usesBatchVelocity``), or nil for x1 - x0.
    public convenience init?(_ config: TrainingConfig) {
        guard config.usesBatchVelocity else { return nil }
        self.init(batchSize: config.batchSize)
    }

    /// Takes the batch's data rows x1 as the points of the field; call once a step, after the
    /// batch's endpoints are drawn and before ``velocity(_:rows:into:)``.
    public func load(_ b: Batch) {
        for j in 0..<b.size {
            xs.p[j] = b.x1.p[2 * j]
            ys.p[j] = b.x1.p[2 * j + 1]
        }
    }

    /// v(x_t, t) of rows `rows` of `b` (x_t in `b.xt`, t in `b.t`) into `out[2 r]` and `out[2 r + 1]`.
    public func velocity(_ b: Batch, rows: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let level = KernelPath.active.rawValue
        for r in rows {
            let t = b.t.p[r]
            fe_exact_velocity(
                level, b.xt.p + 2 * r, 1, t, max(1 - t, ExactFlow.timeFloor), xs.p, ys.p, b.size, out + 2 * r)
        }
    }
}
