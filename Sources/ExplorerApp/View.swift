import FlowCore
import Foundation
import TerminalCanvas

/// Draws `state` into a new buffer of `state.size`: pure, no I/O.
///
/// Layout, top to bottom: a tab bar (1 row), the current view in a titled panel (the rest), its
/// one-line caption, the loss panel (4 rows) and the status bar (1 row). Below
/// `AppState.minimumSize` only a centred message with the needed size is drawn. `?` overlays the
/// key help.
public func view(_ state: AppState) -> CellBuffer {
    var buffer = CellBuffer(size: state.size)
    render(state, into: &buffer)
    return buffer
}

/// Draws `state` into `buffer` (cleared first).
public func render(_ state: AppState, into buffer: inout CellBuffer) {
    buffer.clear()
    let screen = buffer.bounds
    guard state.isLargeEnough else {
        drawTooSmall(state, into: &buffer)
        return
    }
    let bands = screen.rows([.fixed(1), .fill(), .fixed(1), .fixed(4), .fixed(1)])
    drawTabs(state, into: &buffer, in: bands[0])
    let caption = FigureRenderer(state: state).draw(FigureBuilder(state: state).build(), into: &buffer, in: bands[1])
    // A diverged run keeps its last pictures; the caption line says why training stopped.
    buffer.write(
        SafeText.escaped(" " + (state.snapshot?.divergence ?? caption), limit: Int.max), in: bands[2], alignment: .left,
        style: Style(dim: state.palette != .monochrome))
    drawLosses(state, into: &buffer, in: bands[3])
    drawStatus(state, into: &buffer, in: bands[4])
    if state.showHelp { drawHelp(state, into: &buffer, in: screen) }
}

/// The lines of the too-small message.
func tooSmallLines(_ state: AppState) -> [String] {
    let need = AppState.minimumSize
    return [
        "terminal too small: \(state.size.width)x\(state.size.height)",
        "flow-explorer needs at least \(need.width)x\(need.height)",
        "enlarge it or press q to quit",
    ]
}

private func drawTooSmall(_ state: AppState, into buffer: inout CellBuffer) {
    let lines = tooSmallLines(state)
    let top = max(0, (state.size.height - lines.count) / 2)
    for (i, line) in lines.enumerated() {
        buffer.write(line, in: Rect(x: 0, y: top + i, width: state.size.width, height: 1), alignment: .center)
    }
}

private func drawTabs(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
    var x = rect.x
    x = buffer.write(" flow-explorer ", at: Point(x: x, y: rect.y), style: state.palette.title)
    for kind in ViewKind.allCases {
        let label = " \(kind.rawValue + 1) \(kind.name) "
        let style = kind == state.view ? Style(bold: true, reverse: true) : Style.plain
        x = buffer.write(label, at: Point(x: x + 1, y: rect.y), style: style, clip: rect)
    }
    let help = "? help "
    buffer.write(help, in: rect, alignment: .right, style: state.palette.frame)
}

/// The status bar text: method, dataset, iteration, it/s, K, t, seed, running / paused, a notice,
/// the phase, the coupling and the straightness S of the model's paths.
func statusText(_ state: AppState) -> String {
    let sep = state.ascii ? " | " : " │ "
    let snap = state.snapshot
    let iteration = snap?.iteration ?? 0
    let rate = snap.map { Int($0.iterationsPerSecond.rounded()) } ?? 0
    var parts = [
        state.view == .race ? "race" : state.method.rawValue, state.displayDataset, "it \(iteration)", "\(rate) it/s",
        "K=\(state.steps)",
        "t=\(format(state.t, 2))", "seed \(state.seed)", state.paused ? "paused" : "running",
    ]
    // Notices come first: a narrow terminal cuts the end of the line.
    if let notice = state.notice { parts.append(notice) }
    if let phase = snap?.phase { parts.append(phase) }
    if state.view != .race, state.method.definition.supportsCoupling {
        parts.append(state.coupling == .ot ? "OT pairs" : "independent pairs")
    }
    if state.view != .race, let visuals = snap?.visuals {
        parts.append(visuals.straightness.map { "S=\(format($0, 3))" } ?? "S: no ODE")
    }
    // Notices can quote paths and file content: no control character reaches the screen.
    return SafeText.escaped(" " + parts.joined(separator: sep), limit: Int.max)
}

private func drawStatus(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
    let style = Style(reverse: true)
    buffer.fill(rect, with: Cell(" ", style: style))
    let status = statusText(state)
    buffer.write(status, in: rect, alignment: .left, style: style)
    let command = RunRecipe(state).tui + " "
    if status.count + 4 + command.count <= rect.width {
        buffer.write(command, in: rect, alignment: .right, style: style)
    }
}

