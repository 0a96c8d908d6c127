/// How a training batch pairs its noise rows x0 with its data rows x1.
public enum Coupling: String, Sendable, CaseIterable {
    /// Each noise row keeps the data row drawn beside it (the plain independent coupling).
    case independent
    /// Minibatch optimal transport (Tong et al. 2023, "Improving and generalizing flow-based
    /// generative models with minibatch optimal transport"; Pooladian et al. 2023): the data rows are
    /// re-paired with the noise rows by the permutation of least total squared distance
    /// (``OptimalPairing``), so the conditional paths cross less and the learned flow is straighter.
    case ot
}
