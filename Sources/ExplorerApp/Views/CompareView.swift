/// Compare: the method's two samplers side by side from the same noise (``MethodDefinition/comparePair(steps:)``),
/// each with its SW2 to the data.
struct CompareView: ModelViewDefinition {
    let name = "Compare"
    let needs = ViewNeeds.model(extras: [])

    func title(_ state: AppState, steps: Int) -> String {
        "Compare: "
            + state.method.definition.comparePair(steps: steps).map { $0.sampler.label(steps: $0.steps) }
            .joined(separator: " vs ")
    }

    func figure(_ context: FigureBuilder, _ v: Visuals, title: String, stale: String) -> Figure {
        let panels = v.compare.prefix(2).enumerated().map { i, panel in
            Figure.Panel(
                header: panel.label, headerSeries: i + 1, footer: context.sw2Footer(panel.sw2, floor: v.noiseFloor, decimals: 4),
                bounds: v.bounds,
                layers: [.points(id: "samples-\(i + 1)", series: i + 1, panel.points)])
        }
        return Figure(
            title: title, legend: [], panels: panels, columns: 2,
            caption:
                "model samples only (view 1 shows the data); SW2 to the data, lower is better, the floor is two data sets' own; \(context.state.method.definition.compareNote)"
                + stale)
    }
}
