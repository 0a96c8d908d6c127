import FlowCore
import TerminalCanvas

/// The race of every method (issue 8): one trainer per method on the same dataset and seed,
/// stepped in turn, so a class sees within seconds that one flow-matching Euler step is a blob
/// while the one-step methods land on the data. A method that distils (cd) joins once its
/// teacher's racer (fm) has trained `joinAfter` steps (by default the method's
/// ``MethodDefinition/teacherIterations``, as in the UI), starting from that racer's weights.
/// A racer whose loss blows up stops; the others go on.
final class Race {
    /// One method's run.
    final class Racer {
        let method: Method
        let trainer: Trainer
        /// Why it stopped, if its training diverged.
        var divergence: String?
        /// Its loss curves, for the loss panel of its own views.
        var losses = LossRecord()

        init(method: Method, trainer: Trainer) {
            self.method = method
            self.trainer = trainer
        }
    }

    let dataset: Dataset
    let seed: UInt64
    let learningRate: Float?
    /// Training threads of every racer, or nil for all cores.
    let threads: Int?
    /// Steps of the teacher's racer before a distilling method joins.
    let joinAfter: Int?
    /// The methods that race.
    let lineup: RaceLineup
    /// The racers, in `Method.allCases` order.
    private(set) var racers: [Racer] = []

    /// Starts every method of `lineup` that needs no teacher.
    init(
        dataset: Dataset, seed: UInt64, learningRate: Float?, threads: Int?, joinAfter: Int?, lineup: RaceLineup = .all
    ) throws {
        self.lineup = lineup
        self.dataset = dataset
        self.seed = seed
        self.learningRate = learningRate
        self.threads = threads
        self.joinAfter = joinAfter
        for method in lineup.methods where method.definition.teacher == nil {
            racers.append(Racer(method: method, trainer: try Trainer(config: config(method), dataset: dataset)))
        }
    }

    func config(_ method: Method) -> TrainingConfig {
        .openEnded(method, seed: seed, learningRate: learningRate, threads: threads)
    }

    /// One training step of every racer still running, then any distilling method whose teacher
    /// has trained long enough joins. Returns the number of steps taken.
    @discardableResult
    func step() throws -> Int {
        var steps = 0
        for racer in racers where racer.divergence == nil {
            let report = racer.trainer.step()
            steps += 1
            racer.divergence = racer.trainer.divergence(report)
            if racer.divergence == nil { _ = racer.losses.add(report) }
        }
        for method in lineup.methods where !racers.contains(where: { $0.method == method }) {
            guard let teacherMethod = method.definition.teacher,
                let teacher = racers.first(where: { $0.method == teacherMethod }),
                teacher.trainer.iteration >= joinAfter ?? method.definition.teacherIterations
            else { continue }
            let trainer = try Trainer(config: config(method), dataset: dataset, teacher: teacher.trainer.checkpoint())
            racers.append(Racer(method: method, trainer: trainer))
            racers.sort { Method.allCases.firstIndex(of: $0.method)! < Method.allCases.firstIndex(of: $1.method)! }
        }
        return steps
    }

    /// A panel's header: the method and its sampler at K with its network evaluations, the
    /// sampler's name once when it is the method's own ("shortcut K=1 (1 NFE)", "fm: euler K=1 (1 NFE)").
    static func label(_ method: Method, sampler: Sampler, steps: Int) -> String {
        let k = sampler.label(steps: steps)
        return sampler.name == method.rawValue
            ? "\(method.rawValue)\(k.dropFirst(sampler.name.count))" : "\(method.rawValue): \(k)"
    }

    /// The iterations of the first racer (flow matching), for the status bar.
    var leadIteration: Int { racers.first?.trainer.iteration ?? 0 }

    /// The racer of `method`, nil while it waits for its teacher (or when it does not race).
    func racer(_ method: Method) -> Racer? { racers.first { $0.method == method } }

    /// What a method that has not joined yet waits for: "cd: joins after 2000 fm steps".
    func waitingLabel(_ method: Method) -> String {
        guard lineup.methods.contains(method) else { return "\(method.rawValue) is not in this race" }
        let teacher = method.definition.teacher?.rawValue ?? "its teacher"
        return "\(method.rawValue): joins after \(joinAfter ?? method.definition.teacherIterations) \(teacher) steps"
    }

    /// One panel per method of the lineup, in `Method.allCases` order: the main sampler's samples at K = `steps`
    /// from `builder`'s noise (the same for every method) and their SW2 to `builder`'s data; a
    /// method still waiting for its teacher gets an empty panel that says so. `useEMA` false draws the live weights.
    func panels(builder: VisualsBuilder, steps: Int, useEMA: Bool = true) -> [RaceVisuals.Panel] {
        return lineup.methods.map { method in
            let sampler = method.definition.mainSampler
            guard let racer = racer(method) else {
                return .init(method: method, label: waitingLabel(method), points: [], sw2: .nan, iteration: 0)
            }
            var renoise = SplitMix64.stream(seed: seed, 24)
            let points = sampler.sample(
                model: Model(trainer: racer.trainer, useEMA: useEMA), noise: builder.noise, steps: steps, rng: &renoise)
            let state = racer.divergence.map { _ in " (diverged)" } ?? ""
            return .init(
                method: method, label: "\(Self.label(method, sampler: sampler, steps: steps))\(state)", points: points,
                sw2: VisualsBuilder.metric.distance(points, to: builder.dataReference), iteration: racer.trainer.iteration)
        }
    }
}

/// The race view's pictures: one panel per method from the same noise at the same K.
public struct RaceVisuals: Sendable {
    /// One method's samples.
    public struct Panel: Sendable {
        /// The method.
        public var method: Method
        /// "fm: euler K=1 (1 NFE)": method, main sampler, K and its NFE (`Race.label`).
        public var label: String
        /// Samples [N, 2] (empty while the method waits for its teacher).
        public var points: [Float]
        /// Their SW2 to the data (NaN while waiting).
        public var sw2: Double
        /// The method's training iterations.
        public var iteration: Int
    }

    /// K, the steps every panel's sampler took.
    public var steps: Int
    /// The world rectangle of every panel.
    public var bounds: PlotBounds
    /// The SW2 between two independent data sets of the panels' size (``VisualsBuilder/noiseFloor``).
    public var noiseFloor: Double
    /// The panels, in `Method.allCases` order.
    public var panels: [Panel]
}
