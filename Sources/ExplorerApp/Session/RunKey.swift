import FlowCore

/// What identifies a training run: when any part changes the worker starts the run again, and
/// nothing else restarts it (a view change, K, pause and speed never do).
public struct RunKey: Hashable, Sendable {
    /// What trains: one method, or a race of a lineup's methods.
    public enum Subject: Hashable, Sendable {
        case method(Method)
        case race(RaceLineup)
    }

    /// One method or a race.
    public var subject: Subject
    /// The dataset: a toy name or a CSV path.
    public var dataset: String
    /// The training seed.
    public var seed: UInt64
    /// Adam's learning rate (`--lr`), or nil for each method's open-ended default.
    public var learningRate: Float?
    /// Training threads (`--threads`), or nil for all cores.
    public var threads: Int?
    /// How batches pair noise and data; `.independent` for a method without couplings and for the race.
    public var coupling: Coupling
    /// How many times `r` asked for a fresh start with the same settings.
    public var resets: Int
    /// The points of a drawn set (`dataset` is ``AppState/drawnName``), interleaved [N, 2].
    public var drawn: [Float]?

    /// A run of `subject` on `dataset` with `seed`; the rest defaults to a new `AppState`'s.
    public init(
        subject: Subject, dataset: String, seed: UInt64, learningRate: Float? = nil, threads: Int? = nil,
        coupling: Coupling = .independent, resets: Int = 0
    ) {
        self.subject = subject
        self.dataset = dataset
        self.seed = seed
        self.learningRate = learningRate
        self.threads = threads
        self.coupling = coupling
        self.resets = resets
    }

    /// The run `state` asks for: the race of its lineup while racing, else its method alone (with
    /// its coupling where the method takes one).
    public init(_ state: AppState) {
        let subject: Subject = state.racing ? .race(state.raceLineup) : .method(state.method)
        let coupling = !state.racing && state.method.definition.supportsCoupling ? state.coupling : .independent
        self.init(
            subject: subject, dataset: state.dataset, seed: state.seed, learningRate: state.learningRate,
            threads: state.threads, coupling: coupling, resets: state.resets)
        drawn = state.dataset == AppState.drawnName ? state.drawnPoints : nil
    }

    /// The run's data set: a toy, a CSV file, or the drawn points.
    public func makeDataset() throws -> Dataset {
        try drawn.map { .points(name: dataset, values: $0) } ?? Dataset.named(dataset)
    }

    /// The data set's key in the cache of exact flows: its name, and for drawn points their hash.
    var truthName: String { drawn.map { "\(dataset)-\($0.hashValue)" } ?? dataset }

    /// True for a race.
    public var isRace: Bool {
        if case .race = subject { return true }
        return false
    }
}
