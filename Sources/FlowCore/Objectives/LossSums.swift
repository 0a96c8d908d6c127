/// The loss terms of some rows of a batch, summed over those rows (not yet divided by any count).
/// Each shard of a step returns its sums; the trainer adds them shard by shard in a fixed order
/// and the objective turns the total into a ``StepReport`` (``Objective/report(_:context:)``).
public struct LossSums: Sendable, Equatable {
    /// The loss that is minimised, summed over the rows.
    public var loss: Float = 0
    /// The flow-matching rows' squared errors, summed (shortcut models, MeanFlow's h = 0 rows).
    public var flowMatching: Float = 0
    /// The bootstrap rows' squared errors, summed (shortcut models, MeanFlow's h > 0 rows).
    public var bootstrap: Float = 0

    /// Sums with the given terms; the ones left out are zero.
    public init(loss: Float = 0, flowMatching: Float = 0, bootstrap: Float = 0) {
        self.loss = loss
        self.flowMatching = flowMatching
        self.bootstrap = bootstrap
    }

    /// The term-by-term sum.
    public static func + (lhs: LossSums, rhs: LossSums) -> LossSums {
        LossSums(
            loss: lhs.loss + rhs.loss, flowMatching: lhs.flowMatching + rhs.flowMatching,
            bootstrap: lhs.bootstrap + rhs.bootstrap)
    }
}
