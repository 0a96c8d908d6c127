import Foundation

/// Vectorised elementwise functions for the hot paths: the SiLU activation and the sinusoidal
/// features. Accuracy: exp and sigmoid to about 2 ulp; sin and cos to about 3e-7 absolute.
public enum VectorMath {
    /// e^x for 16 lanes (Cephes-style: x = n ln2 + r, |r| <= ln2/2, degree-6 polynomial in r,
    /// scaled by 2^n through the exponent bits). Inputs are clamped to [-87.3, 88.3].
    /// n is rounded with the 1.5 * 2^23 trick, which leaves it in the low mantissa bits, because
    /// SIMD float-to-integer conversions are not vectorised by the compiler.
    @inline(__always)
    public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let magic = SIMD16<Float>(repeating: 12_582_912)  // 1.5 * 2^23
        let xc = pointwiseMin(pointwiseMax(x, SIMD16(repeating: -87.3)), SIMD16(repeating: 88.3))
        let shifted = magic.addingProduct(xc, SIMD16(repeating: 1.442_695_04))
        let n = shifted - magic
        // r = x - n ln2, with ln2 split in two parts for accuracy; Horner steps as fused multiply-adds.
        let r = xc.addingProduct(n, SIMD16(repeating: -0.693_359_375)).addingProduct(n, SIMD16(repeating: 2.121_944_4e-4))
        var p = SIMD16<Float>(repeating: 1.398_199_95e-3).addingProduct(SIMD16(repeating: 1.987_569_15e-4), r)
        p = SIMD16<Float>(repeating: 8.333_451_9e-3).addingProduct(p, r)
        p = SIMD16<Float>(repeating: 4.166_579_59e-2).addingProduct(p, r)
        p = SIMD16<Float>(repeating: 1.666_666_55e-1).addingProduct(p, r)
        p = SIMD16<Float>(repeating: 5.000_000_1e-1).addingProduct(p, r)
        p = (r + 1).addingProduct(p, r * r)
        let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        let scale = (integer &+ 127) &<< 23
        return p * unsafeBitCast(scale, to: SIMD16<Float>.self)
    }

    /// sigma(x) = 1 / (1 + e^-x) for 16 lanes.
    @inline(__always)
    public static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> {
        1 / (1 + exp(-x))
    }

    /// SiLU forward: a = z * sigma(z); also stores sigma(z) in `s` for the backward pass.
    public static func siluForward(
        _ z: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        var i = 0
        while i + 16 <= count {
            let zv = Matmul.load(z + i)
            let sv = sigmoid(zv)
            Matmul.store(sv, s + i)
            Matmul.store(zv * sv, a + i)
            i += 16
        }
        while i < count {
            let sv = 1 / (1 + Foundation.exp(-z[i]))
            s[i] = sv
            a[i] = z[i] * sv
            i += 1
        }
    }

    /// SiLU backward: dz = da * sigma(z) * (1 + z * (1 - sigma(z))). `dz` may alias `da`.
    public static func siluBackward(
        _ da: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ s: UnsafePointer<Float>,
        _ dz: UnsafeMutablePointer<Float>, count: Int
    ) {
        var i = 0
        while i + 16 <= count {
            let sv = Matmul.load(s + i)
            let zv = Matmul.load(z + i)
            Matmul.store(Matmul.load(da + i) * sv * (1 + zv * (1 - sv)), dz + i)
            i += 16
        }
        while i < count {
            dz[i] = da[i] * s[i] * (1 + z[i] * (1 - s[i]))
            i += 1
        }
    }

    /// (sin x, cos x) in Float for any finite Double x: the argument is reduced in Double to
    /// r in [-pi/4, pi/4] and a quadrant, then short Taylor polynomials are evaluated in Float.
    @inline(__always)
    public static func sinCos(_ x: Double) -> (sin: Float, cos: Float) {
        let q = (x * (2 / Double.pi)).rounded(.toNearestOrEven)
        let r = Float(x - q * (Double.pi / 2))
        let r2 = r * r
        let s = r * (1 + r2 * (-1.0 / 6 + r2 * (1.0 / 120 + r2 * (-1.0 / 5040))))
        let c = 1 + r2 * (-0.5 + r2 * (1.0 / 24 + r2 * (-1.0 / 720 + r2 * (1.0 / 40320))))
        switch Int(truncatingIfNeeded: Int64(q)) & 3 {
        case 0: return (s, c)
        case 1: return (c, -s)
        case 2: return (-s, -c)
        default: return (-c, s)
        }
    }
}
