import Foundation
import TerminalCanvas

/// The UI loop: keys and snapshots in, `update`, frames out at most `frameInterval` apart.
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

    public init(frameInterval: Duration = RunLoop.defaultFrameInterval, log: EventLog? = nil) {
        self.frameInterval = frameInterval
        self.log = log
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
        while !state.quit {
            let hadNotice = state.notice != nil
            apply(update(&state, .tick(seconds: milliseconds(clock.now - started) / 1000)), link)
            if hadNotice && state.notice == nil { dirty = true }  // the notice expired
            if let snapshot = link?.takeSnapshot() {
                apply(update(&state, .snapshot(snapshot)), link)
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
                apply(update(&state, .resize(device.size)), link)
                log?.write("resize \(state.size.width)x\(state.size.height)")
            default:
                apply(update(&state, .key(key)), link)
                log?.write("key \(describe(key))")
            }
            dirty = true
        }
        return state
    }

    private func apply(_ effects: [Effect], _ link: TrainingLink?) {
        for effect in effects {
            switch effect {
            case .worker(let command): link?.send(command)
            }
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
