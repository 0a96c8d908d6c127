import FlowCore

/// Which methods the race trains: every one, or the flow-map family (the methods whose network
/// jumps over intervals, ``MethodDefinition/jumpToEnd`` `.interval`: shortcut, MeanFlow, PSD, LSD
/// and AlphaFlow), to judge the newest few-step losses side by side.
public enum RaceLineup: String, CaseIterable, Sendable {
    /// Every method.
    case all
    /// The methods that learn a flow map over intervals.
    case flowMap = "flow-map"

    /// The racers, in `Method.allCases` order.
    public var methods: [Method] {
        switch self {
        case .all: Method.allCases
        case .flowMap: Method.allCases.filter { $0.definition.jumpToEnd == .interval }
        }
    }

    /// Whether `method` is the teacher a racer of the lineup distils from (fm while cd races).
    public func teaches(_ method: Method) -> Bool { methods.contains { $0.definition.teacher == method } }

    /// The other lineup (the `g` key).
    public var next: RaceLineup { self == .all ? .flowMap : .all }

    /// How the race's title names it: "every method" or "the flow-map family".
    public var title: String { self == .all ? "every method" : "the flow-map family" }
}
