import FlowCore
import TerminalCanvas

/// The truth view's pictures for one model snapshot: the heat map of the main sampler's jump
/// error over a grid of starting noise, a few exact paths, and what a probe needs to run the model
/// and the exact flow from any point.
public struct TruthVisual: Sendable {
    /// |X_theta(x0) - X*(x0, 0, 1)| per grid cell.
    public var heat: HeatMap
    /// The jump error averaged over the grid with the noise density as weight.
    public var mean: Double
    /// Exact paths from a few noise points, each [x, y, ...] at t = 0, 1/16, ..., 1.
    public var exactPaths: [[Float]]
    /// The sampler whose jumps are measured, and its K.
    public var sampler: Sampler
    /// K.
    public var steps: Int
    /// The exact flow (for the probe's exact path).
    public var flow: ExactFlow
    /// The method of the weights.
    public var method: Method
    /// The network shape of `parameters`.
    public var shape: NetworkShape
    /// A copy of the EMA weights the heat map was made from.
    public var parameters: [Float]
    /// The d at which the network is a velocity.
    public var velocityStep: Float
    /// Seeds the re-noising of multistep consistency sampling.
    public var seed: UInt64

    /// A model with these weights (each call makes its own: a model is not shared between threads).
    public func model() -> Model {
        Model(method: method, shape: shape, parameters: parameters, velocityStep: velocityStep)
    }
}
