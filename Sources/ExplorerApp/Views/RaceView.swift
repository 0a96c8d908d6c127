import TerminalCanvas

/// Race: every racer of the lineup trained in turn, one panel each of its samples at K from the
/// same noise, with its SW2 and iteration count. Showing it trains the race (``ViewNeeds/race``).
struct RaceView: ViewDefinition {
    let name = "Race"
    let needs = ViewNeeds.race
    let lossNote: [String]? = [
        "the race trains every method in turn; a racer whose SW2 stopped falling rests (1 round in 4)",
        "press 1-4 to study one racer as the race goes on (5 comes back), m to train it alone",
    ]

    func title(_ state: AppState, steps: Int) -> String { "Race: \(state.raceLineup.title) from the same noise, K=\(steps)" }

    func figure(_ context: FigureBuilder, title: String) -> Figure {
        let state = context.state
        guard let race = state.snapshot?.race else { return context.waiting(title) }
        let panels = race.panels.enumerated().map { i, panel in
            // Series 1 up to the canvas's last one, then round again: each panel is a canvas of its own.
            let series = 1 + i % (PlotCanvas.maxSeries - 1)
            return Figure.Panel(
                header: panel.label, headerSeries: series,
                footer: panel.sw2.isFinite
                    ? context.sw2Footer(
                        panel.sw2, floor: race.noiseFloor, decimals: 3, note: panel.resting ? "resting" : nil)
                        + "  it \(panel.iteration)" : "waiting",
                bounds: race.bounds,
                layers: [.points(id: "samples-\(i + 1)", series: series, panel.points)])
        }
        let stale = context.stale(shownSteps: race.steps)
        return Figure(
            title: title, legend: [], panels: panels, columns: panels.count > 6 ? 4 : min(3, max(1, panels.count)),
            caption:
                "same noise for every method; SW2 to the data, lower is better (floor: two data sets' own); + and - change K for all\(stale)"
        )
    }
}
