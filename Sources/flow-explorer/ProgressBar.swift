import FlowCore
import Foundation

/// A one-line progress bar on stderr, redrawn at most ten times a second; silent when disabled
/// (stderr is not a terminal). When a write fails (the terminal went away: EIO) the bar stops
/// drawing and training carries on.
final class ProgressBar {
    let total: Int
    private(set) var enabled: Bool
    let start = Date()
    var lastDraw = Date.distantPast

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ done: Int, loss: Float) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
        lastDraw = now
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let rate = Double(done) / max(now.timeIntervalSince(start), 1e-9)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        draw("\r[\(bar)] \(done)/\(total)  " + String(format: "loss %.4f  %.0f it/s ", loss, rate))
    }

    func finish() {
        if enabled { draw("\n") }
    }

    private func draw(_ text: String) {
        if !Console.error(text) { enabled = false }
    }
}
