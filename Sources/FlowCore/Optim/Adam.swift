import CKernels
import Foundation

/// Adam (Kingma and Ba 2015) with bias correction and no weight decay, over one flat buffer.
///
/// m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
/// p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
///
/// A step may be split over threads: ``nextStep(scale:)`` once, then
/// ``apply(_:parameters:gradients:range:)`` on disjoint ranges (the update is elementwise, so the
/// split does not change a bit).
public final class Adam {
    /// The step size (the methods' default: 1e-3, ``TrainingConfig/sharedLearningRate``).
    public var learningRate: Float
    /// The decay of the first-moment average m (0.9).
    public var beta1: Float
    /// The decay of the second-moment average v (0.999).
    public var beta2: Float
    /// Added to sqrt(v) in the denominator (1e-8).
    public var epsilon: Float
    /// Number of steps taken so far.
    public private(set) var step = 0
    /// The number of parameters.
    public let count: Int
    let m: FloatBuffer
    let v: FloatBuffer

    /// The coefficients of one step, the same for every parameter.
    public struct Step: Sendable {
        /// The learning rate, times the warm-up scale, divided by the bias correction 1 - b1^t.
        public let learningRate: Float
        /// 1 / (1 - b2^t), the second moment's bias correction.
        public let inverseCorrection: Float
    }

    /// An optimiser for `count` parameters, with m and v at zero.
    public init(count: Int, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.count = count
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = FloatBuffer(count)
        v = FloatBuffer(count)
    }

    /// Counts a step and returns its coefficients, at `learningRate` times `scale` (for warm-up).
    public func nextStep(scale: Float = 1) -> Step {
        step += 1
        let c1 = 1 - Float(Foundation.pow(Double(beta1), Double(step)))
        let c2 = 1 - Float(Foundation.pow(Double(beta2), Double(step)))
        return Step(learningRate: learningRate * scale / c1, inverseCorrection: 1 / c2)
    }

    /// Applies `step` to the parameters in `range` with their gradients; `parameters` and
    /// `gradients` point at element 0 of buffers of `count` values. Disjoint ranges may run at once.
    public func apply(
        _ step: Step, parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, range: Range<Int>
    ) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        let start = range.lowerBound
        fe_adam(
            KernelPath.active.rawValue, parameters + start, gradients + start, m.p + start, v.p + start, range.count,
            beta1, beta2, epsilon, step.learningRate, step.inverseCorrection)
    }

    /// One update of `parameters` with `gradients`, at `learningRate` times `scale` (for warm-up).
    public func update(_ parameters: inout [Float], gradients: [Float], scale: Float = 1) {
        precondition(parameters.count == count && gradients.count == count)
        let step = nextStep(scale: scale)
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in
                apply(step, parameters: p.baseAddress!, gradients: g.baseAddress!, range: 0..<count)
            }
        }
    }
}
