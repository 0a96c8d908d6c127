/// What one training step reports.
public struct StepReport: Sendable, Equatable {
    /// The loss that was minimised (mean over the batch).
    public var loss: Float
    /// Shortcut models: the flow-matching rows' mean squared error.
    public var flowMatchingLoss: Float?
    /// Shortcut models: the bootstrap rows' mean squared error.
    public var bootstrapLoss: Float?
    /// Consistency training: the number of levels N in force.
    public var levels: Int?

    /// A report; the method-specific parts default to nil.
    public init(loss: Float, flowMatchingLoss: Float? = nil, bootstrapLoss: Float? = nil, levels: Int? = nil) {
        self.loss = loss
        self.flowMatchingLoss = flowMatchingLoss
        self.bootstrapLoss = bootstrapLoss
        self.levels = levels
    }
}
