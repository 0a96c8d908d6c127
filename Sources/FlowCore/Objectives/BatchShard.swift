/// A range of a batch's rows and the buffers one thread needs to work on it: a workspace for the
/// network passes over those rows, and the gradient of the loss over those rows alone.
///
/// The trainer splits each batch into the same shards on every step (``split(rows:into:cost:)``),
/// one per thread (two under OT coupling, ``TrainingConfig/shardCount``), and runs ``Objective/evaluate(_:shard:)`` and the backward pass on each.
public final class BatchShard {
    /// The shard's position: 0 for the first rows. Objectives with per-thread state (a teacher
    /// model) index it with this.
    public let index: Int
    /// The batch rows the shard covers.
    public let rows: Range<Int>
    /// Room for the network passes over the shard's rows (twice the rows for a forward-mode pass).
    public let workspace: Workspace
    /// dL/dparameters from the shard's rows alone.
    let gradients: FloatBuffer
    /// The loss sums of the shard's rows in the current step.
    var sums = LossSums()

    /// A shard of `rows` with a workspace of `workspaceRowsPerRow` rows per batch row.
    public init(index: Int, rows: Range<Int>, shape: NetworkShape, workspaceRowsPerRow: Int) {
        self.index = index
        self.rows = rows
        workspace = Workspace(shape: shape, capacity: workspaceRowsPerRow * rows.count)
        gradients = FloatBuffer(shape.parameterCount)
    }

    /// Splits rows `0..<rows` into `count` consecutive, non-empty ranges of about equal total
    /// cost (`cost(row)`, relative), so that the threads finish together. `count` is at most `rows`.
    public static func split(rows: Int, into count: Int, cost: (Int) -> Float) -> [Range<Int>] {
        precondition(count >= 1 && count <= rows, "between 1 and \(rows) shards")
        var prefix = [Double](repeating: 0, count: rows + 1)
        for r in 0..<rows { prefix[r + 1] = prefix[r] + Double(cost(r)) }
        var bounds = [0]
        for k in 1..<count {
            let goal = prefix[rows] * Double(k) / Double(count)
            var end = bounds[k - 1] + 1
            while end < rows - (count - k) && prefix[end] < goal { end += 1 }
            bounds.append(end)
        }
        bounds.append(rows)
        return (0..<count).map { bounds[$0]..<bounds[$0 + 1] }
    }
}
