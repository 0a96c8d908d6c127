import FlowCore
import Foundation

/// The training worker's work without its thread: it owns the `Trainer` (the live weights), follows
/// the UI's newest ``WorkerRequest`` and makes the ``Snapshot``s it publishes. Tests drive it with
/// ``advance(request:now:)`` on a clock of their own; ``TrainingWorker`` drives it on a thread.
///
/// Each `advance` trains at most one iteration (none while paused, except the single steps the
/// request asks for, and at most the slow-motion rate) and makes pictures when they are due:
/// at most `pictureShare` of the time (after a picture that took s seconds the next waits at
/// least s / share - s, and at least 0.25 s), so training keeps about 95% of its headless rate;
/// at once when the request changed what they show (the view, K, the focus) or after a single
/// step. Only the pictures of the requested view are made.
///
/// Pictures use the EMA weights, except after a single step and in slow motion, where they use the
/// live weights (one Adam step moves the EMA weights by a thousandth of what it moves the live
/// ones): ``Snapshot/liveWeights`` says which.
///
/// Consistency distillation needs a flow-matching teacher: unless `--load` gave one, the session
/// first trains one for `teacherIterations` steps (shown as the phase) and keeps it per dataset.
///
/// Divergence: when a step's loss is not finite, or the EMA weights hold a non-finite value
/// (checked every ``LossRecord/chunk`` steps and before every picture), the session stops
/// training, keeps the last good pictures, and publishes ``Snapshot/divergence`` at once. Only a
/// new run (`r`: a new ``RunKey/resets``) trains again.
public final class TrainingSession {
    let settings: WorkerSettings
    let truths: TruthCache
    /// The snapshot as it stands.
    public private(set) var snapshot: Snapshot
    /// True when the last `advance` trained nothing (a thread may sleep a little).
    public private(set) var idle = false
    /// The request followed, nil before the first.
    private var request: WorkerRequest?
    private var now = 0.0
    private var diverged = false
    private var trainer: Trainer?
    /// The iterations of the `--load`ed checkpoint the run started from: the run's count goes on
    /// from there (on screen and in a saved checkpoint).
    private var iterationOffset = 0
    private var teacherTrainer: Trainer?
    private var race: Race?
    private var teachers: [String: Checkpoint] = [:]
    private var builder: VisualsBuilder?
    private var dataset: Dataset?
    private var losses = LossRecord()
    /// The request's single steps already taken.
    private var singleStepsTaken = 0
    /// Whether the pictures show the live weights (a single step was taken in this pause, or slow motion).
    private var liveWeights = false
    private var needPictures = true
    private var lastPictures = -Double.infinity
    private var pictureWait = 0.25
    private var nextSlowStep = -Double.infinity
    private var publishNow = true
    private var lastPublish = -Double.infinity
    private var rateStart = 0.0
    private var rateSteps = 0

    /// A session with no run yet: the first request starts one. The exact flows of the truth views
    /// come from `truths` (a synchronous cache in tests).
    public init(settings: WorkerSettings, truths: TruthCache = TruthCache()) {
        self.settings = settings
        self.truths = truths
        snapshot = Snapshot(method: .fm, dataset: "", seed: 0)
    }

    /// Follows `request` and does one unit of work at `now` (seconds on the caller's clock): a new
    /// run key restarts the run; then at most one training iteration and, when due, new pictures.
    /// Returns the snapshot to publish, or nil when nothing needs publishing yet (at most every
    /// 100 ms unless something the UI must see at once happened).
    @discardableResult
    public func advance(request: WorkerRequest, now: Double) -> Snapshot? {
        self.now = now
        follow(request)
        let trainable = !diverged && (trainer != nil || teacherTrainer != nil || race != nil)
        var train = false
        if !trainable {
            singleStepsTaken = request.singleSteps
        } else if request.paused {
            if singleStepsTaken < request.singleSteps {
                singleStepsTaken += 1
                train = true
            }
        } else {
            singleStepsTaken = request.singleSteps
            if let rate = request.speed.iterationsPerSecond {
                if now >= nextSlowStep {
                    // One step a period, from the last step's slot unless more than a period late.
                    let period = 1 / Double(rate)
                    nextSlowStep = (now - nextSlowStep < period ? nextSlowStep : now) + period
                    train = true
                }
            } else {
                train = true
            }
        }
        let slow = train && (request.paused || request.speed != .full)
        if slow {
            liveWeights = true
            needPictures = true
        }
        if train { trainOneStep() }
        idle = !train
        let sincePictures = now - lastPictures
        let training = trainable && !request.paused
        if needPictures && (!training || slow || sincePictures >= 0.15) || (training && sincePictures >= pictureWait) {
            makePictures()
        }
        return publishable()
    }