private func drawLosses(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
    let inner = Panel(
        title: "Loss (log scale, smoothed, whole run)", ascii: state.ascii, borderStyle: state.palette.frame,
        titleStyle: state.palette.title
    )
    .render(into: &buffer, in: rect)
    guard !inner.isEmpty else { return }
    let snap = state.snapshot
    if state.view == .race {
        buffer.write(
            "the race trains every method in turn; the SW2 under each panel is its quality (lower is better)",
            at: inner.origin, clip: inner)
        buffer.write(
            "press 1-4 or m to study one method: its views and its loss curve", at: Point(x: inner.x, y: inner.y + 1),
            clip: inner)
        return
    }
    let definition = state.method.definition
    let rows: [(String, [Float])] =
        definition.lossParts.map { [($0.first, snap?.flowMatchingLosses ?? []), ($0.second, snap?.bootstrapLosses ?? [])] }
        ?? [(definition.title, snap?.losses ?? [])]
    for (i, (name, values)) in rows.prefix(inner.height).enumerated() {
        let row = Rect(x: inner.x, y: inner.y + i, width: inner.width, height: 1)
        let last = values.last.map { format(Double($0), 5) } ?? "-"
        let label = name.padding(toLength: 14, withPad: " ", startingAt: 0)
        let tail = " " + last
        buffer.write(label, at: row.origin, style: state.palette.style(forSeries: i), clip: row)
        let spark = Rect(x: row.x + 14, y: row.y, width: max(0, row.width - 14 - tail.count), height: 1)
        Sparkline(values, ascii: state.ascii, logarithmic: true)
            .render(into: &buffer, in: spark, style: state.palette.style(forSeries: i))
        buffer.write(tail, in: row, alignment: .right)
    }
    if rows.count < inner.height, snap == nil {
        buffer.write("waiting for the first steps...", at: Point(x: inner.x, y: inner.y + rows.count), clip: inner)
    }
}

/// Every key binding, as the help overlay shows it: the keys (separated by two spaces) and
/// what they do.
public let keyHelp: [(keys: String, action: String)] = [
    ("q  Ctrl-C", "quit"),
    ("?", "this help"),
    ("Esc", "close this help"),
    ("space", "pause / resume training"),
    ("tab  1..6", "switch view (5 race, 6 truth)"),
    ("+  -", "double / halve K (1..128)"),
    ("[  ]", "scrub t (samples view shows x_t)"),
    ("d", "next dataset"),
    ("m", "next method (in the race: study one)"),
    ("c", "independent / OT coupling (restarts)"),
    ("arrows  hjkl", "move the probe (truth view)"),
    ("r", "reset with the same seed"),
    ("s", "save a checkpoint"),
    ("e", "export this view as SVG"),
]

/// Every key, as the help overlay shows it.
public let helpLines: [String] = keyHelp.map { $0.keys.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.action }

/// Every key name the help overlay lists, one each (`1..6` becomes 1, 2, ..., 6; `hjkl` h, j, k,
/// l), for docs and tests.
public let helpKeys: [String] = keyHelp.flatMap { entry in
    entry.keys.split(separator: " ").flatMap { word -> [String] in
        switch word {
        case "1..6": (1...6).map(String.init)
        case "hjkl": ["h", "j", "k", "l"]
        default: [String(word)]
        }
    }
}

/// The help overlay's lines: the keys, then the commands that reproduce this run
/// (`RunRecipe`), each wrapped to `width` with continuation lines indented.
func helpOverlayLines(_ state: AppState, width: Int) -> [String] {
    var lines = helpLines + ["", "Reproduce this run:"]
    for command in RunRecipe(state).lines {
        var line = ""
        for word in command.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = "    "
            }
            line += (line.isEmpty || line == "    " ? "" : " ") + word
        }
        lines.append(line)
    }
    return lines
}

private func drawHelp(_ state: AppState, into buffer: inout CellBuffer, in screen: Rect) {
    let keysWidth = (helpLines.map(\.count).max() ?? 20) + 6
    let commandsWidth = (RunRecipe(state).lines.map(\.count).max() ?? 0) + 6
    let width = min(screen.width, max(keysWidth, commandsWidth))
    let lines = helpOverlayLines(state, width: width - 6)
    let rect = screen.centered(Size(width: width, height: lines.count + 4))
    buffer.fill(rect)
    let inner = Panel(title: "Keys", ascii: state.ascii, borderStyle: state.palette.frame, titleStyle: state.palette.title)
        .render(into: &buffer, in: rect)
    for (i, line) in lines.enumerated() {
        buffer.write(line, at: Point(x: inner.x + 2, y: inner.y + 1 + i), clip: inner)
    }
}

/// `value` with `decimals` digits after the point, without Foundation; "--" when not finite.
func format(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "--" }
    return Axes.format(value, decimals: decimals)
}
