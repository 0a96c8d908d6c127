import FlowCore
import Foundation
import TerminalCanvas

/// Draws `state` into a new buffer of `state.size`: pure, no I/O.
///
/// Layout, top to bottom: a tab bar (1 row; ``tabLabels(_:width:)``), the current view in a titled panel (the rest), its
/// one-line caption, the loss panel (4 rows) and the status bar (1 row). Below
/// `AppState.minimumSize` only a centred message with the needed size is drawn. `?` overlays the
/// key help.
public func view(_ state: AppState) -> CellBuffer {
    var buffer = CellBuffer(size: state.size)
    render(state, into: &buffer)
    return buffer
}

/// Draws `state` into `buffer` (cleared first).
public func render(_ state: AppState, into buffer: inout CellBuffer) { drawScreen(state, into: &buffer) }

/// Where the current view's panels are on screen, as `render` draws them (for the mouse).
func layout(_ state: AppState) -> [FigureRenderer.Placement] {
    var scratch = CellBuffer(size: state.size)
    return drawScreen(state, into: &scratch)
}

/// What `render` does, returning where the view's panels went.
@discardableResult
private func drawScreen(_ state: AppState, into buffer: inout CellBuffer) -> [FigureRenderer.Placement] {
    buffer.clear()
    let screen = buffer.bounds
    guard state.isLargeEnough else {
        drawTooSmall(state, into: &buffer)
        return []
    }
    let figure = FigureBuilder(state: state).build()
    // A diverged run keeps its last pictures; the caption says why training stopped.
    let caption = wrapped(
        SafeText.escaped(state.snapshot?.divergence ?? figure.caption, limit: Int.max, oneColumn: true), width: screen.width - 1,
        lines: 2)
    // The tour panel sits above the loss panel from 40 rows, in its place below.
    let tour = state.showTour && state.tour != nil
    let tourLines = tour ? TourPanel.lines(state, width: screen.width - 4, maximum: TourPanel.maximumLines(screen)) : []
    let tourHeight = tour ? tourLines.count + 2 : 0
    let lossHeight = tour && screen.height < 40 ? 0 : 4
    let bands = screen.rows([
        .fixed(1), .fill(), .fixed(caption.count), .fixed(tourHeight), .fixed(lossHeight), .fixed(1),
    ])
    drawTabs(state, into: &buffer, in: bands[0])
    let placements = FigureRenderer(state: state).draw(figure, into: &buffer, in: bands[1])
    for (i, line) in caption.enumerated() {
        buffer.write(
            " " + line, in: Rect(x: bands[2].x, y: bands[2].y + i, width: bands[2].width, height: 1), alignment: .left,
            style: Style(dim: state.palette != .monochrome))
    }
    if tour { TourPanel.draw(state, lines: tourLines, into: &buffer, in: bands[3]) }
    if lossHeight > 0 { drawLosses(state, into: &buffer, in: bands[4]) }
    drawStatus(state, into: &buffer, in: bands[5])
    if state.showHelp { drawHelp(state, into: &buffer, in: screen) }
    if state.showInfo { InfoPanel.draw(state, into: &buffer, in: screen) }
    return placements
}

/// `text` broken into lines of at most `width` characters at spaces (a word longer than a line
/// is cut), at most `lines` of them; when it does not fit, the last line ends in "..." at a word
/// boundary. Always at least one line.
func wrapped(_ text: String, width: Int, lines: Int) -> [String] {
    guard width > 3 else { return [String(text.prefix(max(0, width)))] }
    var out: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
        let piece = word.count > width ? String(word.prefix(width)) : word
        if line.isEmpty {
            line = piece
        } else if line.count + 1 + piece.count <= width {
            line += " " + piece
        } else {
            out.append(line)
            line = piece
        }
    }
    out.append(line)
    guard out.count > lines else { return out }
    var last = out[lines - 1]
    let rest = out[lines...].joined(separator: " ")
    last += " " + rest
    while last.count + 3 > width, let space = last.lastIndex(of: " ") { last = String(last[..<space]) }
    if last.count + 3 > width { last = String(last.prefix(width - 3)) }
    return Array(out.prefix(lines - 1)) + [last + "..."]
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

/// The tab bar's parts for `width` columns: the program's name (or nothing) and one label per
/// view. Where every name does not fit beside "? help", the program's name goes first, then the
/// names of the views not on screen (their numbers stay), so every view keeps its key.
func tabLabels(_ state: AppState, width: Int) -> (brand: String, labels: [String]) {
    func full(_ kind: ViewKind) -> String { " \(kind.rawValue + 1) \(kind.name) " }
    let room = width - tabHelp.count
    func fits(_ brand: String, _ labels: [String]) -> Bool { brand.count + labels.map { $0.count + 1 }.reduce(0, +) <= room }
    let names = ViewKind.allCases.map(full)
    if fits(tabBrand, names) { return (tabBrand, names) }
    if fits("", names) { return ("", names) }
    return ("", ViewKind.allCases.map { $0 == state.view ? full($0) : " \($0.rawValue + 1) " })
}

