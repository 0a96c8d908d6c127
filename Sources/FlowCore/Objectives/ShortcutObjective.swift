/// The shortcut-model objective (Frans, Hafner, Levine, Abbeel 2024, "One Step Diffusion via
/// Shortcut Models"; <doc:TimeConventionAndMethods>).
///
/// The network s(x_t, t, d) predicts the average velocity over [t, t + d]. Rows [0, nb) are
/// bootstrap rows, nb = floor(k B): d spread evenly over the levels {1, 1/2, ..., 2/M} (leftover
/// rows at d = 1), t uniform on {0, d, ..., 1 - d}, and the target, from the target weights under
/// stop-gradient, is two half steps: s1 = s(x_t, t, d/2), x' = x_t + (d/2) s1,
/// s2 = s(x', t + d/2, d/2), target = (s1 + s2) / 2. Rows [nb, B) are flow-matching rows:
/// t uniform on {0, 1/M, ..., (M-1)/M}, d = 1/M, target x1 - x0 (with a ``BatchVelocity``, the
/// batch's marginal velocity at (x_t, t)).
/// Loss: mean over all rows and both coordinates of the squared error.
public final class ShortcutObjective: Objective {
    /// M, a power of two: the finest step size is 1/M.
    public let finestSteps: Int
    /// nb = floor(k B) (at most B), the number of bootstrap rows in each batch.
    public let bootstrapRows: Int
    /// The step size of each bootstrap row, fixed for the run.
    let rowStep: [Float]
    /// Scratch: half steps, midpoints, the two half-step velocities.
    let half: FloatBuffer
    let mid: FloatBuffer
    let s1: FloatBuffer
    let tMid: FloatBuffer
    /// Why some levels are not trained, or nil.
    public let warning: String?
    /// The batch's velocity field for the flow-matching rows' targets, or nil for x1 - x0.
    public let batchVelocity: BatchVelocity?

    /// The levels d = 1, 1/2, ..., 2/M (log2 M of them).
    public static func levels(finestSteps m: Int) -> [Float] {
        var levels: [Float] = []
        var d: Float = 1
        while d * Float(m) >= 2 {
            levels.append(d)
            d /= 2
        }
        return levels
    }

    /// Number of bootstrap rows per level (index 0 is d = 1), for a batch of `bootstrapRows`.
    public static func rowsPerLevel(bootstrapRows nb: Int, finestSteps m: Int) -> [Int] {
        let levels = levels(finestSteps: m)
        var counts = Array(repeating: nb / levels.count, count: levels.count)
        counts[0] += nb % levels.count
        return counts
    }

    /// Creates the objective and assigns each bootstrap row its step size for the whole run.
    ///
    /// - Parameters:
    ///   - batchSize: B, the rows of every batch.
    ///   - bootstrapFraction: k in [0, 1), the share of bootstrap rows (the paper's 1/4 by default).
    ///   - finestSteps: M, a power of two, at least 2.
    ///   - batchVelocity: The flow-matching rows' velocity field, or nil for x1 - x0.
    public init(batchSize: Int, bootstrapFraction: Float, finestSteps: Int, batchVelocity: BatchVelocity? = nil) {
        self.finestSteps = finestSteps
        self.batchVelocity = batchVelocity
        bootstrapRows = min(batchSize, Int((bootstrapFraction * Float(batchSize)).rounded(.down)))
        let levels = Self.levels(finestSteps: finestSteps)
        let counts = Self.rowsPerLevel(bootstrapRows: bootstrapRows, finestSteps: finestSteps)
        rowStep = zip(levels, counts).flatMap { Array(repeating: $0, count: $1) }
        let empty = counts.filter { $0 == 0 }.count
        warning =
            empty == 0
            ? nil
            : "\(empty) of the \(levels.count) step-size levels get no bootstrap rows (\(bootstrapRows) bootstrap rows for \(levels.count) levels): raise the batch size or the bootstrap fraction"
        half = FloatBuffer(batchSize)
        mid = FloatBuffer(2 * batchSize)
        s1 = FloatBuffer(2 * batchSize)
        tMid = FloatBuffer(batchSize)
    }

