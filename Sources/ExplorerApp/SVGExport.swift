import FlowCore
import TerminalCanvas

/// The current view as a standalone SVG document, for slides: pure, builds a `String` from the
/// same `Visuals` the text views draw (`e` in the UI, `render --format svg`).
///
/// The document has a `<title>` (view, method, dataset, seed, K, iteration), a `<desc>` (the
/// view's caption), axes with tick labels, and one `<g class="series" id="...">` per series:
/// points as `<circle>`s, paths as `<polyline>`s. Series ids by view:
/// - samples: `data`, `model`;
/// - trajectories: `paths` (fine paths), `jumps` (the K-step sampler), `starts` (noise);
/// - consistency: `true-paths`, `mappings` (x_t joined to f(x_t, t)), `points` (x_t),
///   `predictions` (f(x_t, t));
/// - compare: one panel per sampler, each with its own axes and a series `model-<sampler>`.
///
/// At most `maxCircles` circles in all: above that every n-th point of each series is kept (the
/// `<desc>` says so). Non-finite points are never drawn (a polyline breaks at them).
public enum SVGExport {
    /// The most circles a document holds (slides stay light).
    public static let maxCircles = 4800
    /// Colours of series 0...3: data / true paths, model, markers, more markers.
    public static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    /// Side of one square plot area in SVG units.
    static let plotSide = 560.0
    /// Room left of a plot (y labels) and below it (x labels).
    static let leftMargin = 56.0, bottomMargin = 36.0
    /// Room above the plots for the heading and the legend.
    static let topMargin = 66.0
    static let rightMargin = 16.0

    /// The SVG file the `e` key writes: flow-explorer-<view>-<method>-<dataset>.svg.
    public static func fileName(_ state: AppState) -> String {
        let method = state.view == .race ? "" : "-\(state.method.rawValue)"
        return "flow-explorer-\(state.view.name.lowercased())\(method)-\(state.fileSafeDatasetName).svg"
    }

    /// The `<title>` text: view title, method, dataset, seed, K and iteration.
    public static func title(_ state: AppState) -> String {
        "\(ViewRenderer.title(state)): \(subtitle(state))"
    }

    /// The line under the heading: method, dataset, seed, K and iteration.
    static func subtitle(_ state: AppState) -> String {
        let iteration = state.snapshot?.visuals?.iteration ?? state.snapshot?.iteration ?? 0
        let who = state.view == .race ? "every method" : state.method.rawValue
        return "\(who) on \(state.displayDataset), seed \(state.seed), K=\(state.steps), iteration \(iteration)"
    }

    /// The document for `state`'s view, or nil while the worker has published no pictures yet.
    public static func document(_ state: AppState) -> String? {
        var writer = Writer()
        let caption = [.compare, .race].contains(state.view) ? "model samples only; SW2 to the data, lower is better" : ""
        var grid = (columns: 1, rows: 1)
        if state.view == .race {
            guard let race = state.snapshot?.race else { return nil }
            grid = panels(race.panels.map { panelText($0) }, bounds: race.bounds, &writer)
        } else {
            guard let v = state.snapshot?.visuals else { return nil }
            switch state.view {
            case .samples: samples(state, v, &writer)
            case .trajectories: trajectories(v, &writer)
            case .consistency: consistency(v, &writer)
            case .compare:
                let pairs = v.compare.prefix(2).map { (label: "\($0.label)   SW2 \(sw2Text($0.sw2))", points: $0.points) }
                grid = panels(pairs, bounds: v.bounds, &writer)
            case .race: break
            }
        }
        let width = Double(grid.columns) * panelWidth
        let height = Double(grid.rows) * panelHeight
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
        out += "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<title>\(xmlEscaped(title(state)))</title>\n"
        var desc = caption
        if writer.stride > 1 { desc += (desc.isEmpty ? "" : "; ") + "1 of every \(writer.stride) points shown" }
        out += "<desc>\(xmlEscaped(desc))</desc>\n"
        out += "<rect width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>\n"
        out +=
            "<text x=\"\(n(leftMargin))\" y=\"20\" font-size=\"15\" font-weight=\"bold\">\(xmlEscaped(ViewRenderer.title(state)))</text>\n"
        out += "<text x=\"\(n(leftMargin))\" y=\"37\" fill=\"#555\">\(xmlEscaped(subtitle(state)))</text>\n"
        out += writer.body
        out += "</svg>\n"
        return out
    }

    // MARK: - Views

