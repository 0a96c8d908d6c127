import TerminalCanvas

/// Trajectories: fine paths from noise to data (the model's PF-ODE, or the exact flow for a model
/// without a velocity) with the main sampler's K jumps over them.
struct TrajectoriesView: ModelViewDefinition {
    let name = "Trajectories"
    let needs = ViewNeeds.model(extras: [])

    func title(_ state: AppState, steps: Int) -> String { "Trajectories: noise to data" }

    func figure(_ context: FigureBuilder, _ v: Visuals, title: String, stale: String) -> Figure {
        let jumps = v.sampler == .euler ? "Euler" : v.sampler.name
        let starts = v.paths.filter { $0.count >= 2 }.flatMap { $0.prefix(2) }
        return Figure(
            title: title,
            legend: [
                .init(series: 2, text: "noise start (t=0)", marker: true), .init(series: 0, text: "fine path to the data (t=1)"),
                .init(series: 1, text: "\(jumps) K=\(v.steps) jumps"),
            ],
            panels: context.single(
                v,
                [
                    .polylines(id: "paths", series: 0, v.paths), .polylines(id: "jumps", series: 1, v.jumps),
                    .markers(id: "starts", series: 2, starts),
                ]),
            columns: 1,
            caption:
                "\(v.paths.count) paths of \(v.pathsSource), each from its noise start (\(PlotCanvas.markerGlyph(ascii: context.state.ascii))) to the data; straight segments: the "
                + "\(v.sampler.name) sampler's K=\(v.steps) steps\(straightness(v))" + stale)
    }

    /// "; straightness S=1.904 (0: straight lines)" once S is measured (``AppState/straightnessFrom``), else "".
    private func straightness(_ v: Visuals) -> String {
        guard let s = v.straightness, v.iteration >= AppState.straightnessFrom else { return "" }
        return "; straightness S=\(format(s, 3)) (0: straight lines)"
    }
}
