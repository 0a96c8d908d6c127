/// Conditional flow matching (Lipman et al. 2023; rectified flow, Liu et al. 2023):
/// `L = mean_rows |F(x_t, t) - (x1 - x0)|^2` over both coordinates, t ~ U[0, 1],
/// x_t = (1 - t) x0 + t x1. With ``Coupling/ot`` the batch's (x0, x1) pairs are the minibatch
/// optimal transport plan (Tong et al. 2023). With a ``BatchVelocity`` the target is the batch's
/// marginal velocity at (x_t, t) instead of x1 - x0 (``VelocityTarget/batch``).
public final class FlowMatchingObjective: Objective {
    /// The batch's velocity field for the targets, or nil for the conditional x1 - x0.
    public let batchVelocity: BatchVelocity?

    /// Creates the objective; `batchVelocity` (nil: conditional targets) is its only state.
    public init(batchVelocity: BatchVelocity? = nil) { self.batchVelocity = batchVelocity }

    /// Draws x0, x1 (re-paired under OT coupling) and t uniform in [0, 1) per row, forms x_t and
    /// sets the target x1 - x0 (or loads the batch's data for its velocity).
    public func prepare(_ c: ObjectiveContext, rng: inout SplitMix64) {
        let b = c.batch
        b.drawEndpoints(c.dataset, rng: &rng)
        for r in 0..<b.size { b.t.p[r] = rng.uniform() }
        b.interpolate(times: b.t.p, into: b.xt.p)
        if let batchVelocity {
            batchVelocity.load(b)
        } else {
            for i in 0..<(2 * b.size) { b.target.p[i] = b.x1.p[i] - b.x0.p[i] }
        }
    }

    /// Sets the shard's targets from the batch's velocity (when used), runs the online network on
    /// the shard's x_t and sums its squared errors.
    public func evaluate(_ c: ObjectiveContext, shard: BatchShard) -> LossSums {
        let b = c.batch
        let lo = shard.rows.lowerBound
        batchVelocity?.velocity(b, rows: shard.rows, into: b.target.p)
        let y = c.network.forward(
            parameters: c.parameters, x: b.xt.p + 2 * lo, t: b.t.p + lo, d: nil, rows: shard.rows.count,
            workspace: shard.workspace)
        return LossSums(loss: b.squaredErrorSum(y, rows: shard.rows))
    }

    /// The mean squared error.
    public func report(_ sums: LossSums, context c: ObjectiveContext) -> StepReport {
        StepReport(loss: Batch.mean(sums.loss, rows: c.batch.size))
    }
}