    private static func samples(_ state: AppState, _ v: Visuals, _ w: inout Writer) {
        let data = v.data(at: state.t)
        let model = v.frames[v.frameIndex(at: state.t)]
        w.budget(circles: [data.count / 2, model.count / 2])
        let plot = w.axes(v.bounds, originX: 0)
        w.legend(
            [(0, state.tIndex == AppState.tDivisions ? "data" : "data x_t"), (1, "model (\(v.sampler.name) K=\(v.steps))")],
            x: leftMargin)
        w.circles(id: "data", series: 0, data, plot)
        w.circles(id: "model", series: 1, model, plot)
    }

    private static func trajectories(_ v: Visuals, _ w: inout Writer) {
        let plot = w.axes(v.bounds, originX: 0)
        w.budget(circles: [v.paths.count])
        w.legend([(0, "fine path"), (1, "\(v.sampler.name) K=\(v.steps) jumps"), (2, "noise start")], x: leftMargin)
        w.polylines(id: "paths", series: 0, v.paths, plot, width: 0.8)
        w.polylines(id: "jumps", series: 1, v.jumps, plot, width: 1.2)
        w.circles(id: "starts", series: 2, v.paths.filter { $0.count >= 2 }.flatMap { $0.prefix(2) }, plot)
    }

    private static func consistency(_ v: Visuals, _ w: inout Writer) {
        let c = v.consistency
        let plot = w.axes(v.bounds, originX: 0)
        let count = min(c.points.count, c.predictions.count) / 2
        w.budget(circles: [count, count])
        w.legend([(0, "true path"), (2, "x_t (t=0..7/8)"), (1, "f(x_t, t)")], x: leftMargin)
        w.polylines(id: "true-paths", series: 0, c.paths, plot, width: 0.8)
        let pairs: [[Float]] = (0..<count).map { (i: Int) -> [Float] in
            let p: [Float] = [c.points[2 * i], c.points[2 * i + 1]]
            let q: [Float] = [c.predictions[2 * i], c.predictions[2 * i + 1]]
            return p + q
        }
        w.polylines(id: "mappings", series: 1, pairs, plot, width: 0.6)
        w.circles(id: "points", series: 2, c.points, plot)
        w.circles(id: "predictions", series: 1, c.predictions, plot)
    }

    /// The width and height of one plot with its margins.
    static let panelWidth = leftMargin + plotSide + rightMargin
    static let panelHeight = topMargin + plotSide + bottomMargin

    static func sw2Text(_ sw2: Double) -> String { sw2.isFinite ? Axes.format(sw2, decimals: 4) : "--" }

    /// A race panel's legend text and points.
    static func panelText(_ panel: RaceVisuals.Panel) -> (label: String, points: [Float]) {
        let sw2 = panel.sw2.isFinite ? "   SW2 \(sw2Text(panel.sw2)), iteration \(panel.iteration)" : ""
        return (panel.label + sw2, panel.points)
    }

    /// Panels of model samples side by side, at most 3 to a row (the compare and race views);
    /// returns the grid's size in panels.
    private static func panels(
        _ panels: [(label: String, points: [Float])], bounds: PlotBounds, _ w: inout Writer
    ) -> (columns: Int, rows: Int) {
        let columns = max(1, min(3, panels.count))
        w.budget(circles: panels.map { $0.points.count / 2 })
        for (i, panel) in panels.enumerated() {
            let originX = Double(i % columns) * panelWidth
            let originY = Double(i / columns) * panelHeight
            w.body += "<g class=\"panel\" id=\"panel-\(i + 1)\">\n"
            let plot = w.axes(bounds, originX: originX, originY: originY)
            w.legend([(i + 1, panel.label)], x: originX + leftMargin, y: originY)
            w.circles(id: "samples-\(i + 1)", series: i + 1, panel.points, plot)
            w.body += "</g>\n"
        }
        return (columns, max(1, (panels.count + columns - 1) / columns))
    }

    // MARK: - Writing

    /// Maps world coordinates of `bounds` onto a square plot area.
    struct PlotArea {
        var bounds: PlotBounds
        var x: Double, y: Double, side: Double
        func map(_ px: Float, _ py: Float) -> (Double, Double)? {
            let wx = Double(px)
            let wy = Double(py)
            guard wx.isFinite, wy.isFinite else { return nil }
            let sx = x + (wx - bounds.xMin) / bounds.width * side
            let sy = y + side - (wy - bounds.yMin) / bounds.height * side
            guard sx.isFinite, sy.isFinite, abs(sx) < 1e6, abs(sy) < 1e6 else { return nil }
            return (sx, sy)
        }
    }

    /// Accumulates the document body and the subsampling stride.
    struct Writer {
        var body = ""
        var stride = 1

        /// Sets the stride so that the circle series together stay within `maxCircles`.
        mutating func budget(circles counts: [Int]) {
            let total = counts.reduce(0, +)
            stride = max(1, (total + SVGExport.maxCircles - 1) / SVGExport.maxCircles)
        }

