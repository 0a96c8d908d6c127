import FlowCore
import Foundation
import Synchronization

/// What the run loop needs from a worker; tests use a fake.
public protocol TrainingLink: AnyObject {
    /// Posts the UI's newest wishes; a newer request replaces one not yet seen. Never blocks for long.
    func post(_ request: WorkerRequest)
    /// Queues a command that needs the live weights; never blocks for long.
    func send(_ command: WorkerCommand)
    /// The newest snapshot published since the last call, or nil.
    func takeSnapshot() -> Snapshot?
}

/// Settings of a training worker that no request changes.
public struct WorkerSettings: Sendable {
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
    /// The files the run reads (`--load`, a CSV dataset): `s` never writes over them.
    public var inputs: [String] = []

    public init(initial: Checkpoint? = nil) { self.initial = initial }
}

extension TrainingConfig {
    /// The UI's run of `method` (the worker's, the teacher's, each racer's): open-ended
    /// (``makeOpenEnded(asTeacher:)``), with the seed, and the learning rate and threads when given. The
    /// cd teacher of a single-method run trains with its own default rate (in the race, cd's
    /// teacher is the fm racer, with the given rate).
    static func openEnded(
        _ method: Method, seed: UInt64, learningRate: Float?, threads: Int?, asTeacher: Bool = false
    ) -> TrainingConfig {
        var config = TrainingConfig(method: method)
        config.seed = seed
        config.makeOpenEnded(asTeacher: asTeacher)
        if let learningRate { config.learningRate = learningRate }
        if let threads { config.threads = threads }
        return config
    }
}

/// The training thread: advances a ``TrainingSession`` with the newest ``WorkerRequest``, runs
/// the commands that need the live weights, and publishes the session's snapshots through a
/// `Mutex` (newest wins). The UI never waits on it.
public final class TrainingWorker: TrainingLink, Sendable {
    private let requests = Mutex<WorkerRequest?>(nil)
    private let commands = Mutex<[WorkerCommand]>([])
    private let latest = Mutex<Snapshot?>(nil)
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let settings: WorkerSettings

    public init(settings: WorkerSettings) { self.settings = settings }

    /// The pairs a reflow round of the UI makes (about a second on one core; `train --reflow`
    /// makes ``TrainingConfig/defaultReflowPairs``, and 1,024 already do on moons, docs/recipes.md).
    public static let reflowPairs = 8192

    /// Starts the thread; it trains once the first request is posted.
    public func start() {
        let thread = Thread { [self] in
            run()
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

    public func post(_ request: WorkerRequest) { requests.withLock { $0 = request } }

    public func send(_ command: WorkerCommand) { commands.withLock { $0.append(command) } }

    public func takeSnapshot() -> Snapshot? {
        latest.withLock { s in
            defer { s = nil }
            return s
        }
    }

    private func run() {
        let session = TrainingSession(settings: settings)
        let clock = ContinuousClock()
        let started = clock.now
        var request: WorkerRequest?
        while !stopping.load(ordering: .acquiring) {
            if let newer = requests.withLock({ r in
                defer { r = nil }
                return r
            }) {
                request = newer
            }
            guard let request else {
                Thread.sleep(forTimeInterval: 0.005)
                continue
            }
            let seconds = { milliseconds(clock.now - started) / 1000 }
            publish(session.advance(request: request, now: seconds()))
            let queued = commands.withLock { list in
                defer { list.removeAll(keepingCapacity: true) }
                return list
            }
            for command in queued { publish(session.perform(command, now: seconds())) }
            if session.idle { Thread.sleep(forTimeInterval: 0.005) }
        }
    }

    private func publish(_ snapshot: Snapshot?) {
        guard let snapshot else { return }
        latest.withLock { $0 = snapshot }
    }
}
