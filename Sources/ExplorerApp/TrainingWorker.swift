import FlowCore
import Foundation
import Synchronization

/// What the run loop needs from a worker; tests use a fake.
public protocol TrainingLink: AnyObject {
    /// Queues a command; never blocks for long.
    func send(_ command: WorkerCommand)
    /// The newest snapshot published since the last call, or nil.
    func takeSnapshot() -> Snapshot?
}

/// Settings of a training worker.
public struct WorkerSettings: Sendable {
    public var method: Method
    public var dataset: String
    public var seed: UInt64
    /// Weights to start from (`--load`); used while method and dataset match it. A flow-matching
    /// checkpoint also serves as the teacher of consistency distillation.
    public var initial: Checkpoint?
    /// Points per picture.
    public var pictureCount = 1024
    /// Steps of the internal teacher trained before a distilling method, or nil for the method's
    /// own (``MethodDefinition/teacherIterations``; also in `RunRecipe`).
    public var teacherIterations: Int?
    /// The longest share of time spent on pictures rather than training.
    public var pictureShare = 0.05
    /// Adam's learning rate (`--lr`) for the model; nil keeps the method's open-ended default. The
    /// cd teacher of a single-method run trains with its own default (in the race, cd's teacher
    /// is the fm racer, with this rate).
    public var learningRate: Float?
    /// The threads of every training step (`--threads`), the teacher's too; nil keeps
    /// `TrainingConfig`'s default, all cores.
    public var threads: Int?
    /// The files the run reads (`--load`, a CSV dataset): `s` and `e` never write over them.
    public var inputs: [String] = []
    /// Start with a race of every method (`Race`) instead of `method` alone.
    public var race = false
    /// The race's methods.
    public var raceLineup: RaceLineup = .all
    /// How batches pair noise with data, for the methods that support it (`--coupling`, `c`).
    public var coupling: Coupling = .independent

    public init(method: Method, dataset: String, seed: UInt64, initial: Checkpoint? = nil) {
        self.method = method
        self.dataset = dataset
        self.seed = seed
        self.initial = initial
    }
}

extension TrainingConfig {
    /// The UI's run of `method` (the worker's, the teacher's, each racer's): open-ended
    /// (``makeOpenEnded()``), with the seed, and the learning rate and threads when given.
    static func openEnded(_ method: Method, seed: UInt64, learningRate: Float?, threads: Int?) -> TrainingConfig {
        var config = TrainingConfig(method: method)
        config.seed = seed
        config.makeOpenEnded()
        if let learningRate { config.learningRate = learningRate }
        if let threads { config.threads = threads }
        return config
    }
}

/// The training thread: owns the `Trainer` (the live weights), takes commands, and publishes
/// immutable `Snapshot`s through a `Mutex` (newest wins). The UI never waits on it.
///
/// Pictures (`Visuals`) are computed here from a copy of the EMA weights, at most
/// `pictureShare` of the time (after a picture that took s seconds the next waits at least
/// s / share - s, and at least 0.25 s), so training keeps about 95% of its headless rate.
/// Consistency distillation needs a flow-matching teacher: unless `--load` gave one, the worker
/// first trains one for `teacherIterations` steps (shown as the phase) and keeps it per dataset.
///
/// Divergence: when a step's loss is not finite, or the EMA weights hold a non-finite value
/// (checked every `lossChunk` steps and before every picture), the worker stops training, keeps
/// the last good pictures, and publishes `Snapshot.divergence` and a message at once. It stays
/// stopped until `reset` (a resume is refused with the message again).
public final class TrainingWorker: TrainingLink, Sendable {
    private let commands = Mutex<[WorkerCommand]>([])
    private let latest = Mutex<Snapshot?>(nil)
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let settings: WorkerSettings

    public init(settings: WorkerSettings) { self.settings = settings }

    /// The pairs a reflow round of the UI makes (about a second on one core; `train --reflow`
    /// makes ``TrainingConfig/defaultReflowPairs``, and 1,024 already do on moons, docs/recipes.md).
    public static let reflowPairs = 8192

