/// A training objective, in two parts so that a step can run on several threads: `prepare` makes
/// every random draw of the batch, in order, on one thread; `evaluate` does the network work for one
/// shard of rows (targets, the online forward pass, the loss and dL/dy) and may run for several
/// shards at once; `report` turns the shards' summed losses into the step's report.
///
/// The rows of a shard depend only on the batch prepared for them, so a shard computes the same
/// targets and outputs as the whole batch would; only the order of the sums over rows changes.
public protocol Objective: AnyObject {
    /// Fills `context.batch` (and the objective's own per-row buffers) with the step's random
    /// draws from `rng`: x0, x1, times and step sizes, and whatever else needs no network.
    func prepare(_ context: ObjectiveContext, rng: inout SplitMix64)

    /// For the rows of `shard`: computes their targets, runs the online network on them last so
    /// that its activations stay in `shard.workspace` (row `shard.rows.lowerBound` first), writes
    /// their dL/dy into `context.batch.outputGradient` (with L the mean over the whole batch) and
    /// returns their loss sums. Shards run concurrently: write only the shard's rows of shared
    /// buffers, and per-thread state under `shard.index`.
    func evaluate(_ context: ObjectiveContext, shard: BatchShard) -> LossSums

    /// The backward pass of the shard after ``evaluate(_:shard:)``: WRITES dL/dparameters into
    /// the shard's gradients. The default (``backwardOfOutput(_:shard:)``) differentiates the
    /// online pass through its output; an objective whose loss also depends on a derivative of
    /// the output (LSD) differentiates that too.
    func backward(_ context: ObjectiveContext, shard: BatchShard)

    /// The step's report from the loss sums of all its rows.
    func report(_ sums: LossSums, context: ObjectiveContext) -> StepReport

    /// The relative cost of row `row` of a batch (1 by default), so that shards of different rows
    /// take about the same time (shortcut bootstrap rows run two more forward passes).
    func cost(ofRow row: Int) -> Float

    /// The rows whose (x0, x1) pairs minibatch OT coupling re-pairs (``Coupling/ot``; every row
    /// by default).
    func coupledRows(batchSize: Int) -> Range<Int>
}

extension Objective {
    public func backward(_ context: ObjectiveContext, shard: BatchShard) { backwardOfOutput(context, shard: shard) }

    /// The backward pass of the online pass left in the shard's workspace, from the shard's rows
    /// of `batch.outputGradient`.
    public func backwardOfOutput(_ c: ObjectiveContext, shard: BatchShard) {
        c.network.backward(
            parameters: c.parameters, outputGradient: c.batch.outputGradient.p + 2 * shard.rows.lowerBound,
            rows: shard.rows.count, workspace: shard.workspace, gradients: shard.gradients.p)
    }

    /// Every row costs the same.
    public func cost(ofRow row: Int) -> Float { 1 }

    public func coupledRows(batchSize: Int) -> Range<Int> { 0..<batchSize }
}

/// What an objective may read during one step.
public struct ObjectiveContext {
    /// The network being trained.
    public let network: Network
    /// The online weights, `network.shape.parameterCount` Floats.
    public let parameters: UnsafePointer<Float>
    /// The weights that compute self-targets (EMA or online, per the configuration).
    public let targetParameters: UnsafePointer<Float>
    /// Where the data points x1 come from.
    public let dataset: Dataset
    /// The batch the objective fills.
    public let batch: Batch
    /// Iterations completed before this step.
    public let iteration: Int
}
