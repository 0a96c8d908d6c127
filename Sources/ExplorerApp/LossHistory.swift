/// The loss curve of a whole run in bounded memory, smoothed so that the loss panel shows the trend
/// rather than the noise of single batches.
///
/// Each `add` takes one chunk mean (the mean loss of `TrainingWorker`'s chunk of steps) and folds
/// it into an exponential moving average with weight `smoothing` (0.1: a time constant of about
/// ten chunks). The smoothed values are kept, one per `span` chunks (their mean); when more than
/// `capacity` are kept, neighbours are merged in pairs and `span` doubles, so the curve always
/// covers the run from its first step at a resolution of at least capacity / 2 points.
public struct LossHistory: Sendable, Equatable {
    /// The smoothed curve, oldest first, one value per `span` chunks.
    public private(set) var values: [Float] = []
    /// Chunks per value.
    public private(set) var span = 1
    /// The most values kept before neighbours merge.
    public let capacity: Int
    /// The weight of a new chunk in the moving average.
    public let smoothing: Float
    /// The current smoothed loss (nil before the first chunk).
    public private(set) var smoothed: Float?
    private var pendingSum: Float = 0
    private var pendingCount = 0

    /// An empty history.
    public init(capacity: Int = 512, smoothing: Float = 0.1) {
        precondition(capacity >= 2 && capacity % 2 == 0 && smoothing > 0 && smoothing <= 1)
        self.capacity = capacity
        self.smoothing = smoothing
    }

    /// Adds one chunk mean (non-finite values are kept out of the average).
    public mutating func add(_ value: Float) {
        guard value.isFinite else { return }
        let average = smoothed.map { $0 + smoothing * (value - $0) } ?? value
        smoothed = average
        pendingSum += average
        pendingCount += 1
        guard pendingCount == span else { return }
        values.append(pendingSum / Float(span))
        pendingSum = 0
        pendingCount = 0
        if values.count > capacity {
            // The newest value becomes the first half of the next, wider one.
            let newest = values.removeLast()
            values = stride(from: 0, to: values.count, by: 2).map { (values[$0] + values[$0 + 1]) / 2 }
            pendingSum = newest * Float(span)
            pendingCount = span
            span *= 2
        }
    }
}
