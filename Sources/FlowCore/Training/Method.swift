/// The training methods of DESIGN.md section 3.
public enum Method: String, CaseIterable, Sendable, Codable {
    /// Flow matching (Lipman et al. 2023; Liu et al. 2023, rectified flow).
    case fm
    /// Shortcut models (Frans, Hafner, Levine, Abbeel 2024).
    case shortcut
    /// Consistency distillation from a flow-matching teacher (Song et al. 2023).
    case cd
    /// Consistency training, with the iCT choices (Song and Dhariwal 2023).
    case ct

    /// A readable name for output, e.g. "flow matching".
    public var title: String {
        switch self {
        case .fm: "flow matching"
        case .shortcut: "shortcut model"
        case .cd: "consistency distillation"
        case .ct: "consistency training"
        }
    }

    /// Whether the network takes the step size d as an input.
    public var isStepConditioned: Bool { self == .shortcut }

    /// Whether the network is a consistency function f(x, t) = x + (1 - t) F(x, t).
    public var isConsistency: Bool { self == .cd || self == .ct }
}
