import FlowCore
import TerminalCanvas

/// Builds the `Figure` of the current view from the app state: the one place that decides what
/// each view shows and what its legend and caption say. Series: 0 = data / true paths, 1 = model,
/// 2 and 3 = markers (compare and race panels: 1, 2, ...).
struct FigureBuilder {
    let state: AppState

    /// The title in the view's border, at the K of the pictures on screen (`shownSteps`).
    static func title(_ state: AppState) -> String {
        let k = shownSteps(state)
        return switch state.view {
        case .samples: "Samples: data vs model"
        case .trajectories: "Trajectories: noise to data"
        case .consistency: "Consistency: x_t -> f(x_t, t)"
        case .compare:
            "Compare: "
                + state.method.definition.comparePair(steps: k).map { $0.sampler.label(steps: $0.steps) }
                .joined(separator: " vs ")
        case .race: "Race: \(state.raceLineup.title) from the same noise, K=\(k)"
        case .truth: "Truth: the jump error against the exact flow, K=\(k)"
        case .flowMap: "Flow map: X(x_s, s, t) against the exact map, s < t"
        }
    }

    /// The K of the pictures on screen: after `+` or `-` the old pictures stay until the worker
    /// has new ones, and titles and headers keep their K until then (the caption says "updating").
    static func shownSteps(_ state: AppState) -> Int {
        (state.view == .race ? state.snapshot?.race?.steps : state.snapshot?.visuals?.steps) ?? state.steps
    }

    /// The footer of a panel of samples: its SW2 beside the noise floor of the pictures.
    private func sw2Footer(_ sw2: Double, floor: Double, decimals: Int) -> String {
        "SW2 \(format(sw2, decimals)) (floor \(format(floor, decimals)))"
    }

