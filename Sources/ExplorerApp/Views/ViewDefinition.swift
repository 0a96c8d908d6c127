/// What a view asks the training worker for (``WorkerRequest/needs``).
public enum ViewNeeds: Hashable, Sendable {
    /// Every racer's samples at K from the same noise (``RaceVisuals``): showing it trains the race.
    case race
    /// One model's pictures (``Visuals``): the samples, paths and compare panels always, and the
    /// `extras` drawn against the exact flow only for the views that show them.
    case model(extras: Set<Visuals.Extra>)
}

/// One view of the explorer, whole: the name on its tab, what it needs from the worker, the title
/// in its border and how it builds its ``Figure`` (which the terminal and the SVG writer both draw).
/// ``ViewKind/definition`` maps each case to its definition.
protocol ViewDefinition: Sendable {
    /// The name on the tab bar.
    var name: String { get }
    /// What the worker computes for this view.
    var needs: ViewNeeds { get }
    /// The title in the view's border, for the pictures on screen at K = `steps`.
    func title(_ state: AppState, steps: Int) -> String
    /// The view's figure from `context.state`'s snapshot (a waiting figure until it has what it
    /// needs), under `title`.
    func figure(_ context: FigureBuilder, title: String) -> Figure
    /// What the loss panel says instead of the run's losses (nil: the losses).
    var lossNote: [String]? { get }
}

extension ViewDefinition {
    var lossNote: [String]? { nil }
}

/// A view of one model's pictures (``Visuals``).
protocol ModelViewDefinition: ViewDefinition {
    /// The figure of `visuals`; `stale` is the caption's note while K changes (else "").
    func figure(_ context: FigureBuilder, _ visuals: Visuals, title: String, stale: String) -> Figure
}

extension ModelViewDefinition {
    func figure(_ context: FigureBuilder, title: String) -> Figure {
        guard let visuals = context.state.snapshot?.visuals else { return context.waiting(title) }
        return figure(context, visuals, title: title, stale: context.stale(shownSteps: visuals.steps))
    }
}
