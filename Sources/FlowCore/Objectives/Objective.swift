/// A training objective: it draws a batch, computes the loss, leaves the online forward pass in
/// the workspace, and writes dL/dy into `batch.outputGradient`, ready for `Network.backward`.
public protocol Objective: AnyObject {
    func evaluate(_ context: ObjectiveContext, rng: inout SplitMix64) -> StepReport
}

/// What an objective may read during one step.
public struct ObjectiveContext {
    public let network: Network
    public let parameters: UnsafePointer<Float>
    /// The weights that compute self-targets (EMA or online, per the configuration).
    public let targetParameters: UnsafePointer<Float>
    public let dataset: Dataset
    public let workspace: Workspace
    public let batch: Batch
    /// Iterations completed before this step.
    public let iteration: Int
}
