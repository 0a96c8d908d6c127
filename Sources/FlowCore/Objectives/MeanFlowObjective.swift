import Foundation

/// MeanFlow (Geng, Deng, Bai, Kolter, He 2025, "Mean Flows for One-step Generative Modeling"), in
/// this project's time convention (t = 0 noise, t = 1 data); <doc:TimeConventionAndMethods>.
///
/// The step-conditioned network is read as u(z, s, h): the average velocity from time s over an
/// interval h, so one jump is `z_{s+h} = z_s + h u(z_s, s, h)`. Along a path with velocity v and
/// t = s + h fixed, `h u = integral_s^t v` gives the identity `u = v + h d/ds u(z_s, s, t - s)`,
/// where `d/ds u = (grad_z u) v + du/ds - du/dh`: the forward-mode derivative along the tangent
/// (v, 1, -1). Each row draws x0 ~ N(0, I), x1 ~ data and times s <= t, and regresses u(z_s, s, h)
/// on `sg(v_bar + h JVP)` with v_bar = x1 - x0 standing in for v (with a ``BatchVelocity``,
/// v_bar is the batch's marginal velocity at (z_s, s)). Rows with h = 0 are plain flow matching.
///
/// Rows `0..<meanRows` have h > 0 (two logit-normal draws, sorted into s <= t); the rest have
/// h = 0 and s ~ U[0, 1], as in flow matching. (With a logit-normal s as well, few h = 0 rows sit
/// near s = 0, so u(x, 0, 0) stays untrained and the network is a poor velocity field there: its
/// one Euler step does not collapse onto the data mean as a velocity's does.) The squared error of each row is weighted by
/// `1 / (|error|^2 + eps)^p` (not differentiated; p = 0 turns it off). The reported `loss` is the
/// weighted loss that is minimised (with p = 1 each row's share is below 1, however large the
/// target); the parts are the unweighted mean squared errors: `bootstrapLoss` for the h > 0 rows,
/// `flowMatchingLoss` for the h = 0 rows.
public final class MeanFlowObjective: Objective {
    /// The number of rows with h > 0 in each batch.
    public let meanRows: Int
    /// The logit-normal law of the times: s = sigmoid(mean + std n), n ~ N(0, 1).
    public let timeMean: Float
    /// The standard deviation of the logit-normal law (see `timeMean`).
    public let timeStd: Float
    /// The power p of the adaptive weight `1 / (|error|^2 + eps)^p` (0: unweighted).
    public let weightPower: Float
    /// The eps of the adaptive weight.
    public let weightEpsilon: Float
    /// The batch's velocity field for v_bar, or nil for x1 - x0.
    public let batchVelocity: BatchVelocity?
    let vBar: FloatBuffer
    let ones: FloatBuffer
    let minusOnes: FloatBuffer

    /// `flowShare` of the `batchSize` rows get h = 0 (rounded down to whole rows for h > 0).
    /// Under ``Coupling/ot`` every row's (x0, x1) pair comes from the batch's OT plan; with
    /// `batchVelocity` v_bar is the batch's velocity at each row instead of x1 - x0.
    public init(
        batchSize: Int, flowShare: Float, timeMean: Float, timeStd: Float, weightPower: Float, weightEpsilon: Float,
        batchVelocity: BatchVelocity? = nil
    ) {
        self.batchVelocity = batchVelocity
        meanRows = min(batchSize, Int(((1 - flowShare) * Float(batchSize)).rounded(.down)))
        self.timeMean = timeMean
        self.timeStd = timeStd
        self.weightPower = weightPower
        self.weightEpsilon = weightEpsilon
        vBar = FloatBuffer(2 * batchSize)
        ones = FloatBuffer([Float](repeating: 1, count: batchSize))
        minusOnes = FloatBuffer([Float](repeating: -1, count: batchSize))
    }

    /// One draw of the logit-normal law.
    func logitNormal(_ rng: inout SplitMix64) -> Float {
        1 / (1 + Foundation.exp(-(timeMean + timeStd * rng.gaussian())))
    }

    /// The MeanFlow target for `rows` rows: u(z, s, h) and its derivative along (v_bar, 1, -1)
    /// from one forward-mode pass, then `target = v_bar + h du` into `target` [rows, 2]. The
    /// workspace needs 2 x rows of capacity; afterwards it holds the forward pass of u(z, s, h), so
    /// `backward` may follow. Returns u (in the workspace).
    @discardableResult
    public func target(
        network: Network, parameters: UnsafePointer<Float>, z: UnsafePointer<Float>, s: UnsafePointer<Float>,
        h: UnsafePointer<Float>, vBar: UnsafePointer<Float>, rows: Int, workspace: Workspace,
        into target: UnsafeMutablePointer<Float>
    ) -> UnsafeMutablePointer<Float> {
        Self.target(
            network: network, parameters: parameters, z: z, s: s, h: h, vBar: vBar, ones: ones.p, minusOnes: minusOnes.p,
            rows: rows, workspace: workspace, into: target)
    }

