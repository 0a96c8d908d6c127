import FlowCore
import TerminalCanvas

/// Draws a `Figure` into terminal cells: the titled border, the legend row, and a grid of panels,
/// each with its header line, axes, a canvas of dots and lines over its heat cells, and its
/// footer line.
struct FigureRenderer {
    let state: AppState

    var mode: PlotMode { state.ascii ? .ascii : state.plotMode }

    /// Where a panel was drawn: its whole cell (header and footer included), its plot area and the
    /// world rectangle the plot area shows, for the mouse (``layout(_:)``).
    struct Placement: Equatable {
        var panel: Int
        var cell: Rect
        var plot: Rect
        var bounds: PlotBounds

        /// The world point at the centre of the cell `point` of the plot area.
        func world(_ point: Point) -> SIMD2<Float> {
            let fx = (Double(point.x - plot.x) + 0.5) / Double(max(1, plot.width))
            let fy = (Double(point.y - plot.y) + 0.5) / Double(max(1, plot.height))
            return SIMD2(
                Float(bounds.xMin + fx * (bounds.xMax - bounds.xMin)), Float(bounds.yMax - fy * (bounds.yMax - bounds.yMin)))
        }
    }

    /// Draws `figure` into `rect` (all but its caption, which `render` writes under the view) and
    /// returns where its panels went.
    @discardableResult
    func draw(_ figure: Figure, into buffer: inout CellBuffer, in rect: Rect) -> [Placement] {
        let inner = Panel(
            title: figure.title, ascii: state.ascii, borderStyle: state.palette.frame, titleStyle: state.palette.title
        ).render(into: &buffer, in: rect)
        if let lines = figure.placeholder {
            let top = inner.y + max(0, inner.height / 2 - lines.count / 2)
            for (i, line) in lines.enumerated() {
                buffer.write(line, in: Rect(x: inner.x, y: top + i, width: inner.width, height: 1), alignment: .center)
            }
            return []
        }
        let area = figure.legend.isEmpty ? inner : legend(figure.legend, &buffer, inner)
        return grid(figure, &buffer, area)
    }

    /// Writes the legend row and returns the rows below it.
    private func legend(_ entries: [Figure.LegendEntry], _ buffer: inout CellBuffer, _ rect: Rect) -> Rect {
        var x = rect.x + 1
        for entry in entries {
            let glyph = entry.marker ? PlotCanvas.markerGlyph(ascii: state.ascii) : legendGlyph(series: entry.series)
            let marker = String(glyph) + " "
            x = buffer.write(marker, at: Point(x: x, y: rect.y), style: state.palette.style(forSeries: entry.series), clip: rect)
            x = buffer.write(entry.text + "   ", at: Point(x: x, y: rect.y), clip: rect)
        }
        return rect.inset(top: 1)
    }

    /// The legend's sample of a series' marks in the current plot mode.
    private func legendGlyph(series: Int) -> Character {
        switch mode {
        case .ascii: state.palette.glyph(forSeries: series)
        case .braille: "⣿"
        case .halfBlock: "█"
        case .density: "▓"
        }
    }

    /// The panels in a grid of `figure.columns`, each with its header and footer lines.
    private func grid(_ figure: Figure, _ buffer: inout CellBuffer, _ rect: Rect) -> [Placement] {
        let columns = max(1, figure.columns)
        let rowCount = (figure.panels.count + columns - 1) / columns
        guard rowCount > 0 else { return [] }
        var placements: [Placement] = []
        let rows = rect.rows(Array(repeating: .fill(), count: rowCount))
        let cells = figure.panels.indices.map {
            rows[$0 / columns].columns(Array(repeating: .fill(), count: columns), spacing: 1)[$0 % columns]
        }
        // Every panel gets the size of the smallest cell, so that panels of one figure square their
        // bounds alike and show the same axes (a row one line shorter would reach further across).
        let width = cells.map(\.width).min() ?? 0
        let height = cells.map(\.height).min() ?? 0
        for (i, panel) in figure.panels.enumerated() {
            var area = Rect(x: cells[i].x, y: cells[i].y, width: width, height: height)
            if let header = panel.header {
                guard area.height > 1 else { continue }
                buffer.write(
                    header, in: Rect(x: area.x, y: area.y, width: area.width, height: 1), alignment: .center,
                    style: state.palette.style(forSeries: panel.headerSeries))
                area = area.inset(top: 1)
            }
            if let footer = panel.footer {
                guard area.height > 1 else { continue }
                buffer.write(
                    footer, in: Rect(x: area.x, y: area.maxY - 1, width: area.width, height: 1), alignment: .center,
                    style: Style(bold: true))
                area = area.inset(bottom: 1)
            }
            let (plot, bounds) = plot(panel, &buffer, area)
            placements.append(
                Placement(
                    panel: i, cell: Rect(x: cells[i].x, y: cells[i].y, width: width, height: height), plot: plot, bounds: bounds))
        }
        return placements
    }

    /// Axes over the panel's bounds (squared unless the panel says otherwise), its heat cells, then
    /// its marks.
    /// Returns the plot area and the world rectangle it shows.
    private func plot(_ panel: Figure.Panel, _ buffer: inout CellBuffer, _ rect: Rect) -> (Rect, PlotBounds) {
        let axes =
            panel.squared
            ? Axes.squared(fitting: panel.bounds, in: rect, ascii: state.ascii, style: state.palette.frame)
            : Axes(bounds: panel.bounds, ascii: state.ascii, style: state.palette.frame)
        let area = axes.render(into: &buffer, in: rect)
        guard !area.isEmpty else { return (area, axes.bounds) }
        var canvas = PlotCanvas(size: area.size, mode: mode, bounds: axes.bounds)
        for layer in panel.layers {
            switch layer {
            case .points(_, let series, let points):
                canvas.plot(points: points, series: series)
            case .markers(_, let series, let points):
                canvas.mark(points: points, series: series)
            case .polylines(_, let series, let paths):
                for path in paths { canvas.polyline(points: path, series: series) }
            case .segments(_, let series, let from, let to):
                for i in 0..<(min(from.count, to.count) / 2) {
                    canvas.line(from: SIMD2(from[2 * i], from[2 * i + 1]), to: SIMD2(to[2 * i], to[2 * i + 1]), series: series)
                }
            case .heat(let heat):
                shade(heat, bounds: axes.bounds, &buffer, area)
            }
        }
        canvas.render(into: &buffer, at: area, palette: state.palette)
        return (area, axes.bounds)
    }

    /// Fills each cell of `area` with the shade of the heat map at its centre: a grey background
    /// on 256 colours, else a character of `HeatShades.glyphs` (dim).
    private func shade(_ heat: HeatMap, bounds: PlotBounds, _ buffer: inout CellBuffer, _ area: Rect) {
        let grey = state.palette == .color256 && !state.ascii
        let levels = grey ? HeatShades.greys.count : HeatShades.glyphs.count
        for row in 0..<area.height {
            let y = bounds.yMax - (Double(row) + 0.5) / Double(area.height) * bounds.height
            for column in 0..<area.width {
                let x = bounds.xMin + (Double(column) + 0.5) / Double(area.width) * bounds.width
                guard let level = heat.level(x: x, y: y, levels: levels) else { continue }
                buffer[area.x + column, area.y + row] =
                    grey
                    ? Cell(" ", style: Style(background: .indexed(HeatShades.greys[level])))
                    : Cell(HeatShades.glyphs[level], style: Style(dim: true))
            }
        }
    }
}
