/// A training objective: it draws a batch, computes the loss, leaves the online forward pass in
/// the workspace, and writes dL/dy into `batch.outputGradient`, ready for `Network.backward`.
public protocol Objective: AnyObject {
    /// Runs one step's forward computation: fills `context.batch` (drawing from `rng`), runs the online
    /// network last so that its activations stay in `context.workspace`, writes dL/dy into
    /// `context.batch.outputGradient`, and returns the loss.
    func evaluate(_ context: ObjectiveContext, rng: inout SplitMix64) -> StepReport
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
    /// Buffers for the forward passes, with room for the whole batch.
    public let workspace: Workspace
    /// The batch the objective fills.
    public let batch: Batch
    /// Iterations completed before this step.
    public let iteration: Int
}
