import FlowCore

/// A run's losses as the loss panel shows them: each step's loss and loss parts summed over a
/// chunk of `chunk` steps, whose means go into three ``LossHistory`` curves (the total, the
/// first part and the second part, ``MethodDefinition/lossParts``).
struct LossRecord {
    /// Steps per chunk.
    static let chunk = 10
    private(set) var total = LossHistory()
    private(set) var first = LossHistory()
    private(set) var second = LossHistory()
    private var sums: (total: Float, first: Float, second: Float) = (0, 0, 0)
    private var counts: (total: Int, first: Int, second: Int) = (0, 0, 0)

    /// Adds one step; returns true when it completed a chunk (the curves grew).
    mutating func add(_ report: StepReport) -> Bool {
        sums.total += report.loss
        counts.total += 1
        if let part = report.flowMatchingLoss {
            sums.first += part
            counts.first += 1
        }
        if let part = report.bootstrapLoss {
            sums.second += part
            counts.second += 1
        }
        guard counts.total == Self.chunk else { return false }
        total.add(sums.total / Float(counts.total))
        if counts.first > 0 { first.add(sums.first / Float(counts.first)) }
        if counts.second > 0 { second.add(sums.second / Float(counts.second)) }
        dropChunk()
        return true
    }

    /// Forgets the steps of the unfinished chunk (after a divergence).
    mutating func dropChunk() {
        sums = (0, 0, 0)
        counts = (0, 0, 0)
    }

    /// Copies the curves into `snapshot`.
    func write(into snapshot: inout Snapshot) {
        snapshot.losses = total.values
        snapshot.flowMatchingLosses = first.values
        snapshot.bootstrapLosses = second.values
    }
}
