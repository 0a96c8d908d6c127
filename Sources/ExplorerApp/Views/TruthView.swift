import FlowCore

/// Truth: a heat map over the noise of how far the method's K-step jump lands from the exact flow's
/// end, exact paths over it, and a probe (arrows, or a click) that reads one start out.
struct TruthView: ModelViewDefinition {
    let name = "Truth"
    let needs = ViewNeeds.model(extras: [.truth])

    func title(_ state: AppState, steps: Int) -> String { "Truth: the jump error against the exact flow, K=\(steps)" }

    func figure(_ context: FigureBuilder, _ v: Visuals, title: String, stale: String) -> Figure {
        guard let truth = v.truth else { return context.computingExactFlow(title) }
        var layers: [Figure.Layer] = [.heat(truth.heat), .polylines(id: "exact-paths", series: 0, truth.exactPaths)]
        var footer = "move the probe with the arrow keys or h/j/k/l"
        if let probe = context.state.probeReading {
            layers += [
                .polylines(id: "probe-exact-path", series: 2, [probe.exactPath]),
                .polylines(id: "probe-jumps", series: 1, [probe.jumps]),
                .markers(id: "probe", series: 3, [probe.start.x, probe.start.y]),
            ]
            footer =
                "probe x0=\(point(probe.start)): exact end \(point(probe.exactEnd)), \(truth.sampler.name) K=\(truth.steps) end "
                + "\(point(probe.modelEnd)), error \(format(Double(probe.error), 3))"
        }
        let name = "\(truth.sampler.name) K=\(truth.steps)"
        return Figure(
            title: title,
            legend: [
                .init(series: 0, text: "exact path"), .init(series: 3, text: "probe x0", marker: true),
                .init(series: 2, text: "probe's exact path"), .init(series: 1, text: "\(name) jumps"),
            ],
            panels: [
                Figure.Panel(
                    header:
                        "shade: |\(name) end - exact end| from each x0, 0 dark to \(format(Double(truth.heat.scale), 2)) light; mean \(format(truth.mean, 3))",
                    headerSeries: 1, footer: footer, bounds: v.bounds, layers: layers)
            ],
            columns: 1,
            caption: "where the method's \(name) lands against the exact flow, from every starting noise x0" + stale)
    }

    private func point(_ p: SIMD2<Float>) -> String {
        "(\(format(Double(p.x), 2)), \(format(Double(p.y), 2)))"
    }
}
