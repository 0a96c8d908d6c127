import FlowCore
import TerminalCanvas

/// The pure state transition: applies `message` to `state` and returns what the run loop must do.
///
/// Keys: `q` / Ctrl-C quit, `?` help, `Esc` close help, space pause / resume, tab / shift-tab or
/// `1`..`7` view, `+` / `-` double / halve K (1...128), `[` / `]` t down / up by 1/16, `d` next
/// dataset, `m` next method, `c` switch the coupling (independent / OT) and restart, `r` reset
/// with the same seed, `g` the race's racers (every method or the flow-map family), `f` reflow the
/// flow-matching model (the next round), `s` save a checkpoint, `e` export the view as SVG (`SVGExport`; the worker
/// writes the file). In the truth view the arrow keys and h/j/k/l move the probe; in the flow-map
/// view they move the highlighted (s, t) cell (left / right: t, down / up: s).
///
/// A snapshot whose training diverged (`Snapshot.divergence`) pauses the app: the worker has
/// stopped, and only `r` starts it again.
public func update(_ state: inout AppState, _ message: Message) -> [Effect] {
    switch message {
    case .resize(let size):
        state.size = size
        return []
    case .snapshot(let snapshot):
        let racing = state.view == .race
        guard snapshot.isRace == racing, racing || snapshot.method == state.method, snapshot.dataset == state.dataset else {
            return []
        }
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
    }
}

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
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
    case .ctrlC:
        state.quit = true
    case .escape:
        state.showHelp = false
        state.showInfo = false
    case .tab:
        return select(ViewKind(rawValue: (state.view.rawValue + 1) % ViewKind.allCases.count)!, &state)
    case .backTab:
        let count = ViewKind.allCases.count
        return select(ViewKind(rawValue: (state.view.rawValue + count - 1) % count)!, &state)
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
        case " ":
            state.paused.toggle()
            return [.worker(.setPaused(state.paused))]
        case "1", "2", "3", "4", "5", "6", "7":
            return select(ViewKind(rawValue: Int(String(c))! - 1)!, &state)
        case "+", "=":
            guard state.steps < AppState.maxSteps else { return [] }
            state.steps *= 2
            return [.worker(.setSteps(state.steps))]
        case "-", "_":
            guard state.steps > 1 else { return [] }
            state.steps /= 2
            return [.worker(.setSteps(state.steps))]
        case "[":
            state.tIndex = max(0, state.tIndex - 1)
        case "]":
            state.tIndex = min(AppState.tDivisions, state.tIndex + 1)
        case "d":
            let names = ToyDataset.allCases.map(\.rawValue)
            let next = names.firstIndex(of: state.dataset).map { (names.index(after: $0)) % names.count } ?? 0
            state.dataset = names[next]
            return restart(&state)
        case "m":
            if state.view == .race { return select(.samples, &state) }  // leave the race for its first method
            let all = Method.allCases
            let index = all.firstIndex(of: state.method) ?? 0
            state.method = all[(index + 1) % all.count]
            return restart(&state)
        case "c":
            guard state.method.definition.supportsCoupling, state.view != .race else {
                let methods = Method.allCases.filter { $0.definition.supportsCoupling }.map(\.rawValue)
                state.notice = "OT coupling applies to \(methods.joined(separator: ", ")): press m for one"
                return []
            }
            state.coupling = state.coupling == .ot ? .independent : .ot
            state.snapshot = nil
            state.probeReading = nil
            state.notice = state.coupling == .ot ? "OT coupling on, restarted" : "OT coupling off, restarted"
            return [.worker(.setCoupling(state.coupling))]
        case "f":
            guard state.method.definition.supportsReflow, state.view != .race else {
                let methods = Method.allCases.filter { $0.definition.supportsReflow }.map(\.rawValue)
                state.notice =
                    "reflow needs a velocity model trained by \(methods.joined(separator: ", ")): press m for one"
                return []
            }
            state.notice = "reflow: making pairs from the current model"
            return [.worker(.reflow)]
        case "r":
            if state.snapshot?.divergence != nil { state.paused = false }  // the worker resumes too
            state.snapshot = nil
            state.notice = "reset with seed \(state.seed)"
            return [.worker(.reset)]
        case "g":
            state.raceLineup = state.raceLineup.next
            guard state.view == .race else {
                state.notice = "the race (5) will train \(state.raceLineup.title)"
                return []
            }
            return restart(&state)
        case "s":
            return [.worker(.save(path: state.checkpointFileName))]
        case "e":
            guard let svg = SVGExport.document(state) else {
                state.notice = "nothing to export yet: the first pictures come in a moment"
                return []
            }
            return [.worker(.export(path: SVGExport.fileName(state), contents: svg))]
        default:
            break
        }
    default:
        break
    }
    return []
}

/// Shows `view` and tells the worker; entering or leaving the race restarts the worker in the
/// other mode.
private func select(_ view: ViewKind, _ state: inout AppState) -> [Effect] {
    let wasRacing = state.view == .race
    state.view = view
    readProbe(&state)
    let show: [Effect] = [.worker(.setView(view))]
    return wasRacing == (view == .race) ? show : show + restart(&state)
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

/// Drops the old run's pictures and asks the worker for the new run: a race of every method in
/// the race view, else the method alone.
private func restart(_ state: inout AppState) -> [Effect] {
    state.snapshot = nil
    state.notice = nil
    state.probeReading = nil
    if state.view == .race { return [.worker(.race(dataset: state.dataset, lineup: state.raceLineup))] }
    return [.worker(.configure(method: state.method, dataset: state.dataset))]
}
