import FlowCore
import Foundation
import TerminalCanvas

/// The current view as a standalone SVG document, for slides: pure, writes the same `Figure` the
/// terminal draws (`FigureBuilder`), so legends, captions and marks cannot drift apart (`e` in
/// the UI, `render --format svg`).
///
/// The document has a `<title>` (view, method, dataset, seed, K, iteration), a `<desc>` (the
/// view's caption), the legend, and per panel its header, axes with tick labels, its footer and one
/// `<g class="series" id="...">` per layer: points as `<circle>`s, paths and segments as
/// `<polyline>`s, heat cells as `<rect>`s in the terminal's greys. Panels sit `figure.columns` to a row.
///
/// At most `maxCircles` circles in all: above that every n-th point of each series is kept (the
/// `<desc>` says so). Non-finite points are never drawn (a polyline breaks at them).
public enum SVGExport {
    /// The most circles a document holds (slides stay light).
    public static let maxCircles = 4800
    /// The colour of a series: the terminal's 256-colour palette entry (`Palette.color256`) as RGB,
    /// darkened where needed to a contrast of at least `minimumContrast` against the white page
    /// (the terminal's yellow, #ffff5f, would be invisible on a slide).
    public static func color(series: Int) -> String {
        guard case .indexed(let index) = Palette.color256.style(forSeries: series).foreground else { return "#000000" }
        return hex(readableOnWhite(xtermRGB(index)))
    }

    /// The WCAG contrast ratio a series colour keeps against white: 3:1, the level for graphics.
    static let minimumContrast = 3.0

    /// `rgb` (0xRRGGBB) scaled towards black in steps of 5% until its contrast against white is at
    /// least `minimumContrast`; unchanged when it already is.
    static func readableOnWhite(_ rgb: Int) -> Int {
        var factor = 1.0
        var out = rgb
        while contrastAgainstWhite(out) < minimumContrast && factor > 0 {
            factor -= 0.05
            let scale = { (v: Int) in Int((Double(v) * factor).rounded()) }
            out = scale(rgb >> 16 & 0xff) << 16 | scale(rgb >> 8 & 0xff) << 8 | scale(rgb & 0xff)
        }
        return out
    }