    /// Draws x0 and x1, the bootstrap rows' times on their step's grid and the flow-matching rows'
    /// on {0, 1/M, ..., (M-1)/M}, forms x_t and sets the flow-matching rows' targets x1 - x0.
    public func prepare(_ c: ObjectiveContext, rng: inout SplitMix64) {
        let b = c.batch
        let nb = bootstrapRows
        let m = finestSteps
        b.drawEndpoints(c.dataset, rng: &rng)
        for r in 0..<nb {
            let d = rowStep[r]
            b.d.p[r] = d
            b.t.p[r] = Float(rng.index(Int(1 / d))) * d
        }
        for r in nb..<b.size {
            b.d.p[r] = 1 / Float(m)
            b.t.p[r] = Float(rng.index(m)) / Float(m)
        }
        b.interpolate(times: b.t.p, into: b.xt.p)
        if let batchVelocity {
            batchVelocity.load(b)
        } else {
            for i in (2 * nb)..<(2 * b.size) { b.target.p[i] = b.x1.p[i] - b.x0.p[i] }
        }
    }

    /// Under OT coupling only the flow-matching rows are re-paired (the bootstrap rows keep theirs).
    public func coupledRows(batchSize: Int) -> Range<Int> { bootstrapRows..<batchSize }

    /// Computes the shard's bootstrap targets, runs the online network on its rows, and sums the
    /// squared errors of its bootstrap and flow-matching rows.
    public func evaluate(_ c: ObjectiveContext, shard: BatchShard) -> LossSums {
        let b = c.batch
        let rows = shard.rows
        let bootstrap = rows.clamped(to: 0..<bootstrapRows)
        let flow = rows.clamped(to: bootstrapRows..<b.size)
        if !bootstrap.isEmpty { bootstrapTargets(c, rows: bootstrap, workspace: shard.workspace) }
        batchVelocity?.velocity(b, rows: flow, into: b.target.p)
        let lo = rows.lowerBound
        let y = c.network.forward(
            parameters: c.parameters, x: b.xt.p + 2 * lo, t: b.t.p + lo, d: b.d.p + lo, rows: rows.count,
            workspace: shard.workspace)
        func errors(_ part: Range<Int>) -> Float {
            part.isEmpty ? 0 : b.squaredErrorSum(y + 2 * (part.lowerBound - lo), rows: part)
        }
        return LossSums(flowMatching: errors(flow), bootstrap: errors(bootstrap))
    }

    /// The mean squared error over all rows, with its flow-matching and bootstrap parts.
    public func report(_ sums: LossSums, context c: ObjectiveContext) -> StepReport {
        let size = c.batch.size
        let nb = bootstrapRows
        let bootstrap = Batch.mean(sums.bootstrap, rows: nb)
        let flow = Batch.mean(sums.flowMatching, rows: size - nb)
        let total = (bootstrap * Float(nb) + flow * Float(size - nb)) / Float(size)
        return StepReport(loss: total, flowMatchingLoss: flow, bootstrapLoss: bootstrap)
    }

    /// A bootstrap row runs two more forward passes (the half steps) than a flow-matching row,
    /// each about a third of a row's forward and backward pass.
    public func cost(ofRow row: Int) -> Float { row < bootstrapRows ? 5 / 3 : 1 }

    /// Fills the target rows `rows` (bootstrap rows) with (s1 + s2) / 2 from the target weights.
    func bootstrapTargets(_ c: ObjectiveContext, rows: Range<Int>, workspace: Workspace) {
        let b = c.batch
        let lo = rows.lowerBound
        for r in rows {
            half.p[r] = b.d.p[r] / 2
            tMid.p[r] = b.t.p[r] + half.p[r]
        }
        let out = c.network.forward(
            parameters: c.targetParameters, x: b.xt.p + 2 * lo, t: b.t.p + lo, d: half.p + lo, rows: rows.count,
            workspace: workspace)
        (s1.p + 2 * lo).update(from: out, count: 2 * rows.count)
        for r in rows {
            mid.p[2 * r] = b.xt.p[2 * r] + half.p[r] * s1.p[2 * r]
            mid.p[2 * r + 1] = b.xt.p[2 * r + 1] + half.p[r] * s1.p[2 * r + 1]
        }
        let s2 = c.network.forward(
            parameters: c.targetParameters, x: mid.p + 2 * lo, t: tMid.p + lo, d: half.p + lo, rows: rows.count,
            workspace: workspace)
        for i in (2 * lo)..<(2 * rows.upperBound) { b.target.p[i] = (s1.p[i] + s2[i - 2 * lo]) / 2 }
    }
}
