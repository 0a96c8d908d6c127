import FlowCore
import Foundation
import TerminalCanvas

/// The UI loop: keys and snapshots in, `update`, frames out at most `frameInterval` apart, and
/// after every `update` the state's ``WorkerRequest`` posted to the worker when it changed.
///
/// Each turn takes the newest snapshot (never waiting for the worker), draws a frame when
/// something changed and the frame slot is due, then waits for a key for at most the time left
/// until the next slot (so the thread sleeps inside the device's key timeout).
public struct RunLoop {
    /// 30 frames per second at most.
    public static let defaultFrameInterval: Duration = .milliseconds(33)

    public var frameInterval: Duration
    /// How long to wait for a key when nothing needs drawing (snapshots are polled this often).
    public var idleWait: Duration = .milliseconds(50)
    public var log: EventLog?
    /// The files the run reads (`--load`, a CSV dataset): an export never writes over them.
    public var inputs: [String]
    /// Where a tour's speaker notes go as each step opens (`--notes FILE`).
    public var notes: EventLog?
    /// Records every frame shown, and a marker at each tour step (`--record FILE.cast`).
    public var recorder: CastRecorder?

    public init(
        frameInterval: Duration = RunLoop.defaultFrameInterval, log: EventLog? = nil, inputs: [String] = [],
        notes: EventLog? = nil, recorder: CastRecorder? = nil
    ) {
        self.frameInterval = frameInterval
        self.log = log
        self.inputs = inputs
        self.notes = notes
        self.recorder = recorder
    }

    /// Runs until `state.quit`; returns the final state.
    @discardableResult
    public func run(_ initial: AppState, device: TerminalDevice, link: TrainingLink?) -> AppState {
        var state = initial
        state.size = device.size
        var dirty = true
        let clock = ContinuousClock()
        var lastFrame = clock.now - frameInterval
        var buffer = CellBuffer(size: state.size)
        let started = clock.now
        var posted: WorkerRequest?
        /// Applies `message`, performs its effects, and posts the request when it changed.
        func step(_ message: Message) {
            var effects = update(&state, message)
            while !effects.isEmpty {
                let effect = effects.removeFirst()
                if let notice = perform(effect, state: state, link: link) { effects += update(&state, .notice(notice)) }
            }
            let request = WorkerRequest(state)
            if request != posted {
                link?.post(request)
                posted = request
            }
        }
        while !state.quit {
            let hadNotice = state.notice != nil
            step(.tick(seconds: milliseconds(clock.now - started) / 1000))
            if hadNotice && state.notice == nil { dirty = true }  // the notice expired
            if let snapshot = link?.takeSnapshot() {
                step(.snapshot(snapshot))
                dirty = true
                log?.write("snapshot iteration=\(snapshot.iteration) it_per_s=\(Int(snapshot.iterationsPerSecond.rounded()))")
            }
            let now = clock.now
            if dirty && now - lastFrame >= frameInterval {
                let start = clock.now
                if buffer.size != state.size { buffer = CellBuffer(size: state.size) }
                render(state, into: &buffer)
                let built = clock.now - start
                device.present(buffer)
                recorder?.frame(buffer, at: milliseconds(now - started) / 1000)
                lastFrame = now
                dirty = false
                log?.write(
                    "frame build_ms=\(String(format: "%.2f", milliseconds(built))) size=\(state.size.width)x\(state.size.height)")
            }
            let wait = dirty ? max(.zero, frameInterval - (clock.now - lastFrame)) : idleWait
            let key = device.nextKey(timeout: wait)
            switch key {
            case .none:
                continue
            case .resize:
                step(.resize(device.size))
                log?.write("resize \(state.size.width)x\(state.size.height)")
            default:
                step(.key(key))
                log?.write("key \(describe(key))")
            }
            dirty = true
        }
        return state
    }

    /// Performs `effect`; returns the notice that says how a file write went.
    public func perform(_ effect: Effect, state: AppState, link: TrainingLink?) -> String? {
        switch effect {
        case .worker(let command):
            link?.send(command)
            return nil
        case .exportView(let path):
            guard let svg = SVGExport.document(state) else { return SVGExport.nothingYet }
            do {
                try AtomicFile.write(Data(svg.utf8), to: path, inputs: inputs)
                return "wrote \(path)"
            } catch {
                return TrainingSession.failure("export", path, error)
            }
        case .writePoints(let points, let path):
            do {
                try AtomicFile.write(Data(PointsCSV.text(points).utf8), to: path, inputs: inputs)
                return "wrote \(points.count / 2) points to \(path)"
            } catch {
                return TrainingSession.failure("W", path, error)
            }
        case .tourNotes(let index):
            guard let tour = state.tour else { return nil }
            let step = tour.steps[index]
            recorder?.marker("step \(index + 1) of \(tour.steps.count): \(step.title)", at: state.now)
            guard let notes else { return nil }
            notes.append(
                "== step \(index + 1) of \(tour.steps.count): \(step.title) ==\n"
                    + step.notes.map { $0 + "\n" }.joined() + "\n")
            return nil
        }
    }

    private func describe(_ key: Key) -> String {
        switch key {
        case .character(let c): c == " " ? "space" : String(c)
        default: "\(key)"
        }
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
}
