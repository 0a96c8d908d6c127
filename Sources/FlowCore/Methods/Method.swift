/// The training methods (<doc:TimeConventionAndMethods>), by name. Everything else about a method lives in
/// its ``MethodDefinition`` (``definition``); code outside `Methods/` asks that, not the name.
public enum Method: String, CaseIterable, Sendable, Codable {
    /// Flow matching (Lipman et al. 2023; Liu et al. 2023, rectified flow).
    case fm
    /// Shortcut models (Frans, Hafner, Levine, Abbeel 2024).
    case shortcut
    /// Consistency distillation from a flow-matching teacher (Song et al. 2023).
    case cd
    /// Consistency training, with the iCT choices (Song and Dhariwal 2023).
    case ct
    /// MeanFlow (Geng, Deng, Bai, Kolter, He 2025).
    case meanflow
    /// Progressive self-distillation of the flow map (Boffi, Albergo, Vanden-Eijnden 2025).
    case psd
    /// Lagrangian self-distillation of the flow map (Boffi, Albergo, Vanden-Eijnden 2025).
    case lsd
    /// AlphaFlow (Zhang et al. 2026).
    case alphaflow

    /// Everything FlowCore knows about the method: the one place that maps a name to it.
    public var definition: any MethodDefinition {
        switch self {
        case .fm: FlowMatchingMethod()
        case .shortcut: ShortcutMethod()
        case .cd: ConsistencyMethod(distilled: true)
        case .ct: ConsistencyMethod(distilled: false)
        case .meanflow: MeanFlowMethod()
        case .psd: PSDMethod()
        case .lsd: LSDMethod()
        case .alphaflow: AlphaFlowMethod()
        }
    }

    /// A short name for people ("shortcut model").
    public var title: String { definition.title }

    /// Whether the network takes the step-size input d (the interval h for MeanFlow).
    public var isStepConditioned: Bool { definition.isStepConditioned }

    /// The method names for help texts: "fm, shortcut, cd, ct, meanflow, psd, lsd or alphaflow".
    public static var names: String {
        let all = allCases.map(\.rawValue)
        return all.dropLast().joined(separator: ", ") + " or " + all.last!
    }
}
