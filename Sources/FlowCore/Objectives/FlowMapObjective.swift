/// What the flow-map losses share (<doc:TimeConventionAndMethods>; DESIGN.md 3.7): one network read
/// as u(z, s, h), the average velocity from time s over an interval h, whose flow map is
/// `X(z, s, t) = z + (t - s) u(z, s, t - s)`.
///
/// Rows `0..<offDiagonalRows` are off-diagonal: s < t drawn uniformly on the triangle (the min and
/// max of two U(0, 1) draws), h = t - s in `batch.d`; each subclass gives their target. The other
/// rows are diagonal: s ~ U(0, 1), h = 0, target v_c = x1 - x0, the flow-matching term
/// `|u(z_s, s, 0) - v_c|^2`. The loss is the mean over all rows and both coordinates of the
/// squared residual; the parts are the off-diagonal rows' (`bootstrapLoss`) and the diagonal
/// rows' (`flowMatchingLoss`) mean squared residuals. Subclasses: ``PSDObjective``,
/// ``LSDObjective``, ``AlphaFlowObjective``.
public class FlowMapObjective: Objective {
    /// The number of off-diagonal rows (s < t) at the start of each batch.
    public let offDiagonalRows: Int

    /// `diagonalShare` of the `batchSize` rows are diagonal (rounded up to whole rows).
    public init(batchSize: Int, diagonalShare: Float) {
        offDiagonalRows = Self.offDiagonalRows(batchSize: batchSize, diagonalShare: diagonalShare)
    }

    /// The off-diagonal rows of a batch of `batchSize` rows with `diagonalShare` diagonal ones.
    public static func offDiagonalRows(batchSize: Int, diagonalShare: Float) -> Int {
        min(batchSize, max(0, Int(((1 - diagonalShare) * Float(batchSize)).rounded(.down))))
    }

    /// Draws x0 and x1, the times of every row (s in `batch.t`, h in `batch.d`), forms z_s in
    /// `batch.xt` and the diagonal rows' targets v_c, then the subclass's own draws
    /// (`prepareOffDiagonal`).
    public func prepare(_ c: ObjectiveContext, rng: inout SplitMix64) {
        let b = c.batch
        b.drawEndpoints(c.dataset, rng: &rng)
        for r in 0..<b.size {
            if r < offDiagonalRows {
                let first = rng.uniform()
                let second = rng.uniform()
                b.t.p[r] = min(first, second)
                b.d.p[r] = max(first, second) - b.t.p[r]
            } else {
                b.t.p[r] = rng.uniform()
                b.d.p[r] = 0
            }
        }
        b.interpolate(times: b.t.p, into: b.xt.p)
        for i in (2 * offDiagonalRows)..<(2 * b.size) { b.target.p[i] = b.x1.p[i] - b.x0.p[i] }
        prepareOffDiagonal(c, rng: &rng)
    }

    /// The subclass's own random draws for the off-diagonal rows, after the shared ones (none by default).
    func prepareOffDiagonal(_ c: ObjectiveContext, rng: inout SplitMix64) {}

    /// Computes the off-diagonal targets of the shard's rows (the subclass's `targets`),
    /// runs the online network on all its rows and sums their squared errors.
    public func evaluate(_ c: ObjectiveContext, shard: BatchShard) -> LossSums {
        let b = c.batch
        let off = offDiagonal(shard.rows)
        if !off.isEmpty { targets(c, rows: off, workspace: shard.workspace) }
        let lo = shard.rows.lowerBound
        let y = c.network.forward(
            parameters: c.parameters, x: b.xt.p + 2 * lo, t: b.t.p + lo, d: b.d.p + lo, rows: shard.rows.count,
            workspace: shard.workspace)
        return squaredErrors(y, rows: shard.rows, batch: b)
    }

    /// The subclass's targets of the off-diagonal rows `rows`, into `batch.target`.
    func targets(_ c: ObjectiveContext, rows: Range<Int>, workspace: Workspace) {}

    /// Every row costs the same unless a subclass says otherwise (declared here so that a
    /// subclass's override is the one the trainer calls).
    public func cost(ofRow row: Int) -> Float { 1 }

    /// The plain backward pass of dL/dy unless a subclass differentiates more (see ``cost(ofRow:)``).
    public func backward(_ c: ObjectiveContext, shard: BatchShard) { backwardOfOutput(c, shard: shard) }

    /// The off-diagonal rows of `rows`, which come first.
    func offDiagonal(_ rows: Range<Int>) -> Range<Int> { rows.clamped(to: 0..<offDiagonalRows) }

    /// The diagonal rows of `rows`.
    func diagonal(_ rows: Range<Int>, batchSize: Int) -> Range<Int> { rows.clamped(to: offDiagonalRows..<batchSize) }

    /// The plain squared errors of output `y` (rows `rows`, y[0] the first's) against the batch's
    /// targets, with their gradient, split into the off-diagonal and diagonal parts.
    func squaredErrors(_ y: UnsafePointer<Float>, rows: Range<Int>, batch b: Batch) -> LossSums {
        let lo = rows.lowerBound
        func errors(_ part: Range<Int>) -> Float {
            part.isEmpty ? 0 : b.squaredErrorSum(y + 2 * (part.lowerBound - lo), rows: part)
        }
        let off = errors(offDiagonal(rows))
        let diagonal = errors(diagonal(rows, batchSize: b.size))
        return LossSums(loss: off + diagonal, flowMatching: diagonal, bootstrap: off)
    }

    /// The mean squared residual over all rows, with its diagonal and off-diagonal parts.
    public func report(_ sums: LossSums, context c: ObjectiveContext) -> StepReport {
        let size = c.batch.size
        return StepReport(
            loss: Batch.mean(sums.loss, rows: size),
            flowMatchingLoss: Batch.mean(sums.flowMatching, rows: size - offDiagonalRows),
            bootstrapLoss: Batch.mean(sums.bootstrap, rows: offDiagonalRows))
    }

    /// v_c = x1 - x0 of row `r`, coordinate `i`.
    @inline(__always)
    func conditionalVelocity(_ b: Batch, _ i: Int) -> Float { b.x1.p[i] - b.x0.p[i] }
}
