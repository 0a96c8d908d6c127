import FlowCore

/// Everything the UI wants from the training worker, derived from the state alone by
/// ``init(_:)``: the run loop posts it after every `update`, newest wins (the mirror of the
/// snapshot mailbox), and ``TrainingSession/advance(request:now:)`` follows it.
public struct WorkerRequest: Equatable, Sendable {
    /// The run to train; a new key starts it from scratch.
    public var run: RunKey
    /// In a race, the racer whose model the views of one method show (nil: the race view's panels).
    public var focus: Method?
    /// What the view on screen needs: the worker computes only those pictures.
    public var needs: ViewNeeds
    /// K for the pictures (in ``Sampler/stepRange``).
    public var steps: Int
    /// Training is paused.
    public var paused: Bool
    /// How many single steps (`.`) the UI has asked for since it started: while paused, the
    /// worker trains one iteration for each it has not yet taken.
    public var singleSteps: Int
    /// Slow motion or full speed.
    public var speed: TrainingSpeed

    /// The request of `state`.
    public init(_ state: AppState) {
        run = RunKey(state)
        focus = state.focus
        needs = state.view.needs
        steps = state.steps
        paused = state.paused
        singleSteps = state.singleSteps
        speed = state.speed
    }
}
