import FlowCore
import Foundation
import Synchronization
import TerminalCanvas

/// The race of every method (issue 8): one trainer per method on the same dataset and seed,
/// stepped in rounds (one racer per core at a time), so a class sees within seconds that one
/// flow-matching Euler step is a blob while the one-step methods land on the data. A method that distils (cd) joins once its
/// teacher's racer (fm) has trained `joinAfter` steps (by default the method's
/// ``MethodDefinition/teacherIterations``, as in the UI), starting from that racer's weights.
/// A racer whose loss blows up stops; the others go on.
///
/// Resting (issue 18): the race's time goes where it shows. A racer whose panel has stopped
/// getting better (``Racer/observe(iteration:sw2:steps:)``) rests: it trains one round in
/// ``restPeriod``, and the rounds it skips go to the racers still improving. A racer that a
/// waiting method needs as its teacher never rests, and trains ``teacherSteps`` a round.
final class Race {
    /// One method's run.
    final class Racer {
        let method: Method
        let trainer: Trainer
        /// Why it stopped, if its training diverged.
        var divergence: String?
        /// Its loss curves, for the loss panel of its own views.
        var losses = LossRecord()
        /// Whether it has stopped improving and trains only one round in ``Race/restPeriod``.
        private(set) var resting = false
        /// Its panel's SW2 at the pictures of its last ``Race/restWindow`` (iteration, SW2), all at
        /// the K of `historySteps`; `bestBefore` is the best SW2 before that window, `since` the
        /// iteration of the record's first picture.
        private var recent: [(iteration: Int, sw2: Double)] = []
        private var bestBefore = Double.infinity
        private var since = 0
        private var historySteps = 0

        init(method: Method, trainer: Trainer) {
            self.method = method
            self.trainer = trainer
        }

        /// Records its panel's SW2 at K = `steps` after `iteration` iterations and decides whether
        /// it rests: once its curriculum is over (``MethodDefinition/curriculumIterations(_:)``)
        /// and it has trained two ``Race/restWindow``s at this K, it rests while the best SW2 of
        /// its last window is not ``Race/restGain`` below the best before it, and wakes when it
        /// is. A new K starts the record afresh, awake.
        func observe(iteration: Int, sw2: Double, steps: Int) {
            guard sw2.isFinite else { return }
            if steps != historySteps {
                (recent, bestBefore, since, historySteps) = ([], .infinity, iteration, steps)
                resting = false
            }
            recent.append((iteration, sw2))
            while let oldest = recent.first, oldest.iteration <= iteration - Race.restWindow {
                bestBefore = min(bestBefore, oldest.sw2)
                recent.removeFirst()
            }
            guard iteration - since >= 2 * Race.restWindow,
                iteration >= method.definition.curriculumIterations(trainer.config)
            else { return }
            resting = recent.map(\.sw2).min()! > (1 - Race.restGain) * bestBefore
        }
    }

    /// The steps per round of a racer that a waiting method needs as its teacher (fm before cd
    /// joins): the student joins sooner, with the teacher it would have had. With 2, on a busy
    /// 2-core machine (2,400 rounds in 20 s) cd joined at round 2,000 and read SW2 0.186 at 20 s;
    /// with 4 it joins at round 1,000 and read 0.118 and 0.125 (docs/recipes.md).
    static let teacherSteps = 4
    /// A resting racer trains one round in this many.
    static let restPeriod = 4
    /// The iterations over which a racer must improve to keep its full share.
    static let restWindow = 1000
    /// The fraction by which its best SW2 must fall within a ``restWindow``.
    static let restGain = 0.03

    let dataset: Dataset
    let seed: UInt64
    let learningRate: Float?
    /// The cores the race trains on, or nil for all: each racer trains on one thread, and this
    /// many racers train at once (two racers on two cores beat one racer on two threads each: a
    /// batch of 256 rows splits into shards too small to keep two cores busy).
    let threads: Int?
    /// Steps of the teacher's racer before a distilling method joins.
    let joinAfter: Int?
    /// The methods that race.
    let lineup: RaceLineup
    /// The racers, in `Method.allCases` order.
    private(set) var racers: [Racer] = []
    /// The rounds of ``step()`` so far.
    private var round = 0

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

