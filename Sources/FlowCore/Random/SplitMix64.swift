import Foundation

/// A small, fast, seeded random generator (Steele, Lea, Flood 2014, "SplitMix").
///
/// Every random draw in FlowCore takes a generator explicitly, so the same seed gives the same
/// numbers on the same machine, bit for bit.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The 64-bit state; `next()` adds 0x9E3779B97F4A7C15 to it and mixes the sum.
    public var state: UInt64
    /// The second normal of the last Box-Muller pair, not yet returned.
    var spareGaussian: Float?

    /// A generator whose state starts at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits: the state advanced by the golden-ratio increment, then two
    /// xor-shift-multiply rounds and a final xor-shift.
    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    @inline(__always)
    public mutating func uniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform Float in [a, b).
    @inline(__always)
    public mutating func uniform(_ a: Float, _ b: Float) -> Float {
        a + (b - a) * uniform()
    }

    /// A uniform integer in 0..<n (n > 0), by Lemire's multiply-shift (bias below 2^-32 for small n).
    @inline(__always)
    public mutating func index(_ n: Int) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(n)) >> 32)
    }

    /// A standard normal Float by the Box-Muller transform; each pair of uniforms gives two
    /// normals, returned one after the other.
    @inline(__always)
    public mutating func gaussian() -> Float {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        // u1 in (0, 1] so that log(u1) is finite.
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareGaussian = Float(radius * Foundation.sin(angle))
        return Float(radius * Foundation.cos(angle))
    }

    /// Fills `buffer` with independent N(0, sigma^2) values.
    public mutating func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Float>, sigma: Float = 1) {
        for i in buffer.indices { buffer[i] = sigma * gaussian() }
    }

    /// A generator derived from this seed and a stream number, for independent streams.
    public static func stream(seed: UInt64, _ stream: UInt64) -> SplitMix64 {
        var g = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g
    }
}