private let tabBrand = " flow-explorer "
private let tabHelp = "? help "

private func drawTabs(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
    let (brand, labels) = tabLabels(state, width: rect.width)
    var x = rect.x
    x = buffer.write(brand, at: Point(x: x, y: rect.y), style: state.palette.title)
    for (kind, label) in zip(ViewKind.allCases, labels) {
        let style = kind == state.view ? Style(bold: true, reverse: true) : Style.plain
        x = buffer.write(label, at: Point(x: x + 1, y: rect.y), style: style, clip: rect)
    }
    buffer.write(tabHelp, in: rect, alignment: .right, style: state.palette.frame)
}

/// The status bar's parts in reading order, each with a priority (higher stays longer): method,
/// dataset, iteration, it/s, K, t, seed, running / paused, a notice, the phase, the reflow round,
/// the coupling, the straightness S of the model's paths and the run code (``RunCode``). A frame
/// rendered from a checkpoint (`render`) says so instead of a rate, running and a code.
func statusParts(_ state: AppState) -> [(text: String, priority: Int)] {
    let snap = state.snapshot
    let racing = state.racing
    let name = state.view.showsRace ? "race" : racing ? "race: \(state.method.rawValue)" : state.method.rawValue
    var parts: [(text: String, priority: Int)] = [
        (name, 9), (state.displayDataset, 8), ("it \(snap?.iteration ?? 0)", 9),
    ]
    if state.rendered {
        parts.append(("rendered from a checkpoint", 3))
    } else {
        parts.append(("\(Int((snap?.iterationsPerSecond ?? 0).rounded())) it/s", 5))
    }
    parts += [("K=\(state.steps)", 9), ("t=\(format(state.t, 2))", state.tIndex == AppState.tDivisions ? 1 : 6)]
    parts.append(("seed \(state.seed)", 2))
    if !state.rendered {
        // The worker says whether anything trains (not after a failed start).
        parts.append((state.paused ? "paused" : snap?.running == false ? "not training" : "running", 7))
        if let slow = state.speed.label { parts.append((slow, 8)) }
        if snap?.liveWeights == true { parts.append(("live weights", 7)) }
    }
    if let notice = state.notice { parts.append((notice, 8)) }
    if let phase = snap?.phase { parts.append((phase, 7)) }
    let round = snap?.reflowRound ?? 0
    if !racing, round > 0 {
        parts.append(("reflow \(round)", 7))  // its pairs replace the coupling's
    } else if !racing, state.method.definition.supportsCoupling {
        parts.append((state.coupling == .ot ? "OT pairs" : "independent pairs", 6))
    }
    if !state.view.showsRace, let visuals = snap?.visuals {
        let text: String
        if let straightness = visuals.straightness {
            text =
                visuals.iteration < AppState.straightnessFrom
                ? "S after \(AppState.straightnessFrom) it" : "S=\(format(straightness, 3))"
        } else {
            text = "S: no ODE"
        }
        parts.append((text, 6))
    }
    if !state.rendered, let code = RunCode(state) {
        parts.append(("code \(code.text)", 4))
    } else if !state.rendered, state.dataset == AppState.drawnName {
        parts.append(("no code for drawn data: W saves it", 4))
    }
    return parts
}

/// The status bar text for `width` columns: the parts of `statusParts`, dropping the lowest
/// priority (the later of equals) until the line fits, so the coupling and S outlast the seed.
func statusText(_ state: AppState, width: Int = Int.max) -> String {
    let sep = state.ascii ? " | " : " │ "
    // Notices can quote paths and file content: no control character reaches the screen.
    var parts = statusParts(state).map { (text: SafeText.escaped($0.text, limit: 200, oneColumn: true), priority: $0.priority) }
    func line() -> String { " " + parts.map(\.text).joined(separator: sep) }
    while parts.count > 1, line().count > width {
        let lowest = parts.map(\.priority).min()!
        parts.remove(at: parts.lastIndex { $0.priority == lowest }!)
    }
    return line()
}

