import CKernels

/// The exact flow of a finite data set {y_j} with equal weights (docs/architecture.md, "The ground truth"): the
/// velocity field that minimises the flow-matching loss for that set, and its flow map.
///
/// Given y_j, x_t ~ N(t y_j, (1 - t)^2 I), so
/// ```
/// v*(x, t) = (sum_j w_j y_j - x) / (1 - t),   w = softmax_j(-|x - t y_j|^2 / (2 (1 - t)^2))
/// ```
/// The flow map X*(x, s, t) integrates v* with RK4 on a grid uniform in sqrt(1 - t), so the steps
/// shrink towards t = 1 where v* grows like 1/(1 - t); a last step into t = 1 takes the posterior
/// mean sum_j w_j y_j, so every path ends on one of the y_j. With a
/// few thousand points it stands for the data distribution's own flow except in the last moments
/// before t = 1. The field is independent of any model: build it once per data sample.
public final class ExactFlow: VelocityField, Sendable {
    /// The data points y [M, 2] interleaved.
    public let reference: [Float]
    /// The same points as two columns, for the kernel.
    private let xs: [Float]
    private let ys: [Float]
    /// The smallest 1 - t the velocity divides by (a path is within about 1e-6 of its end there).
    public static let timeFloor: Float = 1e-6
    /// RK4 steps of a flow map from t = 0 to t = 1 (fewer for shorter spans).
    public static let defaultSteps = 32
    /// Data points in the sample that stands for a data set, unless a caller chooses otherwise.
    public static let defaultReferenceCount = 4096

    /// The exact flow of the points `reference` [M, 2] interleaved (M >= 1).
    public init(reference: [Float]) {
        precondition(reference.count >= 2 && reference.count % 2 == 0)
        self.reference = reference
        xs = stride(from: 0, to: reference.count, by: 2).map { reference[$0] }
        ys = stride(from: 1, to: reference.count, by: 2).map { reference[$0] }
    }

    /// The exact flow of `count` points of `dataset` drawn with stream 25 of `seed`: the sample
    /// `eval --truth` and the UI's truth view share.
    public convenience init(dataset: Dataset, count: Int = ExactFlow.defaultReferenceCount, seed: UInt64) {
        var rng = SplitMix64.stream(seed: seed, 25)
        self.init(reference: dataset.sample(count: count, rng: &rng))
    }

    /// v*(x, t) for `rows` points [rows, 2]; `d` is ignored (the exact field has no step size).
    public func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let s = max(1 - t, Self.timeFloor)
        xs.withUnsafeBufferPointer { px in
            ys.withUnsafeBufferPointer { py in
                fe_exact_velocity(
                    KernelPath.active.rawValue, x, rows, t, s, px.baseAddress!, py.baseAddress!, xs.count, out)
            }
        }
    }

    /// The times of an RK4 grid of `steps` steps from s to t (s < t <= 1), uniform in sqrt(1 - t).
    public static func times(from s: Float, to t: Float, steps: Int) -> [Float] {
        let a = (1 - Double(s)).squareRoot()
        let b = (1 - Double(t)).squareRoot()
        return (0...steps).map { k in
            if k == steps { return t }
            let g = a + (b - a) * Double(k) / Double(steps)
            return Float(1 - g * g)
        }
    }

    /// X*(x, s, t) for the points `x` [N, 2], with the states at every grid time when
    /// `trajectory` is true (`times(from:to:steps:)`), else only the last.
    public func flow(
        _ x: [Float], from s: Float = 0, to t: Float = 1, steps: Int = ExactFlow.defaultSteps, trajectory: Bool = false
    ) -> [[Float]] {
        let grid = Self.times(from: s, to: t, steps: steps)
        let n = x.count
        let rows = n / 2
        let state = FloatBuffer(x)
        let k = (0..<4).map { _ in FloatBuffer(n) }
        let tmp = FloatBuffer(n)
        var frames: [[Float]] = trajectory ? [x] : []
        for i in 0..<steps {
            let t0 = grid[i]
            let h = grid[i + 1] - t0
            if i == steps - 1, grid[steps] == 1 {
                // The step into t = 1: the posterior mean x + (1 - t) v* = sum_j w_j y_j, which
                // RK4 cannot reach (v* is singular there); this close to the end it is one y_j.
                velocity(state.p, t: t0, d: nil, rows: rows, into: k[0].p)
                for j in 0..<n { state.p[j] += h * k[0].p[j] }
            } else {
                Sampler.rk4Step(self, state.p, t: t0, h: h, rows: rows, scratch: (k[0].p, k[1].p, k[2].p, k[3].p, tmp.p))
            }
            if trajectory { frames.append(state.array) }
        }
        return trajectory ? frames : [state.array]
    }

    /// X*(x, t, 1): the exact jump to the end, for the truth's own self-consistency (0 up to the
    /// integration error).
    public func jumpToEnd(_ x: UnsafePointer<Float>, t: Float, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let end = flow(Array(UnsafeBufferPointer(start: x, count: 2 * rows)), from: t)[0]
        out.update(from: end, count: 2 * rows)
    }

    /// X*(x, 0, 1): where the exact flow takes each noise point [N, 2].
    public func ends(_ noise: [Float], steps: Int = ExactFlow.defaultSteps) -> [Float] {
        flow(noise, steps: steps)[0]
    }
}

extension ExactFlow: FlowMapping {
    /// The exact map is defined between any two times.
    public func hasFlowMap(from s: Float, to t: Float) -> Bool { s < t }

    /// X*(x, s, t) by ``flow(_:from:to:steps:trajectory:)`` with its default steps.
    public func flowMap(_ x: UnsafePointer<Float>, from s: Float, to t: Float, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let end = flow(Array(UnsafeBufferPointer(start: x, count: 2 * rows)), from: s, to: t)[0]
        out.update(from: end, count: 2 * rows)
    }
}
