import FlowCore
import TerminalCanvas

/// Builds the `Figure` of the current view from the app state through the view's definition
/// (``ViewDefinition``, one file per view in `Views/`), and draw mode's; holds what the views share.
/// Series: 0 = data / true paths, 1 = model, 2 and 3 = markers (compare and race panels: 1, 2, ...).
struct FigureBuilder {
    let state: AppState

    /// The title in the view's border, at the K of the pictures on screen (`shownSteps`).
    static func title(_ state: AppState) -> String { state.view.definition.title(state, steps: shownSteps(state)) }

    /// The K of the pictures on screen: after `+` or `-` the old pictures stay until the worker
    /// has new ones, and titles and headers keep their K until then (the caption says "updating").
    static func shownSteps(_ state: AppState) -> Int {
        (state.view.showsRace ? state.snapshot?.race?.steps : state.snapshot?.visuals?.steps) ?? state.steps
    }

    /// The caption's note while the pictures on screen, at K = `shownSteps`, wait for the new K ("" once they have it).
    func stale(shownSteps: Int) -> String {
        shownSteps != state.steps ? " (updating to K=\(state.steps)...)" : ""
    }

    /// The footer of a panel of samples: its SW2 beside the noise floor of the pictures, or beside
    /// a `note` instead ("resting"), which the other panels' floor leaves room for.
    func sw2Footer(_ sw2: Double, floor: Double, decimals: Int, note: String? = nil) -> String {
        "SW2 \(format(sw2, decimals)) \(note ?? "(floor \(format(floor, decimals)))")"
    }

    /// The figure of `state.view`, or of draw mode while it is on.
    func build() -> Figure {
        if let drawing = state.drawing { return draw(drawing) }
        return state.view.definition.figure(self, title: Self.title(state))
    }

    /// Draw mode: the points drawn so far over the noise's plot, the keyboard's cursor, and with a
    /// second `w` the current data under them.
    private func draw(_ drawing: Drawing) -> Figure {
        var layers: [Figure.Layer] = []
        var legend: [Figure.LegendEntry] = []
        if drawing.showsData, let data = state.snapshot?.visuals?.data {
            layers.append(.points(id: "data", series: 0, data))
            legend.append(.init(series: 0, text: "current data (\(state.displayDataset))"))
        }
        layers.append(.points(id: "drawn", series: 1, drawing.points))
        layers.append(.markers(id: "cursor", series: 2, [drawing.cursor.x, drawing.cursor.y]))
        legend += [
            .init(series: 1, text: "drawn (\(drawing.points.count / 2) points)"), .init(series: 2, text: "cursor", marker: true),
        ]
        return Figure(
            title: "Draw your data: \(drawing.points.count / 2) points", legend: legend,
            panels: [.init(bounds: Drawing.bounds, layers: layers)], columns: 1,
            caption:
                "arrows or hjkl move the cursor, space (or the mouse) drops a brush of \(Drawing.brushPoints) points, backspace takes"
                + " one back, w shows the current data, Enter trains on the drawing, W writes it as a CSV, Esc leaves",
            placeholder: nil)
    }

    /// Until the worker's first snapshot for the view.
    func waiting(_ title: String) -> Figure {
        .waiting(
            title: title, caption: "waiting for the worker's first snapshot",
            lines: ["training has just started; the first pictures come in a moment"] + (state.snapshot?.phase.map { [$0] } ?? [])
        )
    }

    /// Until the exact flow of the data is ready (``TruthCache``).
    func computingExactFlow(_ title: String) -> Figure {
        .waiting(
            title: title, caption: "the exact flow is computed once per data set",
            lines: [
                "computing the exact flow of \(ExactFlow.defaultReferenceCount) data points (once per data set, beside training)..."
            ])
    }

    /// One panel of `layers` over the visuals' world rectangle.
    func single(_ visuals: Visuals, _ layers: [Figure.Layer], footer: String? = nil) -> [Figure.Panel] {
        [Figure.Panel(footer: footer, bounds: visuals.bounds, layers: layers)]
    }
}