    /// Does what only the live weights can: `s` saves them, `f` reflows the flow-matching model.
    /// Returns the snapshot that says how it went.
    @discardableResult
    public func perform(_ command: WorkerCommand, now: Double) -> Snapshot? {
        self.now = now
        switch command {
        case .save(let path): save(to: path)
        case .reflow: reflow()
        }
        return publishable()
    }

    // MARK: Following the request

    private func follow(_ new: WorkerRequest) {
        let old = request
        request = new
        if old?.run != new.run {
            restart(new)
            return
        }
        if old?.needs != new.needs || old?.steps != new.steps || old?.focus != new.focus {
            needPictures = true
            if old?.focus != new.focus { syncRaceSnapshot() }
        }
        if old?.paused != new.paused || old?.speed != new.speed {
            rateStart = now
            rateSteps = 0
            publishNow = true
            // Back at full speed the pictures show the EMA weights again.
            if !new.paused && new.speed == .full && liveWeights {
                liveWeights = false
                needPictures = true
            }
        }
    }

    private func restart(_ request: WorkerRequest) {
        let run = request.run
        diverged = false
        trainer = nil
        iterationOffset = 0
        teacherTrainer = nil
        race = nil
        losses = LossRecord()
        singleStepsTaken = request.singleSteps
        liveWeights = false
        nextSlowStep = -Double.infinity
        let serial = snapshot.messageSerial
        snapshot = Snapshot(run: run, focus: request.focus)
        snapshot.messageSerial = serial
        rateStart = now
        rateSteps = 0
        needPictures = true
        publishNow = true
        do {
            let dataset = try run.makeDataset()
            self.dataset = dataset
            builder = VisualsBuilder(dataset: dataset, count: settings.pictureCount, seed: run.seed)
            switch run.subject {
            case .race(let lineup):
                race = try Race(
                    dataset: dataset, seed: run.seed, learningRate: run.learningRate, threads: run.threads,
                    joinAfter: settings.teacherIterations, lineup: lineup)
                syncRaceSnapshot()
            case .method(let method):
                try startTrainer(method, run: run, dataset: dataset)
            }
        } catch {
            note("error: \(error)")
        }
    }

    private func startTrainer(_ method: Method, run: RunKey, dataset: Dataset) throws {
        var config = TrainingConfig.openEnded(method, seed: run.seed, learningRate: run.learningRate, threads: run.threads)
        config.coupling = run.coupling
        let initial = settings.initial.flatMap { $0.method == method && $0.dataset == run.dataset ? $0 : nil }
        iterationOffset = initial?.iterations ?? 0
        snapshot.iteration = iterationOffset
        // A run that continues a checkpoint, or distils one, has its network shape.
        if let source = initial ?? method.definition.teacher.flatMap(teacherCheckpoint) { config.useShape(of: source) }
        if let teacherMethod = method.definition.teacher {
            if let teacher = teacherCheckpoint(teacherMethod) {
                trainer = try Trainer(config: config, dataset: dataset, teacher: teacher, initial: initial)
            } else {
                let teacherConfig = TrainingConfig.openEnded(
                    teacherMethod, seed: run.seed, learningRate: nil, threads: run.threads, asTeacher: true)
                teacherTrainer = try Trainer(config: teacherConfig, dataset: dataset)
                snapshot.phase = teacherPhase(0)
            }
        } else {
            trainer = try Trainer(config: config, dataset: dataset, initial: initial)
        }
    }

    /// The method of a single run.
    private var method: Method {
        if case .method(let method) = snapshot.run.subject { return method }
        return snapshot.method
    }

