import Foundation

/// The jump error over a grid of starting noise points: for each x0 the distance
/// |X_theta(x0) - X*(x0, 0, 1)| between where a sampler's K steps take it and where the exact flow
/// does (the truth view's heat map). The exact ends are computed once; each model then costs only
/// its K steps from the grid.
public struct JumpErrorGrid: Sendable {
    /// Grid points per row.
    public let columns: Int
    /// Rows of grid points; row 0 is at the bottom (`y.lowerBound`).
    public let rows: Int
    /// The rectangle the grid's cells tile; each point is a cell's centre.
    public let x: ClosedRange<Float>
    /// The vertical extent.
    public let y: ClosedRange<Float>
    /// The grid points x0 [rows * columns, 2], row-major from the bottom row.
    public let starts: [Float]
    /// X*(x0, 0, 1) for each grid point.
    public let ends: [Float]
    /// The N(0, I) density of each grid point, normalised to sum 1: the weights of the mean, so it
    /// estimates the jump error over the noise a sampler really starts from.
    public let weights: [Double]
    /// The weighted mean distance |X*(x0, 0, 1) - x0| the exact flow moves a grid point: the
    /// jump error of not moving at all.
    public let travel: Double

    /// The exact ends of a `columns` x `rows` grid over the rectangle `x` x `y`.
    public init(flow: ExactFlow, columns: Int, rows: Int, x: ClosedRange<Float>, y: ClosedRange<Float>) {
        self.columns = columns
        self.rows = rows
        self.x = x
        self.y = y
        var starts: [Float] = []
        starts.reserveCapacity(2 * columns * rows)
        for r in 0..<rows {
            for c in 0..<columns {
                starts.append(x.lowerBound + (Float(c) + 0.5) / Float(columns) * (x.upperBound - x.lowerBound))
                starts.append(y.lowerBound + (Float(r) + 0.5) / Float(rows) * (y.upperBound - y.lowerBound))
            }
        }
        self.starts = starts
        ends = flow.ends(starts)
        // In the log domain, less the largest, so a grid far from the origin (data thousands of
        // units away) still gets weights that sum to 1, on its points nearest the noise.
        let logDensity = (0..<(columns * rows)).map { i -> Double in
            let px = Double(starts[2 * i])
            let py = Double(starts[2 * i + 1])
            return -(px * px + py * py) / 2
        }
        let largest = logDensity.max() ?? 0
        let density = logDensity.map { Foundation.exp($0 - largest) }
        let total = density.reduce(0, +)
        let weights = density.map { total > 0 ? $0 / total : 0 }
        self.weights = weights
        var travel = 0.0
        for i in 0..<weights.count {
            let dx = Double(ends[2 * i] - starts[2 * i])
            let dy = Double(ends[2 * i + 1] - starts[2 * i + 1])
            travel += weights[i] * (dx * dx + dy * dy).squareRoot()
        }
        self.travel = travel
    }

    /// The jump error of `sampler` at K = `steps` from every grid point, and its density-weighted
    /// mean. `seed` seeds the re-noising of multistep consistency sampling.
    public func errors(of model: some VelocityField, sampler: Sampler, steps: Int, seed: UInt64) -> (
        values: [Float], mean: Double
    ) {
        var rng = SplitMix64.stream(seed: seed, 24)
        let landed = sampler.sample(model: model, noise: starts, steps: steps, rng: &rng)
        var values = [Float](repeating: 0, count: columns * rows)
        var mean = 0.0
        for i in 0..<values.count {
            let dx = landed[2 * i] - ends[2 * i]
            let dy = landed[2 * i + 1] - ends[2 * i + 1]
            values[i] = (dx * dx + dy * dy).squareRoot()
            if values[i].isFinite { mean += weights[i] * Double(values[i]) }
        }
        return (values, mean)
    }
}
