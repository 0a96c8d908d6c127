import Foundation

/// Sliced Wasserstein-2 distance between two equal-size point sets [N, 2] (DESIGN.md section 6):
/// `SW2 = sqrt(mean_u W2^2(A.u, B.u))`, where W2^2 between two 1D sets of equal size is the mean
/// squared difference of their sorted values, over P unit directions u.
public struct SlicedWasserstein: Sendable {
    /// The projection directions [P, 2], unit length.
    public let directions: [Float]

    /// P random directions drawn uniformly on the circle from a fixed seed, the same for every
    /// comparison so that numbers are comparable across runs.
    public init(directionCount: Int = 256, seed: UInt64 = 0x5EED_D1EC) {
        var rng = SplitMix64(seed: seed)
        var d: [Float] = []
        for _ in 0..<directionCount {
            let angle = Double(rng.uniform()) * 2 * Double.pi
            d.append(Float(Foundation.cos(angle)))
            d.append(Float(Foundation.sin(angle)))
        }
        directions = d
    }

    /// Uses the given directions, a flat [P, 2] array of unit vectors.
    public init(directions: [Float]) { self.directions = directions }

    /// W2^2 of the projections on each direction.
    public func squaredDistancePerDirection(_ a: [Float], _ b: [Float]) -> [Double] {
        precondition(a.count == b.count && !a.isEmpty, "SW2 compares two non-empty sets of the same size")
        let n = a.count / 2
        var pa = [Float](repeating: 0, count: n)
        var pb = pa
        var result: [Double] = []
        for k in 0..<(directions.count / 2) {
            let ux = directions[2 * k]
            let uy = directions[2 * k + 1]
            for i in 0..<n {
                pa[i] = a[2 * i] * ux + a[2 * i + 1] * uy
                pb[i] = b[2 * i] * ux + b[2 * i + 1] * uy
            }
            pa.sort()
            pb.sort()
            var s = 0.0
            for i in 0..<n {
                let diff = Double(pa[i]) - Double(pb[i])
                s += diff * diff
            }
            result.append(s / Double(n))
        }
        return result
    }

    /// SW2 between `a` and `b`, flat [N, 2] arrays of the same non-empty size: the square root of the mean
    /// of `squaredDistancePerDirection(_:_:)`.
    public func distance(_ a: [Float], _ b: [Float]) -> Double {
        let w = squaredDistancePerDirection(a, b)
        return (w.reduce(0, +) / Double(w.count)).squareRoot()
    }
}
