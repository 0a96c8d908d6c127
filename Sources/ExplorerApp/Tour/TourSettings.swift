import FlowCore

/// What a tour step's `state:` line sets, e.g.
/// `state: dataset=moons method=shortcut view=compare K=1 coupling=independent paused=no`: any
/// subset of the run code's keys (dataset, method, seed, K, view, coupling, threads), `racers`
/// (the race's lineup) and `paused`. The race view races; any other view trains the method alone.
public struct TourSettings: Equatable, Sendable {
    public var dataset: String?
    public var method: Method?
    public var seed: UInt64?
    public var steps: Int?
    public var view: ViewKind?
    public var coupling: Coupling?
    public var threads: Int?
    public var racers: RaceLineup?
    public var paused: Bool?

    /// The keys a `state:` line takes, in the order the docs list them.
    public static let keys = ["dataset", "method", "seed", "K", "view", "coupling", "threads", "racers", "paused"]

    public init() {}

    /// Parses the words after `state:`; throws a one-line reason naming the bad word.
    public init(line: String) throws {
        for word in line.split(separator: " ", omittingEmptySubsequences: true) {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else { throw TourError("'\(word)' is not key=value") }
            let (key, value) = (parts[0], parts[1])
            func bad(_ expected: String) -> TourError { TourError("\(key)=\(value): \(expected)") }
            /// The one of `options` named `value`, or a reason that lists them after `listing`.
            func pick<T>(_ options: [T], _ name: (T) -> String, listing: String) throws -> T {
                guard let match = options.first(where: { name($0) == value }) else {
                    throw bad("\(listing) \(options.map(name).joined(separator: ", "))")
                }
                return match
            }
            switch key {
            case "dataset":
                dataset = try pick(ToyDataset.allCases, \.rawValue, listing: "a tour names a built-in dataset, one of").rawValue
            case "method":
                method = try pick(Method.allCases, \.rawValue, listing: "the methods are")
            case "seed":
                guard let s = UInt64(value) else { throw bad("a seed is a whole number from 0") }
                seed = s
            case "K":
                guard let k = Int(value), Sampler.stepRange.contains(k), k & (k - 1) == 0 else {
                    throw bad("K is a power of two from 1 to \(Sampler.stepRange.upperBound)")
                }
                steps = k
            case "view":
                view = try pick(ViewKind.allCases, \.slug, listing: "the views are")
            case "coupling":
                coupling = try pick(Coupling.allCases, \.rawValue, listing: "the couplings are")
            case "threads":
                guard let t = Int(value), (1...TrainingConfig.maximumThreads).contains(t) else {
                    throw bad("threads is a whole number from 1 to \(TrainingConfig.maximumThreads)")
                }
                threads = t
            case "racers":
                racers = try pick(RaceLineup.allCases, \.rawValue, listing: "the lineups are")
            case "paused":
                guard value == "yes" || value == "no" else { throw bad("paused is yes or no") }
                paused = value == "yes"
            default:
                throw TourError("unknown key '\(key)' (the keys are \(Self.keys.joined(separator: ", ")))")
            }
        }
    }

    /// Sets what the line names in `state`; a view other than the race trains the method alone.
    public func apply(to state: inout AppState) {
        if let dataset { state.dataset = dataset }
        if let method { state.method = method }
        if let seed { state.seed = seed }
        if let steps { state.steps = steps }
        if let coupling { state.coupling = coupling }
        if let threads { state.threads = threads }
        if let racers { state.raceLineup = racers }
        if let paused { state.paused = paused }
        if let view {
            state.view = view
            state.racing = view.showsRace
        }
    }
}