    /// The WCAG 2 contrast ratio of `rgb` against white: 1.05 / (L + 0.05), L the relative luminance.
    static func contrastAgainstWhite(_ rgb: Int) -> Double {
        func linear(_ v: Int) -> Double {
            let c = Double(v) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * linear(rgb >> 16 & 0xff) + 0.7152 * linear(rgb >> 8 & 0xff) + 0.0722 * linear(rgb & 0xff)
        return 1.05 / (luminance + 0.05)
    }

    /// The RGB of an xterm-256 colour index as 0xRRGGBB (the 6x6x6 cube and the grey ramp; the 16
    /// system colours as xterm shows them by default).
    static func xtermRGB(_ index: UInt8) -> Int {
        let system = [
            0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
            0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
        ]
        let i = Int(index)
        let rgb: Int
        if i < 16 {
            rgb = system[i]
        } else if i < 232 {
            let level = { (v: Int) in v == 0 ? 0 : 55 + 40 * v }
            rgb = level((i - 16) / 36) << 16 | level((i - 16) / 6 % 6) << 8 | level((i - 16) % 6)
        } else {
            let grey = 8 + 10 * (i - 232)
            rgb = grey << 16 | grey << 8 | grey
        }
        return rgb
    }

    /// 0xRRGGBB as #rrggbb.
    static func hex(_ rgb: Int) -> String {
        let digits = String(rgb, radix: 16)
        return "#" + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// Side of one square plot area in SVG units.
    static let plotSide = 560.0
    /// Room left of a plot (y labels) and below it (x labels and the footer).
    static let leftMargin = 56.0, bottomMargin = 56.0
    /// Room above the plots for the heading and the legend, and above each plot for its header.
    static let topMargin = 66.0, headerHeight = 20.0
    static let rightMargin = 16.0

    /// The SVG file the `e` key writes: flow-explorer-<view>-<method>-<dataset>-K<K>-it<iteration>.svg
    /// (the race has no method part), so the slides of one class do not overwrite each other.
    public static func fileName(_ state: AppState) -> String {
        let method = state.view.showsRace ? "" : "-\(state.method.rawValue)"
        return "flow-explorer-\(state.view.slug)\(method)-\(state.fileSafeDatasetName)"
            + "-K\(FigureBuilder.shownSteps(state))-it\(iteration(state)).svg"
    }

    /// The iteration of the pictures on screen.
    static func iteration(_ state: AppState) -> Int {
        (state.view.showsRace ? state.snapshot?.race?.panels.map(\.iteration).max() : state.snapshot?.visuals?.iteration)
            ?? state.snapshot?.iteration ?? 0
    }

    /// The `<title>` text: view title, method, dataset, seed, K and iteration.
    public static func title(_ state: AppState) -> String {
        "\(FigureBuilder.title(state)): \(subtitle(state))"
    }

    /// The line under the heading: method, dataset, seed, K and iteration.
    static func subtitle(_ state: AppState) -> String {
        let who = state.view.showsRace ? "every method" : state.method.rawValue
        return
            "\(who) on \(state.displayDataset), seed \(state.seed), K=\(FigureBuilder.shownSteps(state)), iteration \(iteration(state))"
    }

    /// The notice of `e` before the view has anything to draw.
    static let nothingYet = "nothing to export yet: the first pictures come in a moment"

    /// The document for `state`'s view, or nil while the worker has published no pictures yet.
    public static func document(_ state: AppState) -> String? {
        document(FigureBuilder(state: state).build(), state: state)
    }

    /// The document of `figure`, titled after `state`; nil when the figure has nothing to draw yet.
    static func document(_ figure: Figure, state: AppState) -> String? {
        guard figure.placeholder == nil else { return nil }
        var writer = Writer()
        writer.budget(circles: figure.panels.flatMap(\.layers).map(\.circleCount))
        let columns = max(1, min(figure.columns, figure.panels.count))
        let rows = max(1, (figure.panels.count + columns - 1) / columns)
        writer.legend(figure.legend, x: leftMargin)
        for (i, panel) in figure.panels.enumerated() {
            let originX = Double(i % columns) * panelWidth
            let originY = Double(i / columns) * panelHeight
            writer.body += "<g class=\"panel\" id=\"panel-\(i + 1)\">\n"
            writer.panel(panel, originX: originX, originY: originY)
            writer.body += "</g>\n"
        }
        let width = Double(columns) * panelWidth
        let height = Double(rows) * panelHeight
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
        out += "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<title>\(xmlEscaped(title(state)))</title>\n"
        var desc = figure.caption
        if writer.stride > 1 { desc += (desc.isEmpty ? "" : "; ") + "1 of every \(writer.stride) points shown" }
        out += "<desc>\(xmlEscaped(desc))</desc>\n"
        out += "<rect width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>\n"
        out += "<text x=\"\(n(leftMargin))\" y=\"20\" font-size=\"15\" font-weight=\"bold\">\(xmlEscaped(figure.title))</text>\n"
        out += "<text x=\"\(n(leftMargin))\" y=\"37\" fill=\"#555\">\(xmlEscaped(subtitle(state)))</text>\n"
        out += writer.body
        out += "</svg>\n"
        return out
    }

    /// The width and height of one plot with its margins.
    static let panelWidth = leftMargin + plotSide + rightMargin
    static let panelHeight = topMargin + headerHeight + plotSide + bottomMargin

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
        /// Panels written so far: numbers each panel's clip path.
        var clips = 0

        /// One panel at (originX, originY): its header, axes, layers and footer.
        mutating func panel(_ panel: Figure.Panel, originX: Double, originY: Double) {
            let top = originY + SVGExport.headerHeight
            if let header = panel.header {
                let color = SVGExport.color(series: panel.headerSeries)
                body +=
                    "<text class=\"header\" x=\"\(n(originX + SVGExport.leftMargin + SVGExport.plotSide / 2))\" y=\"\(n(top + SVGExport.topMargin - 6))\" text-anchor=\"middle\" fill=\"\(color)\">\(xmlEscaped(header))</text>\n"
            }
            let area = axes(panel.bounds, originX: originX, originY: top)
            // Marks outside the plot area (a sample far off, a path's end) are clipped to it.
            clips += 1
            body += "<clipPath id=\"plot-\(clips)\"><rect x=\"\(n(area.x))\" y=\"\(n(area.y))\" "
            body += "width=\"\(n(area.side))\" height=\"\(n(area.side))\"/></clipPath>\n"
            body += "<g clip-path=\"url(#plot-\(clips))\">\n"
            for layer in panel.layers {
                switch layer {
                case .heat(let heat): cells(heat, area)
                case .points(let id, let series, let points): circles(id: id, series: series, points, area)
                case .markers(let id, let series, let points): circles(id: id, series: series, points, area, marker: true)
                case .polylines(let id, let series, let paths): polylines(id: id, series: series, paths, area, width: 1)
                case .segments(let id, let series, let from, let to):
                    let pairs = (0..<(min(from.count, to.count) / 2)).map { (i: Int) -> [Float] in
                        let a: [Float] = [from[2 * i], from[2 * i + 1]]
                        return a + [to[2 * i], to[2 * i + 1]]
                    }
                    polylines(id: id, series: series, pairs, area, width: 0.6)
                }
            }
            body += "</g>\n"
            if let footer = panel.footer {
                body +=
                    "<text class=\"footer\" x=\"\(n(area.x + area.side / 2))\" y=\"\(n(area.y + area.side + 40))\" text-anchor=\"middle\" font-weight=\"bold\">\(xmlEscaped(footer))</text>\n"
            }
        }

        /// The heat cells inside the plot, in the terminal's greys.
        mutating func cells(_ heat: HeatMap, _ area: PlotArea) {
            body += "<g class=\"heat\" stroke=\"none\">\n"
            for row in 0..<heat.rows {
                for column in 0..<heat.columns {
                    let c = heat.centre(column: column, row: row)
                    guard let level = heat.level(x: c.x, y: c.y, levels: HeatShades.greys.count) else { continue }
                    let w = heat.bounds.width / Double(heat.columns)
                    let h = heat.bounds.height / Double(heat.rows)
                    guard let (x0, y0) = area.map(Float(c.x - w / 2), Float(c.y + h / 2)),
                        let (x1, y1) = area.map(Float(c.x + w / 2), Float(c.y - h / 2))
                    else { continue }
                    body +=
                        "<rect x=\"\(n(x0))\" y=\"\(n(y0))\" width=\"\(n(x1 - x0))\" height=\"\(n(y1 - y0))\" fill=\"\(HeatShades.svgColor(level: level))\"/>\n"
                }
            }
            body += "</g>\n"
        }

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
        mutating func legend(_ entries: [Figure.LegendEntry], x: Double) {
            var cx = x
            body += "<g class=\"legend\">\n"
            for entry in entries {
                let (series, text) = (entry.series, entry.text)
                let color = SVGExport.color(series: series)
                body +=
                    entry.marker
                    ? "<circle cx=\"\(n(cx + 5))\" cy=\"50\" r=\"4\" fill=\"\(color)\" stroke=\"#222\" stroke-width=\"0.8\"/>"
                    : "<rect x=\"\(n(cx))\" y=\"45\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
                body += "<text x=\"\(n(cx + 14))\" y=\"54\">\(xmlEscaped(text))</text>\n"
                cx += 24 + 7 * Double(text.count)
            }
            body += "</g>\n"
        }

        /// Every `stride`-th finite point of an interleaved [N, 2] buffer as a circle; markers are
        /// every point, larger, opaque and ringed in dark grey.
        mutating func circles(id: String, series: Int, _ points: [Float], _ area: PlotArea, marker: Bool = false) {
            let look = marker ? "fill-opacity=\"1\" stroke=\"#222\" stroke-width=\"0.8\"" : "fill-opacity=\"0.6\" stroke=\"none\""
            body +=
                "<g class=\"series\" id=\"\(xmlEscaped(id))\" fill=\"\(SVGExport.color(series: series))\" \(look)>\n"
            var i = 0
            while 2 * i + 1 < points.count {
                if let (x, y) = area.map(points[2 * i], points[2 * i + 1]) {
                    body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(marker ? "3.5" : "1.6")\"/>\n"
                }
                i += marker ? 1 : stride
            }
            body += "</g>\n"
        }

        /// Each path (interleaved x, y) as a polyline; a non-finite point splits it.
        mutating func polylines(id: String, series: Int, _ paths: [[Float]], _ area: PlotArea, width: Double) {
            body +=
                "<g class=\"series\" id=\"\(xmlEscaped(id))\" fill=\"none\" stroke=\"\(SVGExport.color(series: series))\" "
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
