import FlowCore
import TerminalCanvas

/// The pure state transition: applies `message` to `state` and returns what the run loop must do.
/// What the worker trains and draws is not returned: it follows from the state alone
/// (``WorkerRequest``), which the run loop posts after every call.
///
/// Keys: `q` / Ctrl-C quit, `?` help, `i` what is being trained, `Esc` close either, space pause /
/// resume, `.` one training step (pauses first), `<` / `>` slow motion (1, 10, 100 it/s, full
/// speed), tab / shift-tab or `1`..`7` view (in a race, `1`..`4`, `6` and `7` study one racer while
/// the race goes on, and `5` returns to it), `+` / `-` double / halve K (``Sampler/stepRange``),
/// `[` / `]` t down / up by 1/16, `d` next dataset, `m` next method (in a racer's views: the
/// next racer; in the race view: leave the race for the method alone), `c` switch the coupling
/// (independent / OT) and restart, `r` reset with the same seed, `g` the race's racers (every
/// method or the flow-map family), `f` reflow the flow-matching model (the next round), `s` save
/// a checkpoint, `e` export the view as SVG, `w` draw mode (``Drawing``) and `W` write the
/// drawn set, `t` the tour panel with `n` / `p` its next / previous step. In the truth view the
/// arrow keys and h/j/k/l move the probe; in the flow-map view they move the highlighted (s, t)
/// cell (left / right: t, down / up: s). The mouse: see `handle(_:_:)` for ``Mouse``.
///
/// A snapshot whose training diverged (`Snapshot.divergence`) pauses the app: the worker has
/// stopped, and only `r` starts it again.
public func update(_ state: inout AppState, _ message: Message) -> [Effect] {
    switch message {
    case .resize(let size):
        state.size = size
        return []
    case .snapshot(let snapshot):
        guard snapshot.run == RunKey(state), snapshot.focus == state.focus else { return [] }
        if snapshot.messageSerial != state.seenMessageSerial {
            state.seenMessageSerial = snapshot.messageSerial
            if let text = snapshot.message { state.notice = text }
        }
        if snapshot.divergence != nil { state.paused = true }
        let old = state.snapshot?.visuals
        state.snapshot = snapshot
        // The probe's reading depends on the truth pictures alone: read it again when they change.
        let new = snapshot.visuals
        if state.probeReading == nil || old?.iteration != new?.iteration || old?.steps != new?.steps
            || (old?.truth == nil) != (new?.truth == nil)
        {
            readProbe(&state)
        }
        keepFlowMapCellOnTheMap(&state)
        return []
    case .key(let key):
        return handle(key, &state)
    case .tick(let seconds):
        state.now = seconds
        if state.notice != nil, seconds - state.noticeSince >= AppState.noticeLifetime { state.notice = nil }
        return []
    case .notice(let text):
        state.notice = text
        return []
    }
}

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    if state.drawing != nil, let effects = handleDrawing(key, &state) { return effects }
    if state.view == .truth, let step = probeStep(key) {
        state.probe += step * probeStepSize(state)
        readProbe(&state)
        return []
    }
    if state.view == .flowMap, let step = probeStep(key) {
        moveFlowMapCell(&state, by: step)
        return []
    }
    switch key {
    case .mouse(let mouse):
        handle(mouse, &state)
    case .ctrlC:
        state.quit = true
    case .escape:
        state.showHelp = false
        state.showInfo = false
    case .tab:
        select(ViewKind(rawValue: (state.view.rawValue + 1) % ViewKind.allCases.count)!, &state)
    case .backTab:
        let count = ViewKind.allCases.count
        select(ViewKind(rawValue: (state.view.rawValue + count - 1) % count)!, &state)
    case .character(let c):
        switch c {
        case "q", "Q":
            state.quit = true
        case "?", "h":
            state.showHelp.toggle()
            state.showInfo = false
        case "i":
            state.showInfo.toggle()
            state.showHelp = false
        case "w":
            state.drawing = Drawing()
            state.showHelp = false
            state.showInfo = false
        case "W":
            guard state.dataset == AppState.drawnName else {
                state.notice = "nothing drawn yet: w draws a data set"
                return []
            }
            return [.writePoints(state.drawnPoints, path: AppState.drawnFileName)]
        case "t":
            guard state.tour != nil else {
                state.tour = .builtIn
                state.showTour = true
                return openTourStep(0, &state)
            }
            state.showTour.toggle()
        case "n", "p":
            guard let tour = state.tour, state.showTour else {
                state.notice = "no tour on screen: t opens the lesson's"
                return []
            }
            let next = state.tourStep + (c == "n" ? 1 : -1)
            guard tour.steps.indices.contains(next) else {
                state.notice = c == "n" ? "the tour's last step: t hides the tour" : "the tour's first step"
                return []
            }
            return openTourStep(next, &state)
        case " ":
            if let divergence = state.snapshot?.divergence {
                state.notice = divergence  // the worker has stopped: only r trains again
            } else {
                state.paused.toggle()
            }
        case ".":
            state.paused = true
            state.singleSteps += 1
        case "<":
            state.speed = state.speed.slower
        case ">":
            state.speed = state.speed.faster
        case "1", "2", "3", "4", "5", "6", "7":
            select(ViewKind(rawValue: Int(String(c))! - 1)!, &state)
        case "+", "=":
            changeK(doubling: true, &state)
        case "-", "_":
            changeK(doubling: false, &state)
        case "[":
            state.tIndex = max(0, state.tIndex - 1)
        case "]":
            state.tIndex = min(AppState.tDivisions, state.tIndex + 1)
        case "d":
            let names = ToyDataset.allCases.map(\.rawValue)
            let next = names.firstIndex(of: state.dataset).map { (names.index(after: $0)) % names.count } ?? 0
            state.dataset = names[next]
            restart(&state)
        case "m":
            if state.view.showsRace {  // leave the race for its method alone
                select(.samples, racing: false, &state)
                return []
            }
            let all = state.racing ? state.raceLineup.methods : Method.allCases
            let index = all.firstIndex(of: state.method) ?? 0
            state.method = all[(index + 1) % all.count]
            if state.racing {
                state.snapshot?.visuals = nil  // the next racer's pictures come in a moment
            } else {
                restart(&state)
            }
        case "c":
            guard state.method.definition.supportsCoupling, !state.racing else {
                let methods = Method.allCases.filter { $0.definition.supportsCoupling }.map(\.rawValue)
                state.notice = "OT coupling applies to \(methods.joined(separator: ", ")): press m for one"
                return []
            }
            state.coupling = state.coupling == .ot ? .independent : .ot
            state.snapshot = nil
            state.probeReading = nil
            state.notice = state.coupling == .ot ? "OT coupling on, restarted" : "OT coupling off, restarted"
        case "f":
            guard state.method.definition.supportsReflow, !state.racing else {
                let methods = Method.allCases.filter { $0.definition.supportsReflow }.map(\.rawValue)
                state.notice =
                    "reflow needs a velocity model trained by \(methods.joined(separator: ", ")): press m for one"
                return []
            }
            state.notice = "reflow: making pairs from the current model"
            return [.worker(.reflow)]
        case "r":
            if state.snapshot?.divergence != nil { state.paused = false }  // the new run trains
            state.resets += 1
            state.snapshot = nil
            state.probeReading = nil
            state.notice = "reset with seed \(state.seed)"
        case "g":
            state.raceLineup = state.raceLineup.next
            guard state.racing else {
                state.notice = "the race (5) will train \(state.raceLineup.title)"
                return []
            }
            if !state.raceLineup.methods.contains(state.method) { state.method = state.raceLineup.methods[0] }
            restart(&state)
        case "s":
            return [.worker(.save(path: state.checkpointFileName))]
        case "e":
            guard FigureBuilder(state: state).build().placeholder == nil else {
                state.notice = SVGExport.nothingYet
                return []
            }
            return [.exportView(path: SVGExport.fileName(state))]
        default:
            break
        }
    default:
        break
    }
    return []
}