    /// Starts the thread.
    public func start() {
        let thread = Thread { [self] in
            let loop = WorkerLoop(settings: settings, worker: self)
            loop.run()
            finished.store(true, ordering: .releasing)
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks the thread to stop and waits up to `timeout` for it.
    public func stop(timeout: Duration = .seconds(2)) {
        stopping.store(true, ordering: .releasing)
        let deadline = ContinuousClock.now + timeout
        while !finished.load(ordering: .acquiring) && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    public func send(_ command: WorkerCommand) { commands.withLock { $0.append(command) } }

    public func takeSnapshot() -> Snapshot? {
        latest.withLock { s in
            defer { s = nil }
            return s
        }
    }

    var shouldStop: Bool { stopping.load(ordering: .acquiring) }
    func publish(_ snapshot: Snapshot) { latest.withLock { $0 = snapshot } }
    func drainCommands() -> [WorkerCommand] {
        commands.withLock { list in
            defer { list.removeAll(keepingCapacity: true) }
            return list
        }
    }
}

/// The state that lives on the worker thread only.
private final class WorkerLoop {
    let settings: WorkerSettings
    unowned let worker: TrainingWorker
    var method: Method
    var datasetName: String
    var paused = false
    /// Set when training diverged; cleared by reset.
    var diverged = false
    var steps = 1
    var trainer: Trainer?
    /// The iterations of the `--load`ed checkpoint the run started from: the run's count goes on
    /// from there (on screen and in a saved checkpoint).
    var iterationOffset = 0
    var teacherTrainer: Trainer?
    /// Set while racing every method (then `trainer` is nil).
    var race: Race?
    var racing: Bool
    var lineup: RaceLineup
    var teachers: [String: Checkpoint] = [:]
    var builder: VisualsBuilder?
    var dataset: Dataset?
    var coupling: Coupling
    /// The view on screen: the consistency and truth views need the exact flow (`truths`).
    var view: ViewKind = .samples
    let truths = TruthCache()
    var snapshot: Snapshot
    var chunk = LossChunk()
    /// The whole run's smoothed losses: total, flow-matching part, second part.
    var histories = (total: LossHistory(), first: LossHistory(), second: LossHistory())
    var needPictures = true
    var lastPictures = ContinuousClock.now
    var pictureWait: Duration = .milliseconds(250)
    var lastPublish = ContinuousClock.now
    var rateStart = ContinuousClock.now
    var rateSteps = 0
    static let lossChunk = 10

    init(settings: WorkerSettings, worker: TrainingWorker) {
        self.settings = settings
        self.worker = worker
        method = settings.method
        racing = settings.race
        lineup = settings.raceLineup
        datasetName = settings.dataset
        coupling = settings.coupling
        snapshot = Snapshot(method: method, dataset: datasetName, seed: settings.seed)
    }

    struct LossChunk {
        var total: Float = 0, fm: Float = 0, boot: Float = 0
        var count = 0, fmCount = 0, bootCount = 0
    }

    func run() {
        restart()
        while !worker.shouldStop {
            for command in worker.drainCommands() { handle(command) }
            if paused || (trainer == nil && teacherTrainer == nil && race == nil) {
                if needPictures { makePictures() }
                maybePublish(force: false)
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            trainOneStep()
            let now = ContinuousClock.now
            if now - lastPictures >= pictureWait || (needPictures && now - lastPictures >= .milliseconds(150)) {
                makePictures()
            }
            maybePublish(force: false)
        }
    }

    func restart() {
        diverged = false
        trainer = nil
        iterationOffset = 0
        teacherTrainer = nil
        race = nil
        chunk = LossChunk()
        histories = (LossHistory(), LossHistory(), LossHistory())
        let serial = snapshot.messageSerial
        snapshot = Snapshot(method: method, dataset: datasetName, seed: settings.seed)
        snapshot.messageSerial = serial
        snapshot.running = !paused
        rateStart = .now
        rateSteps = 0
        do {
            let dataset = try Dataset.named(datasetName)
            self.dataset = dataset
            builder = VisualsBuilder(dataset: dataset, count: settings.pictureCount, seed: settings.seed)
            snapshot.isRace = racing
            if racing {
                race = try Race(
                    dataset: dataset, seed: settings.seed, learningRate: settings.learningRate, threads: settings.threads,
                    joinAfter: settings.teacherIterations, lineup: lineup)
                needPictures = true
                maybePublish(force: true)
                return
            }
            var config = TrainingConfig.openEnded(
                method, seed: settings.seed, learningRate: settings.learningRate, threads: settings.threads)
            if method.definition.supportsCoupling { config.coupling = coupling }
            let initial = settings.initial.flatMap { $0.method == method && $0.dataset == datasetName ? $0 : nil }
            iterationOffset = initial?.iterations ?? 0
            snapshot.iteration = iterationOffset
            // A run that continues a checkpoint, or distils one, has its network shape.
            if let source = initial ?? method.definition.teacher.flatMap(teacherCheckpoint) { config.useShape(of: source) }
            if let teacherMethod = method.definition.teacher {
                if let teacher = teacherCheckpoint(teacherMethod) {
                    trainer = try Trainer(config: config, dataset: dataset, teacher: teacher, initial: initial)
                } else {
                    let teacherConfig = TrainingConfig.openEnded(
                        teacherMethod, seed: settings.seed, learningRate: nil, threads: settings.threads)
                    teacherTrainer = try Trainer(config: teacherConfig, dataset: dataset)
                    snapshot.phase = teacherPhase(0)
                }
            } else {
                trainer = try Trainer(config: config, dataset: dataset, initial: initial)
            }
        } catch {
            note("error: \(error)")
        }
        needPictures = true
        maybePublish(force: true)
    }

    /// A teacher of `teacherMethod` on this dataset: `--load`ed, or trained here earlier.
    func teacherCheckpoint(_ teacherMethod: Method) -> Checkpoint? {
        if let loaded = settings.initial, loaded.method == teacherMethod, loaded.dataset == datasetName { return loaded }
        return teachers[datasetName]
    }

    /// The steps the teacher trains before the method.
    var teacherLength: Int { settings.teacherIterations ?? method.definition.teacherIterations }

    /// The status line while the teacher trains.
    func teacherPhase(_ iteration: Int) -> String {
        "\(method.rawValue): training a \(method.definition.teacher?.rawValue ?? "") teacher \(iteration)/\(teacherLength)"
    }

    func trainOneStep() {
        if let teacher = teacherTrainer {
            teacher.step()
            rateSteps += 1
            if teacher.iteration % 50 == 0 {
                snapshot.phase = teacherPhase(teacher.iteration)
            }
            if teacher.iteration >= teacherLength {
                teachers[datasetName] = teacher.checkpoint()
                teacherTrainer = nil
                restart()
            }
            return
        }
        if let race {
            do {
                rateSteps += try race.step()
            } catch {
                note("error: \(error)")
                self.race = nil
            }
            snapshot.iteration = race.leadIteration
            return
        }
        guard let trainer else { return }
        let report = trainer.step()
        rateSteps += 1
        if let reason = trainer.divergence(report) { return diverge(at: iterationOffset + trainer.iteration, reason: reason) }
        chunk.total += report.loss
        chunk.count += 1
        if let fm = report.flowMatchingLoss {
            chunk.fm += fm
            chunk.fmCount += 1
        }
        if let boot = report.bootstrapLoss {
            chunk.boot += boot
            chunk.bootCount += 1
        }
        if chunk.count == Self.lossChunk {
            histories.total.add(chunk.total / Float(chunk.count))
            if chunk.fmCount > 0 { histories.first.add(chunk.fm / Float(chunk.fmCount)) }
            if chunk.bootCount > 0 { histories.second.add(chunk.boot / Float(chunk.bootCount)) }
            snapshot.losses = histories.total.values
            snapshot.flowMatchingLosses = histories.first.values
            snapshot.bootstrapLosses = histories.second.values
            chunk = LossChunk()
            if !allFinite(trainer.ema) {
                return diverge(at: iterationOffset + trainer.iteration, reason: "EMA weights not finite")
            }
        }
        snapshot.iteration = iterationOffset + trainer.iteration
    }

    /// Stops training after a blown-up loss or a non-finite EMA value and tells the UI at once.
    func diverge(at iteration: Int, reason: String) {
        diverged = true
        paused = true
        chunk = LossChunk()
        snapshot.iteration = iteration
        let advice = trainer?.divergenceAdvice ?? "try a lower --lr"
        snapshot.divergence = "training diverged at iteration \(iteration) (\(reason)): press r to reset (\(advice))"
        note(snapshot.divergence!)
        maybePublish(force: true)
    }

    /// True when no value of `values` is NaN or infinite (0 * v is NaN exactly for those).
    func allFinite(_ values: [Float]) -> Bool {
        values.withUnsafeBufferPointer { p in
            var probe: Float = 0
            for v in p { probe += v * 0 }
            return probe == 0
        }
    }

    func makePictures() {
        let start = ContinuousClock.now
        var waitingForTruth = false
        defer {
            let spent = ContinuousClock.now - start
            lastPictures = ContinuousClock.now
            needPictures = waitingForTruth  // again soon while the exact flow is on its way
            pictureWait = max(.milliseconds(250), spent * ((1 - settings.pictureShare) / settings.pictureShare))
        }
        guard let builder, !diverged else { return }
        if let race {
            snapshot.race = RaceVisuals(
                steps: steps, bounds: builder.bounds, noiseFloor: builder.noiseFloor,
                panels: race.panels(builder: builder, steps: steps))
            maybePublish(force: true)
            return
        }
        let model: Model
        if let trainer {
            guard allFinite(trainer.ema) else {
                return diverge(at: iterationOffset + trainer.iteration, reason: "EMA weights not finite")
            }
            model = Model(trainer: trainer)
        } else {
            return
        }
        var truth: TruthField?
        if view.needsExactFlow, let dataset {
            truth = truths.field(name: datasetName, dataset: dataset, seed: settings.seed, bounds: builder.bounds)
            waitingForTruth = truth == nil
        }
        snapshot.visuals = builder.build(
            model: model, method: method, steps: steps, iteration: snapshot.iteration, truth: truth, views: [view])
        maybePublish(force: true)
    }

    func maybePublish(force: Bool) {
        let now = ContinuousClock.now
        guard force || now - lastPublish >= .milliseconds(100) else { return }
        let elapsed = now - rateStart
        if elapsed >= .milliseconds(500) || paused {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            snapshot.iterationsPerSecond = paused || seconds <= 0 ? 0 : Double(rateSteps) / seconds
            rateStart = now
            rateSteps = 0
        }
        // Nothing trains after a failed start: the status bar must not say "running".
        snapshot.running = !paused && (trainer != nil || teacherTrainer != nil || race != nil)
        if teacherTrainer == nil { snapshot.phase = nil }
        lastPublish = now
        worker.publish(snapshot)
    }

    /// Reflow (Liu et al. 2022, `f`): the current model's EMA weights make
    /// ``TrainingWorker/reflowPairs`` pairs
    /// (x0, X(x0, 0, 1)) and a new trainer of the next round starts from those weights and trains
    /// on them; the iteration count and the loss history go on.
    func reflow() {
        guard let trainer, !diverged, trainer.config.method.definition.supportsReflow else {
            note(trainer == nil ? "nothing to reflow yet" : "reflow applies to flow matching only")
            return maybePublish(force: true)
        }
        let source = trainer.checkpoint()
        var config = trainer.config
        config.coupling = .independent
        config.reflowPairs = TrainingWorker.reflowPairs
        do {
            try config.reflow(from: source)
            note("reflow \(config.reflowRound): making \(config.reflowPairs) pairs")
            maybePublish(force: true)
            guard let dataset else { return }
            let next = try Trainer(config: config, dataset: dataset, reflowSource: source)
            iterationOffset += trainer.iteration
            self.trainer = next
            snapshot.reflowStarts.append(iterationOffset)
            note("reflow \(config.reflowRound): training on its own pairs")
        } catch {
            note("error: \(error)")
        }
        needPictures = true
        maybePublish(force: true)
    }

    /// The notice of a failed write to `path`: the reason first, so that a status bar that cuts
    /// the line still says why ("save failed: cannot write (Read-only file system): NAME").
    static func failure(_ what: String, _ path: String, _ error: any Error) -> String {
        let text = "\(error)"
        let prefix = SafeText.escaped(path, limit: 240) + ": "
        guard text.hasPrefix(prefix) else { return "\(what) failed: \(text)" }
        return "\(what) failed: \(text.dropFirst(prefix.count)): \(SafeText.escaped(path, limit: 60))"
    }

    func note(_ text: String) {
        snapshot.message = text
        snapshot.messageSerial += 1
    }

    func handle(_ command: WorkerCommand) {
        switch command {
        case .setPaused(let value):
            if diverged {
                note(snapshot.divergence ?? "training diverged: press r to reset")
                maybePublish(force: true)
                return
            }
            paused = value
            rateStart = .now
            rateSteps = 0
            maybePublish(force: true)
        case .reset:
            if diverged {
                diverged = false
                paused = false
            }
            restart()
        case .configure(let newMethod, let dataset):
            method = newMethod
            datasetName = dataset
            racing = false
            restart()
        case .race(let dataset, let newLineup):
            datasetName = dataset
            lineup = newLineup
            racing = true
            restart()
        case .setView(let kind):
            view = kind
            needPictures = true
        case .setCoupling(let value):
            coupling = value
            if !racing { restart() }
        case .setSteps(let k):
            steps = max(1, min(4096, k))
            needPictures = true
        case .reflow:
            reflow()
        case .save(let path):
            if let trainer {
                do {
                    var checkpoint = trainer.checkpoint()
                    checkpoint.iterations += iterationOffset
                    try checkpoint.write(to: path, inputs: settings.inputs)
                    note("saved \(path)")
                } catch {
                    note(Self.failure("save", path, error))
                }
            } else {
                note(race != nil ? "s saves one method's run: leave the race with 1-4 or m first" : "nothing to save yet")
            }
            maybePublish(force: true)
        case .export(let path, let contents):
            do {
                try AtomicFile.write(Data(contents.utf8), to: path, inputs: settings.inputs)
                note("wrote \(path)")
            } catch {
                note(Self.failure("export", path, error))
            }
            maybePublish(force: true)
        }
    }
}
