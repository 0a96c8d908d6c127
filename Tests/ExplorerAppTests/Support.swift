import ExplorerApp
import Foundation

func sleepSeconds(_ seconds: Double) { Thread.sleep(forTimeInterval: seconds) }

/// The first snapshot `worker` publishes that satisfies `condition`, polling every 20 ms for up
/// to `seconds`; nil if none came.
func firstSnapshot(from worker: TrainingWorker, within seconds: Int, where condition: (Snapshot) -> Bool) -> Snapshot? {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if let s = worker.takeSnapshot(), condition(s) { return s }
        sleepSeconds(0.02)
    }
    return nil
}