/// Draw mode's keys, or nil for a key it leaves to the rest: arrows and h/j/k/l move the cursor,
/// space drops a brush there (a mouse press or drag drops one where it points), backspace takes
/// the last brush back, `w` shows or hides the current data under the drawing, `W` writes the
/// points drawn so far, Enter trains on them (the current method, or the race), Esc leaves.
private func handleDrawing(_ key: Key, _ state: inout AppState) -> [Effect]? {
    guard var drawing = state.drawing else { return nil }
    defer { if state.drawing != nil { state.drawing = drawing } }
    if let step = probeStep(key) {
        drawing.moveCursor(by: step)
        return []
    }
    switch key {
    case .character(" "):
        drawing.brush(at: drawing.cursor)
    case .backspace:
        drawing.undo()
    case .character("w"):
        drawing.showsData.toggle()
    case .character("W"):
        guard !drawing.points.isEmpty else {
            state.notice = "nothing drawn yet: space drops a brush"
            return []
        }
        return [.writePoints(drawing.points, path: AppState.drawnFileName)]
    case .mouse(let mouse) where mouse.button == 0 && (mouse.action == .press || mouse.action == .drag):
        guard let hit = layout(state).first(where: { $0.plot.contains(mouse.point) }) else { return [] }
        drawing.brush(at: hit.world(mouse.point))
    case .escape:
        state.drawing = nil
        state.notice = "draw mode left; the run goes on as it was"
    case .enter:
        guard drawing.points.count / 2 >= Drawing.minimumPoints else {
            state.notice =
                "draw at least \(Drawing.minimumPoints) points (\(Drawing.minimumPoints / Drawing.brushPoints) brushes) first"
            return []
        }
        let before = (run: RunKey(state), focus: state.focus)
        state.drawing = nil
        state.drawnPoints = drawing.points
        state.dataset = AppState.drawnName
        settle(&state, from: before.run, focus: before.focus)
        state.notice = "training on the \(drawing.points.count / 2) drawn points (W writes them as a CSV)"
    default:
        return nil
    }
    return []
}

