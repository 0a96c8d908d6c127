import Foundation

/// The 2D toy distributions of the FFJORD code (`lib/toy_data.py`), with its constants (in the
/// samplers below).
///
/// Choice: where FFJORD places points at evenly spaced angles for a given batch size (rings,
/// circles, moons), we draw the angle (and the ring or arc) uniformly at random for every point.
/// That is the same distribution in the limit, and every batch, small or large, is an honest
/// sample of it.
public enum ToyDataset: String, CaseIterable, Sendable {
    /// Eight Gaussian blobs (std 0.5) centred on a circle of radius 4, the whole divided by 1.414: modes at radius
    /// about 2.83 with std about 0.35. Raw value `8gaussians`.
    case eightGaussians = "8gaussians"
    /// Two interleaving half circles with Gaussian noise (std 0.1), mapped to (2x - 1, 2y - 0.2).
    case moons
    /// Uniform on the eight dark 2 x 2 squares of a 4 x 4 checkerboard over [-4, 4]^2.
    case checkerboard
    /// Two interleaved spiral arms, each the point reflection of the other, with noise. Raw value `2spirals`.
    case twoSpirals = "2spirals"
    /// Four concentric rings of radii 3, 2.25, 1.5 and 0.75, equally likely, with noise (std 0.08).
    case rings
    /// Two circles of radii 3 and 1.5, equally likely, with noise (std 0.24).
    case circles
    /// Five curved arms of a pinwheel.
    case pinwheel
    /// A 2D swiss-roll spiral (angle uniform in [1.5 pi, 4.5 pi], unit noise), divided by 5.
    case swissroll
    /// The segment y = x for x uniform in [-2.5, 2.5], without noise.
    case line
    /// The curve y = 2.5 sin(x) for x uniform in [-2.5, 2.5], without noise (FFJORD names it `cos`).
    case cos

    /// A one-line description, as the `datasets` command lists it.
    public var summary: String {
        switch self {
        case .eightGaussians: "eight Gaussian blobs on a circle of radius 2.83 (8 modes)"
        case .moons: "two interleaving half circles"
        case .checkerboard: "eight filled squares of a 4x4 board over [-4, 4]^2"
        case .twoSpirals: "two interleaved spiral arms"
        case .rings: "four concentric rings of radii 3, 2.25, 1.5 and 0.75"
        case .circles: "two noisy circles of radii 3 and 1.5"
        case .pinwheel: "five curved arms of a pinwheel"
        case .swissroll: "a 2D swiss roll spiral"
        case .line: "the segment y = x for x in [-2.5, 2.5] (no noise)"
        case .cos: "the curve y = 2.5 sin(x) for x in [-2.5, 2.5] (named cos in FFJORD)"
        }
    }

    /// Writes `count` points [count, 2] into `out`.
    public func sample(count: Int, rng: inout SplitMix64, into out: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let (x, y) = point(&rng)
            out[2 * i] = x
            out[2 * i + 1] = y
        }
    }

    /// `count` points as a flat [count, 2] array.
    public func sample(count: Int, rng: inout SplitMix64) -> [Float] {
        var out = [Float](repeating: 0, count: 2 * count)
        out.withUnsafeMutableBufferPointer { sample(count: count, rng: &rng, into: $0.baseAddress!) }
        return out
    }

    /// One point.
    @inline(__always)
    func point(_ rng: inout SplitMix64) -> (Float, Float) {
        switch self {
        case .eightGaussians:
            let angle = Float(rng.index(8)) * Float.pi / 4
            return (
                (4 * Foundation.cos(angle) + 0.5 * rng.gaussian()) / 1.414,
                (4 * Foundation.sin(angle) + 0.5 * rng.gaussian()) / 1.414
            )
        case .moons:
            let a = rng.uniform() * Float.pi
            var (x, y) = (Foundation.cos(a), Foundation.sin(a))
            if rng.index(2) == 1 { (x, y) = (1 - x, 1 - y - 0.5) }
            x += 0.1 * rng.gaussian()
            y += 0.1 * rng.gaussian()
            return (2 * x - 1, 2 * y - 0.2)
        case .checkerboard:
            let u = rng.uniform(-2, 2)
            let w = rng.uniform() - 2 * Float(rng.index(2))
            let parity = Float(Int(Foundation.floor(u)) & 1)
            return (2 * u, 2 * (w + parity))
        case .twoSpirals:
            let n = rng.uniform().squareRoot() * 3 * Float.pi
            var x = -Foundation.cos(n) * n + rng.uniform(0, 0.5)
            var y = Foundation.sin(n) * n + rng.uniform(0, 0.5)
            if rng.index(2) == 1 { (x, y) = (-x, -y) }
            return (x / 3 + 0.1 * rng.gaussian(), y / 3 + 0.1 * rng.gaussian())
        case .rings:
            let radius: Float = [3, 2.25, 1.5, 0.75][rng.index(4)]
            let a = rng.uniform() * 2 * Float.pi
            return (radius * Foundation.cos(a) + 0.08 * rng.gaussian(), radius * Foundation.sin(a) + 0.08 * rng.gaussian())
        case .circles:
            let radius: Float = rng.index(2) == 0 ? 3 : 1.5
            let a = rng.uniform() * 2 * Float.pi
            return (radius * Foundation.cos(a) + 0.24 * rng.gaussian(), radius * Foundation.sin(a) + 0.24 * rng.gaussian())
        case .pinwheel:
            let k = Float(rng.index(5))
            let a = 1 + 0.3 * rng.gaussian()
            let b = 0.1 * rng.gaussian()
            let phi = 2 * Float.pi * k / 5 + 0.25 * Foundation.exp(a)
            let (c, s) = (Foundation.cos(phi), Foundation.sin(phi))
            return (2 * (a * c + b * s), 2 * (-a * s + b * c))
        case .swissroll:
            let tau = 1.5 * Float.pi * (1 + 2 * rng.uniform())
            return ((tau * Foundation.cos(tau) + rng.gaussian()) / 5, (tau * Foundation.sin(tau) + rng.gaussian()) / 5)
        case .line:
            let x = rng.uniform(-2.5, 2.5)
            return (x, x)
        case .cos:
            let x = rng.uniform(-2.5, 2.5)
            return (x, 2.5 * Foundation.sin(x))
        }
    }
}
