import FlowCore
import TerminalCanvas

/// Everything model-independent the UI measures against, for one data set and seed: the
/// ``GroundTruth`` (the same exact flow and paths as `eval --truth`) and the exact ends of the
/// truth view's grid of starting noise.
public struct TruthField: Sendable {
    /// The exact flow and the self-consistency paths.
    public let truth: GroundTruth
    /// The heat map's grid: `gridSide` x `gridSide` noise points over the view's rectangle.
    public let grid: JumpErrorGrid
    /// Grid points per side.
    public static let gridSide = 40

    /// Computes the truth of `dataset` for `seed` and the exact ends of a grid over the square
    /// around `bounds` (the plots are squared too), about 1.5 s on one core: build it off the
    /// drawing and training threads.
    public init(dataset: Dataset, seed: UInt64, bounds: PlotBounds) {
        truth = GroundTruth(dataset: dataset, seed: seed)
        let half = Float(max(bounds.width, bounds.height) / 2)
        let cx = Float(bounds.xMin + bounds.xMax) / 2
        let cy = Float(bounds.yMin + bounds.yMax) / 2
        grid = JumpErrorGrid(
            flow: truth.flow, columns: Self.gridSide, rows: Self.gridSide, x: (cx - half)...(cx + half),
            y: (cy - half)...(cy + half))
    }
}
