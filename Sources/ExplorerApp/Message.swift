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
    /// The run loop performed an effect and says how it went ("wrote NAME", "export failed: ...").
    case notice(String)
}

/// Something `update` asks the run loop to do. What the worker trains and draws is not an
/// effect: it follows from the state (``WorkerRequest``).
public enum Effect: Equatable, Sendable {
    /// Send this command to the training worker.
    case worker(WorkerCommand)
    /// Write the current view as an SVG picture (``SVGExport``) to this path, through the one safe
    /// write path.
    case exportView(path: String)
    /// A tour step opened: append its speaker notes to the notes file (`--notes FILE`), if any.
    case tourNotes(step: Int)
    /// Write these points (interleaved [N, 2]) as a CSV to this path (`W`).
    case writePoints([Float], path: String)
}

/// What only the training worker can do, because it needs the live weights.
public enum WorkerCommand: Equatable, Sendable {
    /// Reflow (Liu et al. 2022): make pairs (x0, X(x0, 0, 1)) from the current flow-matching model's
    /// EMA weights and go on training on them, the next round.
    case reflow
    /// Write a checkpoint of the current weights (a focused racer's in a race) to this path.
    case save(path: String)
}
