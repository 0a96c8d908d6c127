/// Lagrangian self-distillation (Boffi, Albergo, Vanden-Eijnden 2025, "How to build a consistency
/// model: learning flow maps via self-distillation"): the flow map moves with the velocity at its
/// end, `d/dt X(z_s, s, t) = u(X(z_s, s, t), t, 0)`. With X = z_s + h u(z_s, s, h) the left side is
/// `u + h du/dh`, so each off-diagonal row's residual is
/// ```
/// r = u(z_s, s, h) + h du/dh(z_s, s, h) - sg[u(sg X(z_s, s, t), t, 0)]
/// ```
/// with du/dh the forward-mode derivative along (0, 0, 1) of the online network and the end
/// velocity from the target weights. The loss |r|^2 depends on du/dh, so its gradient flows
/// through the tangent pass (``Network/backwardWithTangent(parameters:outputGradient:tangentGradient:rows:tangentRows:workspace:gradients:)``):
/// dL/du = 2 r / (2B) and dL/d(du/dh) = h dL/du. The diagonal rows are flow matching
/// (``FlowMapObjective``) and carry no tangent.
public final class LSDObjective: FlowMapObjective {
    /// The end times t = s + h and the ends X(z_s, s, t), [B] and [B, 2].
    let endTime: FloatBuffer
    let end: FloatBuffer
    /// The tangent (0, 0, 1) and the zero tangents of z and s, [B, 2] and [B].
    let zeros: FloatBuffer
    let ones: FloatBuffer
    /// dL/d(du/dh) of the off-diagonal rows, [B, 2].
    let tangentGradient: FloatBuffer

    /// `diagonalShare` of the `batchSize` rows are diagonal.
    public override init(batchSize: Int, diagonalShare: Float) {
        endTime = FloatBuffer(batchSize)
        end = FloatBuffer(2 * batchSize)
        zeros = FloatBuffer(2 * batchSize)
        ones = FloatBuffer([Float](repeating: 1, count: batchSize))
        tangentGradient = FloatBuffer(2 * batchSize)
        super.init(batchSize: batchSize, diagonalShare: diagonalShare)
    }

    /// Computes the shard's end velocities (the targets), runs the online network with the
    /// tangent (0, 0, 1) for its off-diagonal rows, and writes dL/du and dL/d(du/dh).
    public override func evaluate(_ c: ObjectiveContext, shard: BatchShard) -> LossSums {
        let b = c.batch
        let rows = shard.rows
        let lo = rows.lowerBound
        let off = offDiagonal(rows)
        if !off.isEmpty { targets(c, rows: off, workspace: shard.workspace) }
        let (u, du) = c.network.forwardWithTangent(
            parameters: c.parameters, x: b.xt.p + 2 * lo, t: b.t.p + lo, d: b.d.p + lo, dx: zeros.p, dt: zeros.p,
            dd: ones.p, rows: rows.count, tangentRows: off.count, workspace: shard.workspace)
        let scale = 2 / Float(2 * b.size)
        var sums = LossSums()
        for r in rows {
            let h = b.d.p[r]
            let isOff = r < offDiagonalRows
            for i in (2 * r)..<(2 * r + 2) {
                let k = i - 2 * lo
                let residual = isOff ? u[k] + h * du[k] - b.target.p[i] : u[k] - b.target.p[i]
                let squared = residual * residual
                if isOff { sums.bootstrap += squared } else { sums.flowMatching += squared }
                b.outputGradient.p[i] = scale * residual
                if isOff { tangentGradient.p[i] = h * scale * residual }
            }
        }
        sums.loss = sums.bootstrap + sums.flowMatching
        return sums
    }

    /// Back through the output and through du/dh.
    public override func backward(_ c: ObjectiveContext, shard: BatchShard) {
        let lo = shard.rows.lowerBound
        c.network.backwardWithTangent(
            parameters: c.parameters, outputGradient: c.batch.outputGradient.p + 2 * lo,
            tangentGradient: tangentGradient.p + 2 * lo, rows: shard.rows.count,
            tangentRows: offDiagonal(shard.rows).count, workspace: shard.workspace, gradients: shard.gradients.p)
    }

    /// An off-diagonal row runs two target passes and a forward-mode pass with its backward, about
    /// 8/3 of a diagonal row.
    public override func cost(ofRow row: Int) -> Float { row < offDiagonalRows ? 8 / 3 : 1 }

    /// The targets u(X(z_s, s, t), t, 0) of the off-diagonal rows `rows`, from the target weights.
    override func targets(_ c: ObjectiveContext, rows: Range<Int>, workspace: Workspace) {
        let b = c.batch
        let lo = rows.lowerBound
        let u = c.network.forward(
            parameters: c.targetParameters, x: b.xt.p + 2 * lo, t: b.t.p + lo, d: b.d.p + lo, rows: rows.count,
            workspace: workspace)
        for r in rows {
            let h = b.d.p[r]
            endTime.p[r] = b.t.p[r] + h
            end.p[2 * r] = b.xt.p[2 * r] + h * u[2 * (r - lo)]
            end.p[2 * r + 1] = b.xt.p[2 * r + 1] + h * u[2 * (r - lo) + 1]
        }
        let velocity = c.network.forward(
            parameters: c.targetParameters, x: end.p + 2 * lo, t: endTime.p + lo, d: zeros.p, rows: rows.count,
            workspace: workspace)
        (b.target.p + 2 * lo).update(from: velocity, count: 2 * rows.count)
    }
}
