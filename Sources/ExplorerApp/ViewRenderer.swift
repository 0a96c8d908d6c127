import FlowCore
import TerminalCanvas

/// Draws one of the four views into a titled panel and returns its caption (what the student is
/// looking at). Series: 0 = data / true paths, 1 = model, 2 and 3 = markers.
struct ViewRenderer {
    let state: AppState

    var mode: PlotMode { state.ascii ? .ascii : .braille }
    var dot: String { state.ascii ? "" : "⣿ " }

    /// The title in the panel border for the current view.
    static func title(_ state: AppState) -> String {
        switch state.view {
        case .samples: "Samples: data vs model"
        case .trajectories: "Trajectories: noise to data"
        case .consistency: "Consistency: x_t -> f(x_t, t)"
        case .compare:
            "Compare: "
                + state.method.definition.comparePair(steps: state.steps)
                .map { "\($0.sampler.name) K=\($0.steps)" }.joined(separator: " vs ")
        case .race: "Race: every method from the same noise, K=\(state.steps)"
        }
    }

    func draw(into buffer: inout CellBuffer, in rect: Rect) -> String {
        let inner = Panel(
            title: Self.title(state), ascii: state.ascii, borderStyle: state.palette.frame,
            titleStyle: state.palette.title
        ).render(into: &buffer, in: rect)
        if state.view == .race, let race = state.snapshot?.race { return self.race(race, &buffer, inner) }
        guard let visuals = state.snapshot?.visuals, state.view != .race else {
            buffer.write(
                "training has just started; the first pictures come in a moment",
                in: inner.centered(Size(width: inner.width, height: 1)), alignment: .center)
            if let phase = state.snapshot?.phase {
                buffer.write(
                    phase, in: Rect(x: inner.x, y: inner.y + inner.height / 2 + 1, width: inner.width, height: 1),
                    alignment: .center)
            }
            return "waiting for the worker's first snapshot"
        }
        let stale = visuals.steps != state.steps ? " (updating to K=\(state.steps)...)" : ""
        switch state.view {
        case .samples: return samples(visuals, &buffer, inner) + stale
        case .trajectories: return trajectories(visuals, &buffer, inner) + stale
        case .consistency: return consistency(visuals, &buffer, inner)
        case .compare: return compare(visuals, &buffer, inner) + stale
        case .race: return ""
        }
    }

    /// Writes a legend row and returns the rows below it.
    private func legend(_ entries: [(Int, String)], _ buffer: inout CellBuffer, _ rect: Rect) -> Rect {
        var x = rect.x + 1
        for (series, text) in entries {
            let marker = state.ascii ? String(state.palette.glyph(forSeries: series)) + " " : dot
            x = buffer.write(marker, at: Point(x: x, y: rect.y), style: state.palette.style(forSeries: series), clip: rect)
            x = buffer.write(text + "   ", at: Point(x: x, y: rect.y), clip: rect)
        }
        return rect.inset(top: 1)
    }

    /// Axes plus a canvas in `rect` over `bounds`; `body` plots.
    private func plot(
        _ buffer: inout CellBuffer, _ rect: Rect, _ bounds: PlotBounds, _ body: (inout PlotCanvas) -> Void
    ) {
        let axes = Axes.squared(fitting: bounds, in: rect, ascii: state.ascii, style: state.palette.frame)
        let area = axes.render(into: &buffer, in: rect)
        guard !area.isEmpty else { return }
        var canvas = PlotCanvas(size: area.size, mode: mode, bounds: axes.bounds)
        body(&canvas)
        canvas.render(into: &buffer, at: area, palette: state.palette)
    }

    private func samples(_ v: Visuals, _ buffer: inout CellBuffer, _ rect: Rect) -> String {
        let frameIndex = v.frameIndex(at: state.t)
        let modelT = Double(frameIndex) / Double(max(1, v.frames.count - 1))
        let data = v.data(at: state.t)
        let area = legend([(0, state.tIndex == AppState.tDivisions ? "data" : "data x_t"), (1, "model")], &buffer, rect)
        plot(&buffer, area, v.bounds) { canvas in
            canvas.plot(points: data, series: 0)
            canvas.plot(points: v.frames[frameIndex], series: 1)
        }
        let n = v.data.count / 2
        if state.tIndex == AppState.tDivisions {
            return
                "\(n) data points vs \(n) samples of the model after K=\(v.steps) \(v.sampler.name) steps from noise (it \(v.iteration))"
        }
        return
            "t=\(format(state.t, 2)): data x_t=(1-t)x0+t*x1 vs the model's \(v.sampler.name) state at t=\(format(modelT, 2)) (K=\(v.steps))"
    }

