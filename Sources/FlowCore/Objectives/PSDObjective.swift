/// Progressive self-distillation (Boffi, Albergo, Vanden-Eijnden 2025, "How to build a consistency
/// model: learning flow maps via self-distillation"; the same loss as SplitMeanFlow): the flow map
/// over [s, t] is the composition of the maps over [s, m] and [m, t]. Each off-diagonal row draws
/// a ~ U(0, 1), m = s + a h, and regresses u(z_s, s, h) on, from the target weights under
/// stop-gradient,
/// ```
/// u1 = u(z_s, s, a h),  X_m = z_s + a h u1,  u2 = u(X_m, m, (1 - a) h),  target = a u1 + (1 - a) u2
/// ```
/// (a = 1/2 on a dyadic grid of h is the shortcut model's bootstrap). Two forward passes without
/// a derivative per off-diagonal row; the diagonal rows are flow matching (``FlowMapObjective``).
public final class PSDObjective: FlowMapObjective {
    /// The split a of each off-diagonal row, [B].
    let split: FloatBuffer
    /// Scratch: the two sub-intervals, the split time, u1 and X_m, [B] and [B, 2].
    let firstStep: FloatBuffer
    let secondStep: FloatBuffer
    let middle: FloatBuffer
    let u1: FloatBuffer
    let xMiddle: FloatBuffer

    /// `diagonalShare` of the `batchSize` rows are diagonal.
    public override init(batchSize: Int, diagonalShare: Float) {
        split = FloatBuffer(batchSize)
        firstStep = FloatBuffer(batchSize)
        secondStep = FloatBuffer(batchSize)
        middle = FloatBuffer(batchSize)
        u1 = FloatBuffer(2 * batchSize)
        xMiddle = FloatBuffer(2 * batchSize)
        super.init(batchSize: batchSize, diagonalShare: diagonalShare)
    }

    /// Draws the split a ~ U(0, 1) of each off-diagonal row.
    override func prepareOffDiagonal(_ c: ObjectiveContext, rng: inout SplitMix64) {
        for r in 0..<offDiagonalRows { split.p[r] = rng.uniform() }
    }

    /// An off-diagonal row runs two more forward passes than a diagonal one.
    public override func cost(ofRow row: Int) -> Float { row < offDiagonalRows ? 5 / 3 : 1 }

    /// Fills the targets of the off-diagonal rows `rows` (``PSDObjective``'s formula).
    override func targets(_ c: ObjectiveContext, rows: Range<Int>, workspace: Workspace) {
        let b = c.batch
        let lo = rows.lowerBound
        for r in rows {
            let a = split.p[r]
            firstStep.p[r] = a * b.d.p[r]
            middle.p[r] = b.t.p[r] + firstStep.p[r]
            secondStep.p[r] = (1 - a) * b.d.p[r]
        }
        let first = c.network.forward(
            parameters: c.targetParameters, x: b.xt.p + 2 * lo, t: b.t.p + lo, d: firstStep.p + lo, rows: rows.count,
            workspace: workspace)
        (u1.p + 2 * lo).update(from: first, count: 2 * rows.count)
        for r in rows {
            xMiddle.p[2 * r] = b.xt.p[2 * r] + firstStep.p[r] * u1.p[2 * r]
            xMiddle.p[2 * r + 1] = b.xt.p[2 * r + 1] + firstStep.p[r] * u1.p[2 * r + 1]
        }
        let u2 = c.network.forward(
            parameters: c.targetParameters, x: xMiddle.p + 2 * lo, t: middle.p + lo, d: secondStep.p + lo,
            rows: rows.count, workspace: workspace)
        for r in rows {
            let a = split.p[r]
            for i in (2 * r)..<(2 * r + 2) { b.target.p[i] = a * u1.p[i] + (1 - a) * u2[i - 2 * lo] }
        }
    }
}
