/// Conditional flow matching (Lipman et al. 2023; rectified flow, Liu et al. 2023):
/// `L = mean_rows |F(x_t, t) - (x1 - x0)|^2` over both coordinates, t ~ U[0, 1],
/// x_t = (1 - t) x0 + t x1.
public final class FlowMatchingObjective: Objective {
    /// Creates the objective; it keeps no state.
    public init() {}

    /// One step: draws x0, x1 and t uniform in [0, 1) per row, sets the target x1 - x0, runs the online
    /// network on x_t and reports the mean squared error.
    public func evaluate(_ c: ObjectiveContext, rng: inout SplitMix64) -> StepReport {
        let b = c.batch
        b.drawEndpoints(c.dataset, rng: &rng)
        for r in 0..<b.size { b.t.p[r] = rng.uniform() }
        b.interpolate(times: b.t.p, into: b.xt.p)
        for i in 0..<(2 * b.size) { b.target.p[i] = b.x1.p[i] - b.x0.p[i] }
        let y = c.network.forward(parameters: c.parameters, x: b.xt.p, t: b.t.p, d: nil, rows: b.size, workspace: c.workspace)
        return StepReport(loss: b.squaredError(y, rows: 0..<b.size))
    }
}