private func drawStatus(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
    let style = Style(reverse: true)
    buffer.fill(rect, with: Cell(" ", style: style))
    let status = statusText(state, width: rect.width)
    buffer.write(status, in: rect, alignment: .left, style: style)
    let command = RunRecipe(state).tui + " "
    // The command keeps the dataset's own characters for copying: drawn only when each takes one cell.
    if !state.rendered, status.count + 4 + command.count <= rect.width, command.unicodeScalars.allSatisfy(SafeText.isOneColumn) {
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
    if let note = state.view.definition.lossNote {
        for (i, line) in note.prefix(inner.height).enumerated() {
            buffer.write(line, at: Point(x: inner.x, y: inner.y + i), clip: inner)
        }
        return
    }
    let definition = state.method.definition
    let rows: [(String, [Float])] =
        definition.lossParts.map { [($0.first, snap?.flowMatchingLosses ?? []), ($0.second, snap?.bootstrapLosses ?? [])] }
        ?? [(definition.title, snap?.losses ?? [])]
    // The parts share one scale, so a small part draws as a low line; labels keep their width.
    let labelWidth = min((rows.map(\.0.count).max() ?? 0) + 1, inner.width / 3)
    let tails = rows.map { " " + ($0.1.last.map { format(Double($0), 5) } ?? "-") }
    let sparkWidth = max(0, inner.width - labelWidth - (tails.map(\.count).max() ?? 0))
    let lines = rows.map { Sparkline($0.1, ascii: state.ascii, logarithmic: true) }
    let scale = Sparkline.sharedScale(lines, width: sparkWidth)
    for (i, (name, _)) in rows.prefix(inner.height).enumerated() {
        let row = Rect(x: inner.x, y: inner.y + i, width: inner.width, height: 1)
        buffer.write(String(name.prefix(labelWidth)), at: row.origin, style: state.palette.style(forSeries: i), clip: row)
        var line = lines[i]
        line.scale = scale
        line.render(
            into: &buffer, in: Rect(x: row.x + labelWidth, y: row.y, width: sparkWidth, height: 1),
            style: state.palette.style(forSeries: i))
        buffer.write(tails[i], in: row, alignment: .right)
    }
    if rows.count < inner.height, snap == nil {
        buffer.write("waiting for the first steps...", at: Point(x: inner.x, y: inner.y + rows.count), clip: inner)
    }
}

/// Every key binding, as the help overlay shows it: the keys (separated by two spaces) and
/// what they do.
public let keyHelp: [(keys: String, action: String)] = [
    ("q  Ctrl-C", "quit"),
    ("?  Esc", "this help / close it"),
    ("space", "pause / resume training"),
    (".", "one training step (pauses)"),
    ("<  >", "slow motion 1, 10, 100 it/s / full"),
    ("tab  1..7", "view: 5 race, 6 truth, 7 flow map"),
    ("+  -", "double / halve K (1..\(Sampler.stepRange.upperBound))"),
    ("[  ]", "scrub t (samples view shows x_t)"),
    ("d", "next dataset"),
    ("m", "next method (in a race: next racer)"),
    ("c", "independent / OT coupling (restarts)"),
    ("g", "racers: all / the flow-map family"),
    ("f", "reflow fm: train on its own pairs"),
    ("arrows  hjkl", "move the probe / the flow-map cell"),
    ("r  s", "reset (same seed) / save the model"),
    ("e", "export this view as SVG"),
    ("w  W", "draw your own data / write it as CSV"),
    ("i", "the loss and sampler; SW2 and S"),
    ("t  n  p", "the lesson's tour: show, next, back"),
]

/// Every key, as the help overlay shows it.
public let helpLines: [String] = {
    let width = (keyHelp.map(\.keys.count).max() ?? 0) + 2
    return keyHelp.map { $0.keys.padding(toLength: width, withPad: " ", startingAt: 0) + $0.action }
}()

/// Every key name the help overlay lists, one each (`1..7` becomes 1, 2, ..., 7; `hjkl` h, j, k,
/// l), for docs and tests.
public let helpKeys: [String] = keyHelp.flatMap { entry in
    entry.keys.split(separator: " ").flatMap { word -> [String] in
        switch word {
        case "1..7": (1...7).map(String.init)
        case "hjkl": ["h", "j", "k", "l"]
        default: [String(word)]
        }
    }
}

/// The help overlay's lines: the keys, then the commands that reproduce this run
/// (`RunRecipe`), each wrapped to `width` with continuation lines indented.
func helpOverlayLines(_ state: AppState, width: Int) -> [String] {
    let code =
        RunCode(state).map { "Run code \($0.text): flow-explorer tui --code \($0.text) reopens it (K and view too)" }
        ?? (state.dataset == AppState.drawnName
            ? "No run code for drawn data: W writes it to \(AppState.drawnFileName), for --dataset"
            : "No run code: the data is a file (give it with --dataset)")
    var lines = helpLines + [""]
    for (i, command) in ([code] + RunRecipe(state).lines).enumerated() {
        if i == 1 { lines.append("Reproduce this run:") }
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
