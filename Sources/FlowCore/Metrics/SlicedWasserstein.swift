import Foundation

/// Sliced Wasserstein-2 distance between two equal-size point sets [N, 2]:
/// `SW2 = sqrt(mean_u W2^2(A.u, B.u))`, where W2^2 between two 1D sets of equal size is the mean
/// squared difference of their sorted values, over P unit directions u.
public struct SlicedWasserstein: Sendable {
    /// The projection directions [P, 2], unit length.
    public let directions: [Float]

    /// P, the number of directions of every SW2 the package prints (`eval`, the UI's panels,
    /// `bench --time-to-quality`): 256.
    public static let defaultDirectionCount = 256

    /// P random directions drawn uniformly on the circle from a fixed seed, the same for every
    /// comparison so that numbers are comparable across runs.
    public init(directionCount: Int = defaultDirectionCount, seed: UInt64 = 0x5EED_D1EC) {
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

    /// A reference set's projections on every direction, each sorted: the half of a distance that
    /// depends on the reference alone, made once when many sets are compared with one reference.
    public struct Reference: Sendable {
        /// N, the number of reference points.
        public let count: Int
        /// [P, N]: row k holds the N projections on direction k, ascending.
        let sorted: [Float]
    }

    /// The sorted projections of `b`, a flat non-empty [N, 2] array.
    public func reference(_ b: [Float]) -> Reference {
        precondition(!b.isEmpty && b.count % 2 == 0, "SW2 compares non-empty sets of 2D points")
        let n = b.count / 2
        var sorted: [Float] = []
        sorted.reserveCapacity(n * directions.count / 2)
        var pb = [Float](repeating: 0, count: n)
        for k in 0..<(directions.count / 2) {
            let ux = directions[2 * k]
            let uy = directions[2 * k + 1]
            for i in 0..<n { pb[i] = b[2 * i] * ux + b[2 * i + 1] * uy }
            pb.sort()
            sorted += pb
        }
        return Reference(count: n, sorted: sorted)
    }

    /// W2^2 of the projections of `a` [N, 2] and of the reference on each direction: per direction
    /// the mean over i of (sorted(a.u)_i - sorted(b.u)_i)^2.
    public func squaredDistancePerDirection(_ a: [Float], to reference: Reference) -> [Double] {
        precondition(a.count == 2 * reference.count && !a.isEmpty, "SW2 compares two non-empty sets of the same size")
        let n = reference.count
        var pa = [Float](repeating: 0, count: n)
        var result: [Double] = []
        for k in 0..<(directions.count / 2) {
            let ux = directions[2 * k]
            let uy = directions[2 * k + 1]
            for i in 0..<n { pa[i] = a[2 * i] * ux + a[2 * i + 1] * uy }
            pa.sort()
            var s = 0.0
            for i in 0..<n {
                let diff = Double(pa[i]) - Double(reference.sorted[k * n + i])
                s += diff * diff
            }
            result.append(s / Double(n))
        }
        return result
    }

    /// W2^2 of the projections on each direction.
    public func squaredDistancePerDirection(_ a: [Float], _ b: [Float]) -> [Double] {
        precondition(a.count == b.count && !a.isEmpty, "SW2 compares two non-empty sets of the same size")
        return squaredDistancePerDirection(a, to: reference(b))
    }

    /// SW2 between `a` and `b`, flat [N, 2] arrays of the same non-empty size: the square root of the mean
    /// of `squaredDistancePerDirection(_:_:)`.
    public func distance(_ a: [Float], _ b: [Float]) -> Double { distance(a, to: reference(b)) }

    /// SW2 between `a` [N, 2] and the reference set: the same number as ``distance(_:_:)`` with
    /// the reference's points, without sorting their projections again.
    public func distance(_ a: [Float], to reference: Reference) -> Double {
        let w = squaredDistancePerDirection(a, to: reference)
        return (w.reduce(0, +) / Double(w.count)).squareRoot()
    }
}