/// The mouse, each action also on a key: the wheel doubles or halves K (`+`, `-`); a press or
/// drag in the truth view's plot moves the probe there (the arrow keys); a press on a race panel
/// studies that racer (`1` and `m`).
private func handle(_ mouse: Mouse, _ state: inout AppState) {
    switch mouse.action {
    case .wheelUp:
        changeK(doubling: true, &state)
    case .wheelDown:
        changeK(doubling: false, &state)
    case .press, .drag:
        guard mouse.button == 0 else { return }
        let placements = layout(state)
        if state.view == .truth, let hit = placements.first(where: { $0.plot.contains(mouse.point) }) {
            state.probe = hit.world(mouse.point)
            readProbe(&state)
        } else if state.view.showsRace, mouse.action == .press,
            let hit = placements.first(where: { $0.cell.contains(mouse.point) }), hit.panel < state.raceLineup.methods.count
        {
            state.method = state.raceLineup.methods[hit.panel]
            select(.samples, &state)
        }
    case .release:
        break
    }
}

/// Doubles or halves K within ``Sampler/stepRange``.
private func changeK(doubling: Bool, _ state: inout AppState) {
    state.steps =
        doubling ? min(state.steps * 2, Sampler.stepRange.upperBound) : max(state.steps / 2, Sampler.stepRange.lowerBound)
}