    private func trajectories(_ v: Visuals, _ buffer: inout CellBuffer, _ rect: Rect) -> String {
        let jumps = v.sampler == .euler ? "Euler" : v.sampler.name
        let area = legend([(0, "fine path"), (1, "\(jumps) K=\(v.steps) jumps"), (2, "noise start")], &buffer, rect)
        plot(&buffer, area, v.bounds) { canvas in
            for path in v.paths { canvas.polyline(points: path, series: 0) }
            for path in v.jumps { canvas.polyline(points: path, series: 1) }
            for path in v.paths where path.count >= 2 { canvas.plot(x: path[0], y: path[1], series: 2) }
        }
        return
            "\(v.paths.count) paths of \(v.pathsSource); straight segments: the \(v.sampler.name) sampler's K=\(v.steps) steps"
    }

    private func consistency(_ v: Visuals, _ buffer: inout CellBuffer, _ rect: Rect) -> String {
        let c = v.consistency
        let area = legend([(0, "true path"), (2, "x_t (t=0..7/8)"), (1, "-> f(x_t,t)")], &buffer, rect)
        plot(&buffer, area, v.bounds) { canvas in
            for path in c.paths { canvas.polyline(points: path, series: 0) }
            let count = min(c.points.count, c.predictions.count) / 2
            for i in 0..<count {
                canvas.line(
                    from: SIMD2(c.points[2 * i], c.points[2 * i + 1]),
                    to: SIMD2(c.predictions[2 * i], c.predictions[2 * i + 1]), series: 1)
            }
            canvas.plot(points: c.points, series: 2)
        }
        let error = format(c.error, 3)
        switch state.method.definition.jumpToEnd {
        case .consistencyFunction:
            return "self-consistency error mean|f(x_t,t)-x_1| = \(error); a perfect model maps every x_t on a path to its end"
        case .interval:
            return "one jump to the end x+(1-t)u(x,t,1-t) from every x_t; error mean|jump-x_1| = \(error)"
        case .eulerStep:
            return
                "\(state.method.rawValue) has no f(x_t,t): shown is the one-step jump x+(1-t)v, error \(error); press m for cd or ct"
        }
    }

    private func compare(_ v: Visuals, _ buffer: inout CellBuffer, _ rect: Rect) -> String {
        let panels = v.compare.prefix(2).map { (label: $0.label, points: $0.points, footer: "SW2 \(format($0.sw2, 4))") }
        grid(panels, columns: 2, bounds: v.bounds, &buffer, rect)
        let note = state.method.definition.compareNote
        return "model samples only (view 1 shows the data); SW2 to the data, lower is better; \(note)"
    }

    private func race(_ race: RaceVisuals, _ buffer: inout CellBuffer, _ rect: Rect) -> String {
        let panels = race.panels.map { panel in
            (
                label: panel.label, points: panel.points,
                footer: panel.sw2.isFinite ? "SW2 \(format(panel.sw2, 3))  it \(panel.iteration)" : "waiting"
            )
        }
        grid(panels, columns: min(3, panels.count), bounds: race.bounds, &buffer, rect)
        let stale = race.steps != state.steps ? " (updating to K=\(state.steps)...)" : ""
        return "same noise for every method; SW2 to the data, lower is better; + and - change K for all\(stale)"
    }

    /// Panels of model samples in a grid of `columns`, each with a header and a footer line.
    /// Model samples only: with the data drawn under them, a collapse would hide in the data.
    private func grid(
        _ panels: [(label: String, points: [Float], footer: String)], columns: Int, bounds: PlotBounds,
        _ buffer: inout CellBuffer, _ rect: Rect
    ) {
        guard columns > 0 else { return }
        let rowCount = (panels.count + columns - 1) / columns
        let rows = rect.rows(Array(repeating: .fill(), count: rowCount))
        for (i, panel) in panels.enumerated() {
            let area = rows[i / columns].columns(Array(repeating: .fill(), count: columns), spacing: 1)[i % columns]
            guard area.height > 2 else { continue }
            let header = Rect(x: area.x, y: area.y, width: area.width, height: 1)
            let footer = Rect(x: area.x, y: area.maxY - 1, width: area.width, height: 1)
            buffer.write(panel.label, in: header, alignment: .center, style: state.palette.style(forSeries: i + 1))
            buffer.write(panel.footer, in: footer, alignment: .center, style: Style(bold: true))
            plot(&buffer, area.inset(top: 1, bottom: 1), bounds) { canvas in
                canvas.plot(points: panel.points, series: i + 1)
            }
        }
    }
}
