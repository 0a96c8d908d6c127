import CKernels
import Foundation

/// Adam (Kingma and Ba 2015) with bias correction and no weight decay, over one flat buffer.
///
/// m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
/// p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
public struct Adam: Sendable {
    /// The step size (DESIGN.md: 1e-3).
    public var learningRate: Float
    /// The decay of the first-moment average m (0.9).
    public var beta1: Float
    /// The decay of the second-moment average v (0.999).
    public var beta2: Float
    /// Added to sqrt(v) in the denominator (1e-8).
    public var epsilon: Float
    /// Number of steps taken so far.
    public private(set) var step = 0
    var m: [Float]
    var v: [Float]

    /// An optimiser for `count` parameters, with m and v at zero.
    public init(count: Int, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = [Float](repeating: 0, count: count)
        v = [Float](repeating: 0, count: count)
    }

    /// One update of `parameters` with `gradients`, at `learningRate` times `scale` (for warm-up).
    public mutating func update(_ parameters: inout [Float], gradients: [Float], scale: Float = 1) {
        step += 1
        let b1 = beta1
        let b2 = beta2
        let eps = epsilon
        let c1 = 1 - Float(Foundation.pow(Double(b1), Double(step)))
        let c2 = 1 - Float(Foundation.pow(Double(b2), Double(step)))
        let lr = learningRate * scale / c1
        let invC2 = 1 / c2
        let n = parameters.count
        precondition(gradients.count == n && m.count == n)
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        fe_adam(
                            KernelPath.active.rawValue, p.baseAddress!, g.baseAddress!, m.baseAddress!,
                            v.baseAddress!, n, b1, b2, eps, lr, invC2)
                    }
                }
            }
        }
    }
}