/// Shows `view`. The race view starts a race unless one runs; in a race the other views study
/// one racer (the current method if it races, else the lineup's first) while the race goes on,
/// unless `racing` is false (the method alone).
private func select(_ view: ViewKind, racing: Bool? = nil, _ state: inout AppState) {
    let before = (run: RunKey(state), focus: state.focus, racing: state.racing)
    state.view = view
    state.racing = racing ?? before.racing
    if state.racing, !state.raceLineup.methods.contains(state.method) { state.method = state.raceLineup.methods[0] }
    settle(&state, from: before.run, focus: before.focus)
}

/// Opens step `index` of the tour: sets the state its `state:` line names (a new run only when
/// the run key changes) and asks for its speaker notes.
public func openTourStep(_ index: Int, _ state: inout AppState) -> [Effect] {
    guard let step = state.tour?.steps[index] else { return [] }
    let before = (run: RunKey(state), focus: state.focus)
    state.tourStep = index
    step.settings.apply(to: &state)
    settle(&state, from: before.run, focus: before.focus)
    return [.tourNotes(step: index)]
}

/// After a change of view or tour step: drops the old run's pictures when the state now names
/// another run, or the old racer's when it studies another, and reads the probe again.
private func settle(_ state: inout AppState, from run: RunKey, focus: Method?) {
    if RunKey(state) != run {
        restart(&state)
    } else if state.focus != focus {
        state.snapshot?.visuals = nil  // the racer's own pictures come in a moment
    }
    readProbe(&state)
}

/// The direction an arrow key or h/j/k/l moves the probe, or nil for other keys.
private func probeStep(_ key: Key) -> SIMD2<Float>? {
    switch key {
    case .left, .character("h"): SIMD2(-1, 0)
    case .right, .character("l"): SIMD2(1, 0)
    case .up, .character("k"): SIMD2(0, 1)
    case .down, .character("j"): SIMD2(0, -1)
    default: nil
    }
}

/// One probe step: 1/40 of the truth grid's width (0.2 without a grid yet).
private func probeStepSize(_ state: AppState) -> Float {
    guard let heat = state.snapshot?.visuals?.truth?.heat else { return 0.2 }
    return Float(heat.bounds.width) / 40
}

/// Moves the flow-map view's cell one grid step: `step.x` along t, `step.y` along s. It stays on
/// the triangle s < t and, once the cells are known, on a cell the model has (a consistency model:
/// t = 1 only).
private func moveFlowMapCell(_ state: inout AppState, by step: SIMD2<Float>) {
    let n = FlowMapError.divisions
    let start = state.flowMapStart + Int(step.y)
    let end = state.flowMapEnd + Int(step.x)
    guard start >= 0, start < end, end <= n else { return }
    if let map = state.snapshot?.visuals?.flowMap, map.cell(from: start, to: end) == nil { return }
    state.flowMapStart = start
    state.flowMapEnd = end
}

/// Puts the flow-map cell on t = 1 when the model of new cells has none where it was (after
/// switching to a consistency model).
private func keepFlowMapCellOnTheMap(_ state: inout AppState) {
    guard let map = state.snapshot?.visuals?.flowMap, map.cell(from: state.flowMapStart, to: state.flowMapEnd) == nil
    else { return }
    state.flowMapEnd = map.divisions
    state.flowMapStart = min(state.flowMapStart, map.divisions - 1)
}

/// Recomputes the probe's exact path and jumps for the newest truth pictures (truth view only).
private func readProbe(_ state: inout AppState) {
    guard state.view == .truth, let truth = state.snapshot?.visuals?.truth else {
        if state.view != .truth { state.probeReading = nil }
        return
    }
    let b = truth.heat.bounds
    state.probe = SIMD2(
        min(max(state.probe.x, Float(b.xMin)), Float(b.xMax)), min(max(state.probe.y, Float(b.yMin)), Float(b.yMax)))
    state.probeReading = ProbeReading(truth: truth, start: state.probe)
}

/// Drops the old run's pictures: the state now names a new run (``RunKey``), which the worker
/// starts when it sees the request.
private func restart(_ state: inout AppState) {
    state.snapshot = nil
    state.notice = nil
    state.probeReading = nil
}