    /// A teacher of `teacherMethod` on this dataset: `--load`ed, or trained here earlier.
    private func teacherCheckpoint(_ teacherMethod: Method) -> Checkpoint? {
        let name = snapshot.run.dataset
        if let loaded = settings.initial, loaded.method == teacherMethod, loaded.dataset == name { return loaded }
        return teachers[name]
    }

    /// The steps the teacher trains before the method.
    private var teacherLength: Int { settings.teacherIterations ?? method.definition.teacherIterations }

    /// The status line while the teacher trains.
    private func teacherPhase(_ iteration: Int) -> String {
        "\(method.rawValue): training a \(method.definition.teacher?.rawValue ?? "") teacher \(iteration)/\(teacherLength)"
    }

    // MARK: Training

    private func trainOneStep() {
        if let teacher = teacherTrainer {
            teacher.step()
            rateSteps += 1
            if teacher.iteration % 50 == 0 { snapshot.phase = teacherPhase(teacher.iteration) }
            if teacher.iteration >= teacherLength, let request {
                teachers[snapshot.run.dataset] = teacher.checkpoint()
                teacherTrainer = nil
                restart(request)  // the method itself now, with this teacher
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
            syncRaceSnapshot()
            return
        }
        guard let trainer else { return }
        let report = trainer.step()
        rateSteps += 1
        if let reason = trainer.divergence(report) { return diverge(at: iterationOffset + trainer.iteration, reason: reason) }
        if losses.add(report) {
            losses.write(into: &snapshot)
            if !allFinite(trainer.ema) {
                return diverge(at: iterationOffset + trainer.iteration, reason: "EMA weights not finite")
            }
        }
        snapshot.iteration = iterationOffset + trainer.iteration
    }

    /// The focused racer's iteration, losses and state in the snapshot (the race's lead iteration
    /// when no racer is focused).
    private func syncRaceSnapshot() {
        guard let race, let request else { return }
        snapshot.focus = request.focus
        guard let focus = request.focus else {
            snapshot.iteration = race.leadIteration
            snapshot.phase = nil
            return
        }
        snapshot.method = focus
        guard let racer = race.racer(focus) else {
            snapshot.iteration = 0
            snapshot.phase = race.waitingLabel(focus)
            return
        }
        snapshot.iteration = racer.trainer.iteration
        snapshot.phase = racer.divergence.map { "\(focus.rawValue) stopped: \($0)" }
        racer.losses.write(into: &snapshot)
    }

    /// Stops training after a blown-up loss or a non-finite EMA value and tells the UI at once.
    private func diverge(at iteration: Int, reason: String) {
        diverged = true
        losses.dropChunk()
        snapshot.iteration = iteration
        let advice = trainer?.divergenceAdvice ?? "try a lower --lr"
        let text = "training diverged at iteration \(iteration) (\(reason)): press r to reset (\(advice))"
        snapshot.divergence = text
        note(text)
    }

    /// True when no value of `values` is NaN or infinite (0 * v is NaN exactly for those).
    private func allFinite(_ values: [Float]) -> Bool {
        values.withUnsafeBufferPointer { p in
            var probe: Float = 0
            for v in p { probe += v * 0 }
            return probe == 0
        }
    }

    // MARK: Pictures

    private func makePictures() {
        let start = ContinuousClock.now
        var waitingForTruth = false
        defer {
            let spent = Double(milliseconds(ContinuousClock.now - start)) / 1000
            lastPictures = now
            needPictures = waitingForTruth  // again soon while the exact flow is on its way
            pictureWait = max(0.25, spent * ((1 - settings.pictureShare) / settings.pictureShare))
        }
        guard let builder, let request, !diverged else { return }
        publishNow = true
        snapshot.liveWeights = liveWeights
        if let race, request.focus == nil {
            snapshot.race = RaceVisuals(
                steps: request.steps, bounds: builder.bounds, noiseFloor: builder.noiseFloor,
                panels: race.panels(builder: builder, steps: request.steps, useEMA: !liveWeights))
            return
        }
        let source: Trainer
        if let race, let focus = request.focus {
            guard let racer = race.racer(focus) else { return }
            source = racer.trainer
        } else if let trainer {
            guard allFinite(trainer.ema) else {
                return diverge(at: iterationOffset + trainer.iteration, reason: "EMA weights not finite")
            }
            source = trainer
        } else {
            return
        }
        let model = Model(trainer: source, useEMA: !liveWeights)
        var truth: TruthField?
        guard case .model(let extras) = request.needs else { return }
        if !extras.isEmpty, let dataset {
            let run = snapshot.run
            truth = truths.field(name: run.truthName, dataset: dataset, seed: run.seed, bounds: builder.bounds)
            waitingForTruth = truth == nil
        }
        snapshot.visuals = builder.build(
            model: model, method: source.config.method, steps: request.steps, iteration: snapshot.iteration, truth: truth,
            extras: extras)
    }

    // MARK: Publishing

    /// The snapshot with its rate and state brought up to date, when it is due.
    private func publishable() -> Snapshot? {
        guard publishNow || now - lastPublish >= 0.1 else { return nil }
        let paused = request?.paused ?? false
        let elapsed = now - rateStart
        if elapsed >= 0.5 || paused {
            snapshot.iterationsPerSecond = paused || elapsed <= 0 ? 0 : Double(rateSteps) / elapsed
            rateStart = now
            rateSteps = 0
        }
        // Nothing trains after a failed start or a divergence: the status bar must not say "running".
        snapshot.running = !paused && !diverged && (trainer != nil || teacherTrainer != nil || race != nil)
        if teacherTrainer == nil && race == nil { snapshot.phase = nil }
        publishNow = false
        lastPublish = now
        return snapshot
    }

    private func note(_ text: String) {
        snapshot.message = text
        snapshot.messageSerial += 1
        publishNow = true
    }

    // MARK: Commands

    private func save(to path: String) {
        let source: (trainer: Trainer, offset: Int)?
        if let race {
            source = request?.focus.flatMap { race.racer($0) }.map { ($0.trainer, 0) }
        } else {
            source = trainer.map { ($0, iterationOffset) }
        }
        guard let source else {
            return note(race != nil ? "s saves one method's run: press 1-4 to study one racer first" : "nothing to save yet")
        }
        do {
            var checkpoint = source.trainer.checkpoint()
            checkpoint.iterations += source.offset
            try checkpoint.write(to: path, inputs: settings.inputs)
            note("saved \(path)")
        } catch {
            note(Self.failure("save", path, error))
        }
    }

    /// Reflow (Liu et al. 2022, `f`): the current model's EMA weights make
    /// ``TrainingWorker/reflowPairs`` pairs (x0, X(x0, 0, 1)) and a new trainer of the next
    /// round starts from those weights and trains on them; the iteration count and the loss history
    /// go on.
    private func reflow() {
        guard let trainer, !diverged, trainer.config.method.definition.supportsReflow else {
            return note(trainer == nil ? "nothing to reflow yet" : "reflow applies to flow matching only")
        }
        let source = trainer.checkpoint()
        var config = trainer.config
        config.coupling = .independent
        config.reflowPairs = TrainingWorker.reflowPairs
        do {
            try config.reflow(from: source)
            guard let dataset else { return }
            let next = try Trainer(config: config, dataset: dataset, reflowSource: source)
            iterationOffset += trainer.iteration
            self.trainer = next
            snapshot.reflowStarts.append(iterationOffset)
            note("reflow \(config.reflowRound): training on its own \(config.reflowPairs) pairs")
        } catch {
            note("error: \(error)")
        }
        needPictures = true
    }

    /// The notice of a failed write to `path`: the reason first, so that a status bar that cuts
    /// the line still says why ("save failed: cannot write (Read-only file system): NAME").
    static func failure(_ what: String, _ path: String, _ error: any Error) -> String {
        let text = "\(error)"
        let prefix = SafeText.escaped(path, limit: 240) + ": "
        guard text.hasPrefix(prefix) else { return "\(what) failed: \(text)" }
        return "\(what) failed: \(text.dropFirst(prefix.count)): \(SafeText.escaped(path, limit: 60))"
    }
}
