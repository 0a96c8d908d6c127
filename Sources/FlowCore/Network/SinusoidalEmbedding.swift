import CKernels
import Foundation

/// The sinusoidal features of a scalar s in [0, 1], the network's time (and step) inputs:
/// `emb(s) = [sin(c s f_k) for k < h] ++ [cos(c s f_k) for k < h]`, `f_k = 10000^(-k/h)`,
/// with h = size / 2 (size 32 gives h = 16) and the scale c = 1000 by default. The same features
/// serve t and the step size d.
public struct SinusoidalEmbedding: Sendable, Equatable {
    /// The number of features per scalar: `size / 2` sines, then `size / 2` cosines.
    public let size: Int
    /// c * f_k, k = 0..<size/2, in Double so the argument c s f_k is exact enough.
    let scaledFrequencies: [Double]

    /// Features of the given size, which must be even and at least 2, at the scale c.
    public init(size: Int, scale: Float = 1000) {
        precondition(size >= 2 && size % 2 == 0, "embedding size must be even and at least 2")
        self.size = size
        let half = size / 2
        scaledFrequencies = (0..<half).map { Double(scale) * Foundation.pow(10000, -Double($0) / Double(half)) }
    }

    /// Writes emb(values[r]) into row r of `out` at column `column` (row stride `stride`), with
    /// the C kernel of `path` (`fe_embedding`: the argument c s f_k in Double, reduced to
    /// [-pi/4, pi/4] and a quadrant, then short polynomials in Float; 3e-7 absolute).
    public func fill(
        _ values: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>,
        stride: Int, column: Int, path: KernelPath = .active
    ) {
        scaledFrequencies.withUnsafeBufferPointer { freq in
            fe_embedding(path.rawValue, values, rows, freq.baseAddress, size / 2, out + column, stride)
        }
    }

    /// The directional derivative of the features along `tangents`: for each row, the derivative
    /// of emb(s + e ds) at e = 0, i.e. `[ds w_k cos(w_k s), -ds w_k sin(w_k s)]` with w_k the scaled
    /// frequencies (up to c radians per unit of s, c the scale). `features` holds emb(s) as `fill`
    /// wrote it (the sines and cosines are read, not computed again); same layout as `fill`.
    public func fillTangent(
        features: UnsafePointer<Float>, tangents: UnsafePointer<Float>, rows: Int,
        into out: UnsafeMutablePointer<Float>, stride: Int, column: Int
    ) {
        let half = size / 2
        scaledFrequencies.withUnsafeBufferPointer { freq in
            for r in 0..<rows {
                let ds = Double(tangents[r])
                let emb = features + r * stride + column
                let row = out + r * stride + column
                for k in 0..<half {
                    let rate = Float(ds * freq[k])
                    row[k] = rate * emb[half + k]
                    row[half + k] = -rate * emb[k]
                }
            }
        }
    }

    /// emb(s) as an array, for tests and one-off use.
    public func features(_ s: Float) -> [Float] {
        let out = FloatBuffer(size)
        withUnsafePointer(to: s) { fill($0, rows: 1, into: out.p, stride: size, column: 0) }
        return out.array
    }
}