    /// A racer's configuration: the method's open-ended one, as the teacher when a racer waits for it.
    func config(_ method: Method) -> TrainingConfig {
        .openEnded(method, seed: seed, learningRate: learningRate, threads: 1, asTeacher: lineup.teaches(method))
    }

    /// The racers that train at once.
    private var lanes: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    /// One round: a training step of every racer still running (a resting one only every
    /// ``restPeriod`` rounds; one a waiting method needs as its teacher ``teacherSteps`` every
    /// round), then any distilling method whose teacher has trained long enough joins. Returns the
    /// number of steps taken.
    @discardableResult
    func step() throws -> Int {
        let restingRound = round % Self.restPeriod != 0
        round += 1
        let training = racers.filter { $0.divergence == nil && !(restingRound && rests($0)) }
        let counts = training.map { isAwaitedTeacher($0) ? Self.teacherSteps : 1 }
        let reports = Self.step(training.map(\.trainer), counts: counts, lanes: lanes)
        for (racer, racerReports) in zip(training, reports) {
            for report in racerReports where racer.divergence == nil {
                racer.divergence = racer.trainer.divergence(report)
                if racer.divergence == nil { _ = racer.losses.add(report) }
            }
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
        return counts.reduce(0, +)
    }

    /// `counts[i]` steps of each trainer `i`, `lanes` trainers at a time, each lane taking the
    /// next trainer not yet started; the reports in the trainers' order. Each trainer is stepped
    /// by one thread at a time and shares nothing with the others, so each gives the bits it
    /// gives alone.
    private static func step(_ trainers: [Trainer], counts: [Int], lanes: Int) -> [[StepReport]] {
        let lanes = min(lanes, trainers.count)
        func run(_ i: Int) -> [StepReport] { (0..<counts[i]).map { _ in trainers[i].step() } }
        guard lanes > 1 else { return trainers.indices.map(run) }
        let next = Atomic(0)
        let reports = Mutex([[StepReport]](repeating: [], count: trainers.count))
        nonisolated(unsafe) let run = run
        let count = trainers.count
        DispatchQueue.concurrentPerform(iterations: lanes) { _ in
            while case let i = next.add(1, ordering: .relaxed).oldValue, i < count {
                let done = run(i)
                reports.withLock { $0[i] = done }
            }
        }
        return reports.withLock { $0 }
    }

    /// Whether `racer` rests now: it has stopped improving and no waiting method needs it as its teacher.
    func rests(_ racer: Racer) -> Bool { racer.resting && !isAwaitedTeacher(racer) }

    /// Whether a method that has not joined yet waits for `racer` as its teacher.
    func isAwaitedTeacher(_ racer: Racer) -> Bool {
        lineup.methods.contains { self.racer($0) == nil && $0.definition.teacher == racer.method }
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
                return .init(
                    method: method, label: waitingLabel(method), points: [], sw2: .nan, iteration: 0)
            }
            var renoise = SplitMix64.stream(seed: seed, 24)
            let points = sampler.sample(
                model: Model(trainer: racer.trainer, useEMA: useEMA), noise: builder.noise, steps: steps, rng: &renoise)
            let sw2 = VisualsBuilder.metric.distance(points, to: builder.dataReference)
            if useEMA { racer.observe(iteration: racer.trainer.iteration, sw2: sw2, steps: steps) }
            let state = racer.divergence.map { _ in " (diverged)" } ?? ""
            return .init(
                method: method, label: "\(Self.label(method, sampler: sampler, steps: steps))\(state)", points: points,
                sw2: sw2, iteration: racer.trainer.iteration, resting: rests(racer))
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
        /// Whether it rests, its SW2 having stopped falling (``Race``).
        public var resting = false
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
