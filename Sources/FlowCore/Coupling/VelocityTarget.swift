/// The velocity a flow-matching row regresses on (fm, and the flow-matching rows of shortcut
/// and MeanFlow).
public enum VelocityTarget: String, Sendable, CaseIterable {
    /// The row's own conditional velocity x1 - x0 (Lipman et al. 2023).
    case conditional
    /// The marginal velocity of the batch's own data points at the row's (x_t, t)
    /// (``BatchVelocity``): the same expectation with far less variance (the stable target field,
    /// Xu et al. 2023). It applies to independent pairs; with OT or reflow pairs the rows keep
    /// their conditional velocity.
    case batch
}