        /// Frame, ticks and tick labels; returns the plot area.
        mutating func axes(_ bounds: PlotBounds, originX: Double, originY: Double = 0) -> PlotArea {
            let side = SVGExport.plotSide
            let square = bounds.squared(toFit: Size(width: 1000, height: 1000), cellAspect: 1)
            let area = PlotArea(bounds: square, x: originX + SVGExport.leftMargin, y: originY + SVGExport.topMargin, side: side)
            body += "<g class=\"axes\" stroke=\"#444\" fill=\"none\">\n"
            body += "<rect x=\"\(n(area.x))\" y=\"\(n(area.y))\" width=\"\(n(side))\" height=\"\(n(side))\"/>\n"
            let xTicks = Axes.niceTicks(square.xMin, square.xMax, maxCount: 7)
            let yTicks = Axes.niceTicks(square.yMin, square.yMax, maxCount: 7)
            var labels = ""
            for (tick, label) in zip(xTicks, Axes.labels(for: xTicks)) {
                let sx = area.x + (tick - square.xMin) / square.width * side
                let bottom = area.y + side
                body += "<line x1=\"\(n(sx))\" y1=\"\(n(bottom))\" x2=\"\(n(sx))\" y2=\"\(n(bottom + 5))\"/>\n"
                labels += "<text x=\"\(n(sx))\" y=\"\(n(bottom + 18))\" text-anchor=\"middle\">\(label)</text>\n"
            }
            for (tick, label) in zip(yTicks, Axes.labels(for: yTicks)) {
                let sy = area.y + side - (tick - square.yMin) / square.height * side
                body += "<line x1=\"\(n(area.x - 5))\" y1=\"\(n(sy))\" x2=\"\(n(area.x))\" y2=\"\(n(sy))\"/>\n"
                labels += "<text x=\"\(n(area.x - 8))\" y=\"\(n(sy + 4))\" text-anchor=\"end\">\(label)</text>\n"
            }
            body += "</g>\n<g class=\"tick-labels\" fill=\"#222\">\n" + labels + "</g>\n"
            return area
        }

        /// One row of coloured markers and names above the plot.
        mutating func legend(_ entries: [(Int, String)], x: Double, y: Double = 0) {
            var cx = x
            body += "<g class=\"legend\">\n"
            for (series, text) in entries {
                let color = SVGExport.colors[series % SVGExport.colors.count]
                body += "<rect x=\"\(n(cx))\" y=\"\(n(y + 45))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
                body += "<text x=\"\(n(cx + 14))\" y=\"\(n(y + 54))\">\(xmlEscaped(text))</text>\n"
                cx += 24 + 7 * Double(text.count)
            }
            body += "</g>\n"
        }

        /// Every `stride`-th finite point of an interleaved [N, 2] buffer as a circle.
        mutating func circles(id: String, series: Int, _ points: [Float], _ area: PlotArea) {
            body +=
                "<g class=\"series\" id=\"\(xmlEscaped(id))\" fill=\"\(SVGExport.colors[series % SVGExport.colors.count])\" fill-opacity=\"0.6\" stroke=\"none\">\n"
            var i = 0
            while 2 * i + 1 < points.count {
                if let (x, y) = area.map(points[2 * i], points[2 * i + 1]) {
                    body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"1.6\"/>\n"
                }
                i += stride
            }
            body += "</g>\n"
        }

        /// Each path (interleaved x, y) as a polyline; a non-finite point splits it.
        mutating func polylines(id: String, series: Int, _ paths: [[Float]], _ area: PlotArea, width: Double) {
            body +=
                "<g class=\"series\" id=\"\(xmlEscaped(id))\" fill=\"none\" stroke=\"\(SVGExport.colors[series % SVGExport.colors.count])\" "
            body += "stroke-width=\"\(n(width))\" stroke-opacity=\"0.7\">\n"
            for path in paths {
                var run: [String] = []
                func flush() {
                    if run.count >= 2 { body += "<polyline points=\"\(run.joined(separator: " "))\"/>\n" }
                    run.removeAll()
                }
                var i = 0
                while 2 * i + 1 < path.count {
                    if let (x, y) = area.map(path[2 * i], path[2 * i + 1]) { run.append("\(n(x)),\(n(y))") } else { flush() }
                    i += 1
                }
                flush()
            }
            body += "</g>\n"
        }
    }
}

/// A coordinate with two decimals.
private func n(_ value: Double) -> String { Axes.format(value, decimals: 2) }

/// `text` with the five XML special characters escaped.
private func xmlEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(c)
        }
    }
    return out
}
