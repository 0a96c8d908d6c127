import Foundation

/// AlphaFlow (Zhang, Siarohin, Menapace, Vasilkovsky, Tulyakov, Qu, Skorokhodov 2026, "AlphaFlow:
/// Understanding and Improving MeanFlow Models"): one family of targets from flow matching on
/// intervals (alpha = 1) to MeanFlow (alpha -> 0). Each off-diagonal row regresses u(z_s, s, h) on
/// ```
/// target = alpha v_c + (1 - alpha) sg u(z_s + alpha h v_c, s + alpha h, (1 - alpha) h)
/// ```
/// (v_c = x1 - x0), its squared error weighted by 1 / alpha: as alpha -> 0 the residual shrinks
/// like alpha times the MeanFlow residual, so the weight keeps the gradient the MeanFlow
/// gradient. A curriculum (``alpha(atIteration:)``) takes alpha from 1 to 0 along a sigmoid, because
/// the two parts of the MeanFlow loss, trajectory flow matching and consistency, fight each other
/// early in training; once alpha is below ``alphaFloor`` the target is MeanFlow's own, from its
/// forward-mode derivative (``MeanFlowObjective``), with weight 1. The diagonal rows are flow
/// matching (``FlowMapObjective``). The reported loss is the weighted one; its parts are plain
/// mean squared errors.
public final class AlphaFlowObjective: FlowMapObjective {
    /// The iterations over which alpha falls from 1 to 0.
    public let curriculumIterations: Int
    /// The steepness gamma of the sigmoid (the paper: 25).
    public let gamma: Float
    /// Below this alpha the target is MeanFlow's (the paper: 5e-3).
    public static let alphaFloor: Float = 5e-3
    /// The alpha of the step being evaluated.
    var alpha: Float = 1
    /// Scratch: the moved start, its time and the rest of the interval, [B, 2] and [B].
    let start: FloatBuffer
    let startTime: FloatBuffer
    let rest: FloatBuffer
    let vC: FloatBuffer
    /// The constant parts of MeanFlow's tangent (v_c, 1, -1), [B].
    let ones: FloatBuffer
    let minusOnes: FloatBuffer

    /// `diagonalShare` of the `batchSize` rows are diagonal; alpha falls over `curriculumIterations`.
    public init(batchSize: Int, diagonalShare: Float, curriculumIterations: Int, gamma: Float) {
        self.curriculumIterations = curriculumIterations
        self.gamma = gamma
        start = FloatBuffer(2 * batchSize)
        startTime = FloatBuffer(batchSize)
        rest = FloatBuffer(batchSize)
        vC = FloatBuffer(2 * batchSize)
        ones = FloatBuffer([Float](repeating: 1, count: batchSize))
        minusOnes = FloatBuffer([Float](repeating: -1, count: batchSize))
        super.init(batchSize: batchSize, diagonalShare: diagonalShare)
    }

    /// alpha at iteration n: `1 - sigmoid(gamma (n / L - 1/2))` over L = `curriculumIterations`,
    /// rescaled to run from exactly 1 at n = 0 to 0 at n = L, and 0 once below ``alphaFloor``.
    public func alpha(atIteration n: Int) -> Float {
        guard curriculumIterations > 0 else { return 0 }
        func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
        let g = Double(gamma)
        let progress = min(1, Double(n) / Double(curriculumIterations))
        let low = sigmoid(-g / 2)
        let high = sigmoid(g / 2)
        let value = Float(1 - (sigmoid(g * (progress - 0.5)) - low) / (high - low))
        return value < Self.alphaFloor ? 0 : value
    }

    /// Sets the step's alpha and v_c.
    override func prepareOffDiagonal(_ c: ObjectiveContext, rng: inout SplitMix64) {
        alpha = alpha(atIteration: c.iteration)
        let b = c.batch
        for i in 0..<(2 * offDiagonalRows) { vC.p[i] = conditionalVelocity(b, i) }
    }

    /// The shared shard work, then the off-diagonal rows' errors and gradients weighted by 1 / alpha.
    public override func evaluate(_ c: ObjectiveContext, shard: BatchShard) -> LossSums {
        var sums = super.evaluate(c, shard: shard)
        let off = offDiagonal(shard.rows)
        let weight = alpha > 0 ? 1 / alpha : 1
        if weight != 1 {
            for i in (2 * off.lowerBound)..<(2 * off.upperBound) { c.batch.outputGradient.p[i] *= weight }
        }
        sums.loss = weight * sums.bootstrap + sums.flowMatching
        return sums
    }

    /// An off-diagonal row runs up to a forward-mode pass (two forward passes) more than a diagonal one.
    public override func cost(ofRow row: Int) -> Float { row < offDiagonalRows ? 5 / 3 : 1 }

    /// Fills the targets of the off-diagonal rows `rows` at the step's alpha.
    override func targets(_ c: ObjectiveContext, rows: Range<Int>, workspace: Workspace) {
        let b = c.batch
        let lo = rows.lowerBound
        if alpha == 0 {
            MeanFlowObjective.target(
                network: c.network, parameters: c.targetParameters, z: b.xt.p + 2 * lo, s: b.t.p + lo, h: b.d.p + lo,
                vBar: vC.p + 2 * lo, ones: ones.p, minusOnes: minusOnes.p, rows: rows.count, workspace: workspace,
                into: b.target.p + 2 * lo)
            return
        }
        if alpha == 1 {
            (b.target.p + 2 * lo).update(from: vC.p + 2 * lo, count: 2 * rows.count)
            return
        }
        for r in rows {
            let moved = alpha * b.d.p[r]
            startTime.p[r] = b.t.p[r] + moved
            rest.p[r] = (1 - alpha) * b.d.p[r]
            start.p[2 * r] = b.xt.p[2 * r] + moved * vC.p[2 * r]
            start.p[2 * r + 1] = b.xt.p[2 * r + 1] + moved * vC.p[2 * r + 1]
        }
        let u = c.network.forward(
            parameters: c.targetParameters, x: start.p + 2 * lo, t: startTime.p + lo, d: rest.p + lo, rows: rows.count,
            workspace: workspace)
        for i in (2 * lo)..<(2 * rows.upperBound) { b.target.p[i] = alpha * vC.p[i] + (1 - alpha) * u[i - 2 * lo] }
    }
}
