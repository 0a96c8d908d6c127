import FlowCore
import TerminalCanvas

/// Something that happened: the input of `update`.
public enum Message: Sendable {
    /// A key press.
    case key(Key)
    /// The terminal has a new size.
    case resize(Size)
    /// The worker published a snapshot.
    case snapshot(Snapshot)
    /// The clock: seconds since the UI started (the run loop sends it every turn).
    case tick(seconds: Double)
}

/// Something `update` asks the run loop to do.
public enum Effect: Equatable, Sendable {
    /// Send this command to the training worker.
    case worker(WorkerCommand)
}

/// Commands the UI sends to the training worker.
public enum WorkerCommand: Equatable, Sendable {
    /// Pause (true) or resume (false) training.
    case setPaused(Bool)
    /// Restart training from scratch with the same seed.
    case reset
    /// Start a new run with this method and dataset (same seed).
    case configure(method: Method, dataset: String)
    /// Start a race of the lineup's methods on this dataset (same seed).
    case race(dataset: String, lineup: RaceLineup)
    /// The view on screen (the worker computes the pictures it needs).
    case setView(ViewKind)
    /// Pair noise and data this way from now on, restarting the run.
    case setCoupling(Coupling)
    /// Use K sampling steps for the pictures.
    case setSteps(Int)
    /// Reflow (Liu et al. 2022): make pairs (x0, X(x0, 0, 1)) from the current flow-matching model's
    /// EMA weights and go on training on them, the next round.
    case reflow
    /// Write a checkpoint of the current weights to this path.
    case save(path: String)
    /// Write `contents` (an SVG picture of the current view) to this path, atomically.
    case export(path: String, contents: String)
}
