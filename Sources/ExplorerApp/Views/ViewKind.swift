/// The views, in tab order: four of one method's run, the race of every method, and the
/// method against the exact flow: its jumps from noise (truth) and its flow map between any two
/// times (flow map). Each case's knowledge is its ``ViewDefinition``, one file each: adding a
/// view is a case here and a file in this folder.
public enum ViewKind: Int, CaseIterable, Sendable {
    case samples, trajectories, consistency, compare, race, truth, flowMap

    /// The view's definition: its name, what it needs from the worker, its title and figure.
    var definition: any ViewDefinition {
        switch self {
        case .samples: SamplesView()
        case .trajectories: TrajectoriesView()
        case .consistency: ConsistencyView()
        case .compare: CompareView()
        case .race: RaceView()
        case .truth: TruthView()
        case .flowMap: FlowMapView()
        }
    }

    /// The name on the tab bar.
    public var name: String { definition.name }

    /// The name on the command line (`render --view`) and in file names: lower case, a hyphen for
    /// each space ("flow-map").
    public var slug: String { name.lowercased().split(separator: " ").joined(separator: "-") }

    /// What the view needs from the training worker.
    public var needs: ViewNeeds { definition.needs }

    /// Whether the view shows the race's panels rather than one model's pictures.
    public var showsRace: Bool { needs == .race }

    /// Whether the view draws against the exact flow of the data (``TruthField``).
    public var needsExactFlow: Bool {
        if case .model(let extras) = needs { return !extras.isEmpty }
        return false
    }
}