    /// The figure of `state.view`, or of draw mode while it is on.
    func build() -> Figure {
        if let drawing = state.drawing { return draw(drawing) }
        let title = Self.title(state)
        if state.view == .race {
            guard let race = state.snapshot?.race else { return waiting(title) }
            return self.race(race, title)
        }
        guard let visuals = state.snapshot?.visuals else { return waiting(title) }
        let stale = visuals.steps != state.steps ? " (updating to K=\(state.steps)...)" : ""
        switch state.view {
        case .samples: return samples(visuals, title, stale)
        case .trajectories: return trajectories(visuals, title, stale)
        case .consistency: return consistency(visuals, title)
        case .compare: return compare(visuals, title, stale)
        case .truth: return truth(visuals, title, stale)
        case .flowMap: return flowMap(visuals, title)
        case .race: return waiting(title)
        }
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

    private func waiting(_ title: String) -> Figure {
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

    private func single(_ visuals: Visuals, _ layers: [Figure.Layer], footer: String? = nil) -> [Figure.Panel] {
        [Figure.Panel(footer: footer, bounds: visuals.bounds, layers: layers)]
    }

    private func samples(_ v: Visuals, _ title: String, _ stale: String) -> Figure {
        let frameIndex = v.frameIndex(at: state.t)
        let modelT = Double(frameIndex) / Double(max(1, v.frames.count - 1))
        let end = state.tIndex == AppState.tDivisions
        let n = v.data.count / 2
        let caption =
            end
            ? "\(n) data points vs \(n) samples of the model after K=\(v.steps) \(v.sampler.name) steps from noise (it \(v.iteration))"
            : "t=\(format(state.t, 2)): data x_t=(1-t)x0+t*x1 vs the model's \(v.sampler.name) state at t=\(format(modelT, 2)) (K=\(v.steps))"
        return Figure(
            title: title,
            legend: [
                .init(series: 0, text: end ? "data" : "data x_t"),
                .init(series: 1, text: "model (\(v.sampler.name) K=\(v.steps))"),
            ],
            panels: single(
                v, [.points(id: "data", series: 0, v.data(at: state.t)), .points(id: "model", series: 1, v.frames[frameIndex])]),
            columns: 1, caption: caption + stale)
    }

    private func trajectories(_ v: Visuals, _ title: String, _ stale: String) -> Figure {
        let jumps = v.sampler == .euler ? "Euler" : v.sampler.name
        let starts = v.paths.filter { $0.count >= 2 }.flatMap { $0.prefix(2) }
        return Figure(
            title: title,
            legend: [
                .init(series: 2, text: "noise start (t=0)", marker: true), .init(series: 0, text: "fine path to the data (t=1)"),
                .init(series: 1, text: "\(jumps) K=\(v.steps) jumps"),
            ],
            panels: single(
                v,
                [
                    .polylines(id: "paths", series: 0, v.paths), .polylines(id: "jumps", series: 1, v.jumps),
                    .markers(id: "starts", series: 2, starts),
                ]),
            columns: 1,
            caption:
                "\(v.paths.count) paths of \(v.pathsSource), each from its noise start (\(PlotCanvas.markerGlyph(ascii: state.ascii))) to the data; straight segments: the "
                + "\(v.sampler.name) sampler's K=\(v.steps) steps\(straightness(v))" + stale)
    }

    /// "; S=1.904 (0: straight lines)" once S is measured (``AppState/straightnessFrom``), else "".
    private func straightness(_ v: Visuals) -> String {
        guard let s = v.straightness, v.iteration >= AppState.straightnessFrom else { return "" }
        return "; straightness S=\(format(s, 3)) (0: straight lines)"
    }

    private func consistency(_ v: Visuals, _ title: String) -> Figure {
        guard let c = v.consistency else { return computingExactFlow(title) }
        let error = format(c.error, 3)
        let caption: String
        switch state.method.definition.jumpToEnd {
        case .consistencyFunction:
            caption = "self-consistency error mean|f(x_t,t)-x_1| = \(error); a perfect model maps every x_t on a path to its end"
        case .interval:
            caption = "one jump to the end x+(1-t)u(x,t,1-t) from every x_t; error mean|jump-x_1| = \(error)"
        case .eulerStep:
            caption =
                "\(state.method.rawValue) has no f(x_t,t): shown is the one-step jump x+(1-t)v, error \(error); press m for cd or ct"
        }
        return Figure(
            title: title,
            legend: [
                .init(series: 0, text: "exact path"), .init(series: 2, text: "x_t (t=0..15/16)", marker: true),
                .init(series: 1, text: "f(x_t, t)"),
            ],
            panels: single(
                v,
                [
                    .polylines(id: "true-paths", series: 0, c.paths),
                    .segments(id: "mappings", series: 1, from: c.points, to: c.predictions),
                    .points(id: "predictions", series: 1, c.predictions), .markers(id: "points", series: 2, c.points),
                ]),
            columns: 1, caption: caption)
    }

    private func compare(_ v: Visuals, _ title: String, _ stale: String) -> Figure {
        let panels = v.compare.prefix(2).enumerated().map { i, panel in
            Figure.Panel(
                header: panel.label, headerSeries: i + 1, footer: sw2Footer(panel.sw2, floor: v.noiseFloor, decimals: 4),
                bounds: v.bounds,
                layers: [.points(id: "samples-\(i + 1)", series: i + 1, panel.points)])
        }
        return Figure(
            title: title, legend: [], panels: panels, columns: 2,
            caption:
                "model samples only (view 1 shows the data); SW2 to the data, lower is better, the floor is two data sets' own; \(state.method.definition.compareNote)"
                + stale)
    }

    private func race(_ race: RaceVisuals, _ title: String) -> Figure {
        let panels = race.panels.enumerated().map { i, panel in
            // Series 1 up to the canvas's last one, then round again: each panel is a canvas of its own.
            let series = 1 + i % (PlotCanvas.maxSeries - 1)
            return Figure.Panel(
                header: panel.label, headerSeries: series,
                footer: panel.sw2.isFinite
                    ? sw2Footer(panel.sw2, floor: race.noiseFloor, decimals: 3) + "  it \(panel.iteration)" : "waiting",
                bounds: race.bounds,
                layers: [.points(id: "samples-\(i + 1)", series: series, panel.points)])
        }
        let stale = race.steps != state.steps ? " (updating to K=\(state.steps)...)" : ""
        return Figure(
            title: title, legend: [], panels: panels, columns: panels.count > 6 ? 4 : min(3, max(1, panels.count)),
            caption:
                "same noise for every method; SW2 to the data, lower is better (floor: two data sets' own); + and - change K for all\(stale)"
        )
    }

    private func truth(_ v: Visuals, _ title: String, _ stale: String) -> Figure {
        guard let truth = v.truth else { return computingExactFlow(title) }
        var layers: [Figure.Layer] = [.heat(truth.heat), .polylines(id: "exact-paths", series: 0, truth.exactPaths)]
        var footer = "move the probe with the arrow keys or h/j/k/l"
        if let probe = state.probeReading {
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

    func point(_ p: SIMD2<Float>) -> String {
        "(\(format(Double(p.x), 2)), \(format(Double(p.y), 2)))"
    }
}