    /// The MeanFlow target as above, with the tangent's constant parts given: `ones` and
    /// `minusOnes` hold at least `rows` values 1 and -1 (AlphaFlow's last phase uses it too).
    @discardableResult
    static func target(
        network: Network, parameters: UnsafePointer<Float>, z: UnsafePointer<Float>, s: UnsafePointer<Float>,
        h: UnsafePointer<Float>, vBar: UnsafePointer<Float>, ones: UnsafePointer<Float>,
        minusOnes: UnsafePointer<Float>, rows: Int, workspace: Workspace, into target: UnsafeMutablePointer<Float>
    ) -> UnsafeMutablePointer<Float> {
        let (u, du) = network.forwardWithTangent(
            parameters: parameters, x: z, t: s, d: h, dx: vBar, dt: ones, dd: minusOnes, rows: rows, workspace: workspace)
        for r in 0..<rows {
            target[2 * r] = vBar[2 * r] + h[r] * du[2 * r]
            target[2 * r + 1] = vBar[2 * r + 1] + h[r] * du[2 * r + 1]
        }
        return u
    }

    /// Draws x0, x1 and the times of each row (s in `batch.t`, h in `batch.d`), and forms z_s and
    /// v_bar = x1 - x0 (or loads the batch's data for its velocity, which each shard takes).
    public func prepare(_ c: ObjectiveContext, rng: inout SplitMix64) {
        let b = c.batch
        b.drawEndpoints(c.dataset, rng: &rng)
        for r in 0..<b.size {
            if r < meanRows {
                let first = logitNormal(&rng)
                let second = logitNormal(&rng)
                b.t.p[r] = min(first, second)
                b.d.p[r] = max(first, second) - b.t.p[r]
            } else {
                b.t.p[r] = rng.uniform()
                b.d.p[r] = 0
            }
        }
        b.interpolate(times: b.t.p, into: b.xt.p)
        if let batchVelocity {
            batchVelocity.load(b)
        } else {
            for i in 0..<(2 * b.size) { vBar.p[i] = b.x1.p[i] - b.x0.p[i] }
        }
    }

    /// Computes the shard's targets with the target weights in one forward-mode pass, runs the
    /// online network on (z_s, s, h) (reusing that pass when the weights are the same), writes the
    /// weighted gradient, and sums the weighted and the unweighted squared errors.
    public func evaluate(_ c: ObjectiveContext, shard: BatchShard) -> LossSums {
        let b = c.batch
        let lo = shard.rows.lowerBound
        let rows = shard.rows.count
        batchVelocity?.velocity(b, rows: shard.rows, into: vBar.p)
        var u = target(
            network: c.network, parameters: c.targetParameters, z: b.xt.p + 2 * lo, s: b.t.p + lo, h: b.d.p + lo,
            vBar: vBar.p + 2 * lo, rows: rows, workspace: shard.workspace, into: b.target.p + 2 * lo)
        if c.targetParameters != c.parameters {
            u = c.network.forward(
                parameters: c.parameters, x: b.xt.p + 2 * lo, t: b.t.p + lo, d: b.d.p + lo, rows: rows,
                workspace: shard.workspace)
        }
        return loss(u, rows: shard.rows, batch: b)
    }

    /// The weighted loss, with the unweighted mean squared errors of the h = 0 and h > 0 rows.
    public func report(_ sums: LossSums, context c: ObjectiveContext) -> StepReport {
        let size = c.batch.size
        return StepReport(
            loss: sums.loss / Float(2 * size), flowMatchingLoss: Batch.mean(sums.flowMatching, rows: size - meanRows),
            bootstrapLoss: Batch.mean(sums.bootstrap, rows: meanRows))
    }

    /// The weighted squared error of rows `rows` and its gradient (into `batch.outputGradient`),
    /// with the unweighted parts; `u` holds the outputs of those rows (u[0] is the first row's).
    func loss(_ u: UnsafePointer<Float>, rows: Range<Int>, batch b: Batch) -> LossSums {
        var sums = LossSums()
        let scale = 2 / Float(2 * b.size)
        let lo = rows.lowerBound
        for r in rows {
            let e0 = u[2 * (r - lo)] - b.target.p[2 * r]
            let e1 = u[2 * (r - lo) + 1] - b.target.p[2 * r + 1]
            let squared = e0 * e0 + e1 * e1
            if r < meanRows { sums.bootstrap += squared } else { sums.flowMatching += squared }
            let weight = weightPower == 0 ? 1 : 1 / Foundation.pow(squared + weightEpsilon, weightPower)
            sums.loss += weight * squared
            b.outputGradient.p[2 * r] = scale * weight * e0
            b.outputGradient.p[2 * r + 1] = scale * weight * e1
        }
        return sums
    }
}
