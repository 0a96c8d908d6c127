import FlowCore
import TerminalCanvas

/// The pure state transition: applies `message` to `state` and returns what the run loop must do.
///
/// Keys: `q` / Ctrl-C quit, `?` help, `Esc` close help, space pause / resume, tab / shift-tab or
/// `1`..`4` view, `+` / `-` double / halve K (1...128), `[` / `]` t down / up by 1/16, `d` next
/// dataset, `m` next method, `r` reset with the same seed, `s` save a checkpoint, `e` export the
/// view as SVG (`SVGExport`; the worker writes the file).
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
        state.snapshot = snapshot
        return []
    case .key(let key):
        return handle(key, &state)
    }
}

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    switch key {
    case .ctrlC:
        state.quit = true
    case .escape:
        state.showHelp = false
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
        case " ":
            state.paused.toggle()
            return [.worker(.setPaused(state.paused))]
        case "1", "2", "3", "4", "5":
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
        case "r":
            if state.snapshot?.divergence != nil { state.paused = false }  // the worker resumes too
            state.snapshot = nil
            state.notice = "reset with seed \(state.seed)"
            return [.worker(.reset)]
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

/// Shows `view`; entering or leaving the race restarts the worker in the other mode.
private func select(_ view: ViewKind, _ state: inout AppState) -> [Effect] {
    let wasRacing = state.view == .race
    state.view = view
    return wasRacing == (view == .race) ? [] : restart(&state)
}

/// Drops the old run's pictures and asks the worker for the new run: a race of every method in
/// the race view, else the method alone.
private func restart(_ state: inout AppState) -> [Effect] {
    state.snapshot = nil
    state.notice = nil
    if state.view == .race { return [.worker(.race(dataset: state.dataset))] }
    return [.worker(.configure(method: state.method, dataset: state.dataset))]
}
