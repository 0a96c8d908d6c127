import FlowCore
import TerminalCanvas

/// Flow map: the (s, t) triangle of eighths as a heat map of the model's flow-map error against
/// the exact map (``FlowMapError``), t across (1/8 to 1) and s up (0 to 7/8), each cell centred on
/// its (t, s); the highlighted cell is outlined and read out in the caption.
struct FlowMapView: ModelViewDefinition {
    let name = "Flow map"
    let needs = ViewNeeds.model(extras: [.flowMap])

    func title(_ state: AppState, steps: Int) -> String { "Flow map: X(x_s, s, t) against the exact map, s < t" }

    func figure(_ context: FigureBuilder, _ v: Visuals, title: String, stale: String) -> Figure {
        let state = context.state
        guard let map = v.flowMap else { return context.computingExactFlow(title) }
        let heat = Self.heat(map)
        let n = Double(map.divisions)
        let half = 0.5 / n
        let s = Double(state.flowMapStart) / n
        let t = Double(state.flowMapEnd) / n
        let box: [Float] = [
            (t - half, s - half), (t + half, s - half), (t + half, s + half), (t - half, s + half), (t - half, s - half),
        ]
        .flatMap { [Float($0.0), Float($0.1)] }
        let reading =
            map.cell(from: state.flowMapStart, to: state.flowMapEnd).map { "error \(format($0.error, 4))" }
            ?? "no map from s to t"
        let paths = "\(map.paths) exact paths"
        return Figure(
            title: title,
            legend: [.init(series: 1, text: "highlighted cell (s, t)")],
            panels: [
                Figure.Panel(
                    header:
                        "shade: E|X(x_s,s,t) - X*(x_s,s,t)| on \(paths), 0 dark to \(format(Double(heat.scale), 3)) light",
                    headerSeries: 1, footer: "across: end time t (1/8 to 1); up: start time s (0 to 7/8)",
                    bounds: heat.bounds,
                    layers: [.heat(heat), .polylines(id: "cell", series: 1, [box])], squared: false)
            ],
            columns: 1,
            caption:
                "cell s=\(format(s, 3)), t=\(format(t, 3)): \(reading) (arrows move it); (0, 1) is the one-jump error; "
                + Self.note(state.method.definition.jumpToEnd))
    }

    /// The heat map of the cells: 8 columns (t = 1/8 ... 1) by 8 rows (s = 0 ... 7/8) over the
    /// square of side 1 centred on the triangle, NaN where the model has no cell, on a scale from 0
    /// to the largest error; the darkest cell is one shade above the background, so the triangle
    /// shows whole.
    static func heat(_ map: FlowMapError) -> HeatMap {
        let n = map.divisions
        var values = [Float](repeating: .nan, count: n * n)
        for cell in map.cells { values[cell.start * n + cell.end - 1] = Float(cell.error) }
        let largest = values.filter(\.isFinite).max() ?? 0
        let half = 0.5 / Double(n)
        var heat = HeatMap(
            columns: n, rows: n, bounds: PlotBounds(xMin: half, xMax: 1 + half, yMin: -half, yMax: 1 - half),
            values: values, scale: largest > 0 ? largest : 1)
        heat.minimumLevel = 1
        return heat
    }

    /// What the model's map is, for the caption, by how its method jumps (``JumpToEnd``).
    static func note(_ jump: JumpToEnd) -> String {
        switch jump {
        case .interval: "the model's map is X = x + (t-s) u(x, s, t-s)"
        case .eulerStep: "a velocity's map is one Euler step X = x + (t-s) v(x, s)"
        case .consistencyFunction: "a consistency model maps to t = 1 only: X = f(x, s)"
        }
    }
}
