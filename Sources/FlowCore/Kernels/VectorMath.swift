import CKernels
import Foundation

/// Elementwise functions for the hot paths, in C per ``KernelPath``: the SiLU activation (its exp
/// and sigmoid are accurate to about 2 ulp), the bias and its gradient. The sinusoidal features
/// are ``SinusoidalEmbedding``'s.
public enum VectorMath {
    /// SiLU forward: a = z * sigma(z); also stores sigma(z) in `s` for the backward pass.
    public static func siluForward(
        _ z: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>,
        count: Int, path: KernelPath = .active
    ) {
        fe_silu_forward(path.rawValue, z, a, s, count)
    }

    /// SiLU backward: dz = da * sigma(z) * (1 + z * (1 - sigma(z))). `dz` may alias `da`.
    public static func siluBackward(
        _ da: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ s: UnsafePointer<Float>,
        _ dz: UnsafeMutablePointer<Float>, count: Int, path: KernelPath = .active
    ) {
        fe_silu_backward(path.rawValue, da, z, s, dz, count)
    }

    /// A hidden layer's bias and SiLU over [rows, columns]: z += bias, then a = z * sigma(z) and
    /// s = sigma(z), in one pass (the bits of adding the bias, then ``siluForward(_:_:_:count:path:)``).
    public static func biasSiluForward(
        _ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>,
        _ s: UnsafeMutablePointer<Float>, rows: Int, columns: Int, path: KernelPath = .active
    ) {
        fe_bias_silu_forward(path.rawValue, z, bias, a, s, rows, columns)
    }

    /// ``siluBackward(_:_:_:_:count:path:)`` over [rows, columns] and the column sums of the result
    /// (the bias gradient) in one pass, with the bits of the two one after the other.
    public static func siluBackwardWithSums(
        _ da: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ s: UnsafePointer<Float>,
        _ dz: UnsafeMutablePointer<Float>, rows: Int, columns: Int, sums: UnsafeMutablePointer<Float>,
        path: KernelPath = .active
    ) {
        fe_silu_backward_sums(path.rawValue, da, z, s, dz, rows, columns, sums)
    }

    /// out[c] = the sum over the rows of a[r, c], added in row order (a bias gradient).
    public static func columnSums(
        _ a: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>,
        path: KernelPath = .active
    ) {
        fe_column_sums(path.rawValue, a, rows, columns, out)
    }

    /// The primal part of SiLU's second-order backward pass (``Network/backwardWithTangent(parameters:outputGradient:tangentGradient:rows:tangentRows:workspace:gradients:)``):
    /// `dz = silu'(z) da + silu''(z) zDot daDot`, with silu'(z) = s (1 + z (1 - s)) and
    /// silu''(z) = s (1 - s) (2 + z (1 - 2 s)), s = sigma(z). `dz` may alias `da`.
    public static func siluSecondOrderBackward(
        _ da: UnsafePointer<Float>, _ daDot: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ s: UnsafePointer<Float>,
        _ zDot: UnsafePointer<Float>, _ dz: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count {
            let zi = z[i]
            let si = s[i]
            let first = si * (1 + zi * (1 - si))
            let second = si * (1 - si) * (2 + zi * (1 - 2 * si))
            dz[i] = first * da[i] + second * zDot[i] * daDot[i]
        }
    }
}
