import FlowCore
import Foundation

/// The exact probability-flow velocity of a finite set of data points y_j under the linear path
/// x_t = (1 - t) x0 + t x1, x0 ~ N(0, I):
/// ```
/// w_j(x, t) ∝ exp(-|x - t y_j|^2 / (2 (1 - t)^2)),   v(x, t) = (Σ_j w_j y_j - x) / (1 - t)
/// ```
/// (1 - t is clamped to at least 1e-3). Its RK4 paths are the "true" trajectories a perfect
/// flow-matching model would follow; the consistency view measures f(x_t, t) against them.
final class EmpiricalFlow: VelocityField {
    let reference: [Float]

    /// `reference`: the data points [M, 2] interleaved.
    init(reference: [Float]) { self.reference = reference }

    func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let s = max(1 - t, 1e-3)
        let inverse = 1 / (2 * s * s)
        let m = reference.count / 2
        reference.withUnsafeBufferPointer { y in
            for r in 0..<rows {
                let px = x[2 * r]
                let py = x[2 * r + 1]
                var best = Float.infinity
                for j in 0..<m {
                    let dx = px - t * y[2 * j]
                    let dy = py - t * y[2 * j + 1]
                    best = min(best, (dx * dx + dy * dy) * inverse)
                }
                var total: Float = 0
                var mx: Float = 0
                var my: Float = 0
                for j in 0..<m {
                    let dx = px - t * y[2 * j]
                    let dy = py - t * y[2 * j + 1]
                    let w = expf(-((dx * dx + dy * dy) * inverse - best))
                    total += w
                    mx += w * y[2 * j]
                    my += w * y[2 * j + 1]
                }
                out[2 * r] = (mx / total - px) / s
                out[2 * r + 1] = (my / total - py) / s
            }
        }
    }
}
