import Foundation
import Testing

@testable import FlowCore

/// Central finite differences against the hand-written backward passes. Float32 limits the
/// precision, so the checks use small networks, a step of 1e-2, and accept an error of at most
/// 2e-4 plus 2% of the gradient (the truncation error of the central difference is O(h^2)).
@Suite struct GradientCheckTests {
    static let step: Float = 1e-2

    /// Compares dL/dp from `analytic` with (L(p + h) - L(p - h)) / 2h for every entry of p.
    func check(
        _ values: [Float], tolerance: Float = 0.02, loss: ([Float]) -> Float, analytic: [Float],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var worst: Float = 0
        for i in values.indices {
            var plus = values
            var minus = values
            plus[i] += Self.step
            minus[i] -= Self.step
            let numeric = (loss(plus) - loss(minus)) / (2 * Self.step)
            let error = abs(numeric - analytic[i]) / (1e-2 + abs(analytic[i]))
            worst = max(worst, error)
        }
        #expect(worst < tolerance, "worst gradient error relative to 0.01 + |gradient|: \(worst)", sourceLocation: sourceLocation)
    }

    @Test func siluBackwardIsTheDerivativeOfSiluForward() {
        let z: [Float] = (0..<40).map { Float($0) / 4 - 5 }  // -5 ... 4.75, both vector and scalar paths
        var a = [Float](repeating: 0, count: z.count)
        var s = a
        var dz = a
        VectorMath.siluForward(z, &a, &s, count: z.count)
        let ones = [Float](repeating: 1, count: z.count)
        VectorMath.siluBackward(ones, z, s, &dz, count: z.count)
        for i in z.indices {
            let h: Float = 1e-3
            let numeric = (silu(z[i] + h) - silu(z[i] - h)) / (2 * h)
            #expect(abs(numeric - dz[i]) < 2e-3, "z = \(z[i])")
            #expect(abs(a[i] - silu(z[i])) < 1e-5 * max(1, abs(a[i])))
        }
    }

    func silu(_ x: Float) -> Float { Float(Double(x) / (1 + Foundation.exp(-Double(x)))) }

    /// Every layer (linear and SiLU, all depths) through the squared-error loss: the parameter
    /// gradients and the input gradient of a small step-conditioned network.
    @Test(arguments: [1, 2, 3])
    func networkGradientsMatchFiniteDifferences(depth: Int) {
        let shape = NetworkShape(width: 20, depth: depth, embeddingSize: 4, stepConditioned: true)
        let network = Network(shape: shape)
        var rng = SplitMix64(seed: 3)
        let parameters = network.initialParameters(rng: &rng).map { $0 * 3 }  // larger weights: curvier function
        let rows = 5
        let x = (0..<(2 * rows)).map { _ in rng.gaussian() }
        let t = (0..<rows).map { _ in rng.uniform() * 0.01 }
        let d = (0..<rows).map { _ in rng.uniform() * 0.01 }
        let target = (0..<(2 * rows)).map { _ in rng.gaussian() }
        func loss(_ p: [Float], _ input: [Float]) -> Float {
            let y = forward(network, p, x: input, t: t, d: d)
            return zip(y, target).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Float(2 * rows)
        }
        let ws = Workspace(shape: shape, capacity: rows)
        let y = network.forward(parameters: parameters, x: x, t: t, d: d, rows: rows, workspace: ws)
        let dy = (0..<(2 * rows)).map { 2 * (y[$0] - target[$0]) / Float(2 * rows) }
        var gradients = [Float](repeating: 0, count: parameters.count)
        var inputGradient = [Float](repeating: 0, count: rows * shape.inputWidth)
        network.backward(
            parameters: parameters, outputGradient: dy, rows: rows, workspace: ws, gradients: &gradients,
            inputGradient: &inputGradient)
        check(parameters, loss: { loss($0, x) }, analytic: gradients)
        let dx = (0..<rows).flatMap { [inputGradient[$0 * shape.inputWidth], inputGradient[$0 * shape.inputWidth + 1]] }
        check(x, loss: { loss(parameters, $0) }, analytic: dx)
    }

    /// The matrix kernels on shapes with remainders (rows not a multiple of 6 or 4, columns not
    /// a multiple of 16) agree with a plain triple loop.
    @Test(arguments: [(1, 1, 1), (7, 5, 19), (13, 34, 33), (256, 34, 128), (40, 128, 2)])
    func matrixKernelsAgreeWithTheTripleLoop(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        var rng = SplitMix64(seed: 9)
        let a = (0..<(m * k)).map { _ in rng.gaussian() }
        let b = (0..<(k * n)).map { _ in rng.gaussian() }
        var reference = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { reference[i * n + j] += a[i * k + p] * b[p * n + j] } } }
        var c = [Float](repeating: 1, count: m * n)
        Matmul.gemm(a, b, &c, m: m, k: k, n: n, accumulate: false)
        for i in c.indices { #expect(abs(c[i] - reference[i]) < 1e-4 * Float(k)) }
        var aT = [Float](repeating: 0, count: m * k)
        Matmul.transpose(a, &aT, rows: m, columns: k)
        var cT = [Float](repeating: 1, count: m * n)
        Matmul.gemmTransposedA(aT, b, &cT, m: m, k: k, n: n, accumulate: true)
        for i in cT.indices { #expect(abs(cT[i] - 1 - reference[i]) < 1e-4 * Float(k)) }
    }

    /// Every kernel path this CPU runs that fuses its multiply-adds (AVX-512, AVX2 with FMA, the
    /// portable C on aarch64) gives the same bits, so that training is reproducible whichever path
    /// a machine takes; the portable path on x86_64 multiplies and adds, and stays within a few
    /// roundings of them.
    @Test(arguments: [(252, 128, 128), (256, 34, 128), (128, 256, 128), (13, 40, 70), (256, 66, 2)])
    func everyKernelPathGivesTheSameBits(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        var rng = SplitMix64(seed: 11)
        let a = (0..<(m * k)).map { _ in rng.gaussian() }
        let b = (0..<(k * n)).map { _ in rng.gaussian() }
        let d = (0..<(2 * m)).map { _ in rng.gaussian() }
        let bTall = (0..<(m * n)).map { _ in rng.gaussian() }
        let z = (0..<(m * k)).map { _ in 4 * rng.gaussian() }
        func run(_ path: KernelPath) -> [Float] {
            var outputs: [[Float]] = []
            for accumulate in [false, true] {
                var c = [Float](repeating: 0.5, count: m * n)
                var cT = [Float](repeating: 0.5, count: k * n)
                Matmul.gemm(a, b, &c, m: m, k: k, n: n, accumulate: accumulate, path: path)
                Matmul.gemmTransposedA(a, bTall, &cT, m: k, k: m, n: n, accumulate: accumulate, path: path)
                outputs += [c, cT]
            }
            var narrow = [Float](repeating: 0, count: 2 * m)
            var gradient = [Float](repeating: 0, count: 2 * k)
            Matmul.gemmNarrowOutput(a, bT: b, &narrow, m: m, k: k / 2, path: path)
            Matmul.gemmNarrowWeightGradient(a, d, &gradient, m: m, k: k, path: path)
            var act = z
            var sig = z
            var dz = z
            VectorMath.siluForward(z, &act, &sig, count: z.count, path: path)
            VectorMath.siluBackward(a, z, sig, &dz, count: z.count, path: path)
            var biased = z
            var biasedAct = z
            var biasedSig = z
            var sums = [Float](repeating: 0, count: k)
            var transposed = a
            VectorMath.biasSiluForward(&biased, bias: a, &biasedAct, &biasedSig, rows: m, columns: k, path: path)
            VectorMath.siluBackwardWithSums(a, z, sig, &dz, rows: m, columns: k, sums: &sums, path: path)
            Matmul.transpose(a, &transposed, rows: m, columns: k, path: path)
            return (outputs + [narrow, gradient, act, sig, biased, biasedAct, biasedSig, dz, sums, transposed])
                .flatMap { $0 }
        }
        let paths = KernelPath.allCases.filter { $0 <= KernelPath.available }
        let fused = paths.filter(\.fuses)
        let reference = run(fused.last ?? .portable)
        for path in paths {
            let values = run(path)
            if path.fuses {
                let differing = zip(values, reference).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(differing) values of path \(path) differ from path \(fused.last!)")
            } else {
                // A product of k terms of unit scale rounds k times: a few k ulps of the scale.
                let worst = zip(values, reference).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                #expect(worst < 1e-7 * Float(max(k, m)), "path \(path): largest difference \(worst)")
            }
        }
    }

    /// The weight-gradient product in passes over K (``KBlocking``) gives the bits of one pass, on
    /// every path, for every block measured and for blocks that leave a short last pass; and the
    /// block chosen for a shape is one of the candidates.
    @Test(arguments: [(128, 256, 128), (34, 256, 128), (13, 70, 37)])
    func splittingTheWeightGradientIntoPassesChangesNoBit(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        var rng = SplitMix64(seed: 13)
        let a = (0..<(k * m)).map { _ in rng.gaussian() }
        let b = (0..<(k * n)).map { _ in rng.gaussian() }
        for path in KernelPath.allCases where path <= KernelPath.available {
            for accumulate in [false, true] {
                var onePass = [Float](repeating: 0.5, count: m * n)
                Matmul.gemmTransposedA(a, b, &onePass, m: m, k: k, n: n, accumulate: accumulate, path: path)
                for block in KBlocking.candidates + [5, 17] {
                    var blocked = [Float](repeating: 0.5, count: m * n)
                    Matmul.gemmTransposedA(
                        a, b, &blocked, m: m, k: k, n: n, accumulate: accumulate, kBlock: block, path: path)
                    let differing = zip(blocked, onePass).filter { $0.bitPattern != $1.bitPattern }.count
                    #expect(differing == 0, "path \(path), block \(block): \(differing) values differ")
                }
            }
        }
        #expect(KBlocking.candidates.contains(KBlocking.block(m: m, k: k, n: n)))
    }

    /// The fused layer kernels give the bits of their parts one after the other (the bias added in
    /// a plain loop, then the SiLU kernels, then column sums added in a plain loop), and the
    /// transpose moves every element; on every path, for widths that are and are not a multiple
    /// of 16.
    @Test(arguments: [(1, 1), (7, 19), (13, 34), (128, 128), (34, 128), (128, 2)])
    func theFusedLayerKernelsGiveTheBitsOfTheirParts(shape: (Int, Int)) {
        let (m, n) = shape
        var rng = SplitMix64(seed: 17)
        let a = (0..<(m * n)).map { _ in rng.gaussian() }
        let z = (0..<(m * n)).map { _ in 4 * rng.gaussian() }
        let bias = (0..<n).map { _ in rng.gaussian() }
        for path in KernelPath.allCases where path <= KernelPath.available {
            var transposed = [Float](repeating: .nan, count: m * n)
            Matmul.transpose(a, &transposed, rows: m, columns: n, path: path)
            var fusedZ = z
            var fusedA = z
            var fusedS = z
            VectorMath.biasSiluForward(&fusedZ, bias: bias, &fusedA, &fusedS, rows: m, columns: n, path: path)
            var plainZ = z
            for i in 0..<m { for j in 0..<n { plainZ[i * n + j] += bias[j] } }
            var plainA = z
            var plainS = z
            VectorMath.siluForward(plainZ, &plainA, &plainS, count: m * n, path: path)
            #expect(fusedZ.map(\.bitPattern) == plainZ.map(\.bitPattern), "path \(path)")
            #expect(fusedA.map(\.bitPattern) == plainA.map(\.bitPattern), "path \(path)")
            #expect(fusedS.map(\.bitPattern) == plainS.map(\.bitPattern), "path \(path)")
            var fusedDz = a
            var sums = [Float](repeating: .nan, count: n)
            VectorMath.siluBackwardWithSums(a, plainZ, plainS, &fusedDz, rows: m, columns: n, sums: &sums, path: path)
            var plainDz = a
            VectorMath.siluBackward(a, plainZ, plainS, &plainDz, count: m * n, path: path)
            var columnSums = [Float](repeating: .nan, count: n)
            VectorMath.columnSums(plainDz, rows: m, columns: n, into: &columnSums, path: path)
            #expect(fusedDz.map(\.bitPattern) == plainDz.map(\.bitPattern), "path \(path)")
            #expect(sums.map(\.bitPattern) == columnSums.map(\.bitPattern), "path \(path)")
            for j in 0..<n {
                var sum: Float = 0
                for i in 0..<m {
                    sum += plainDz[i * n + j]
                    #expect(transposed[j * m + i] == a[i * n + j])
                }
                #expect(columnSums[j] == sum, "path \(path), column \(j)")
            }
        }
    }

    /// The features' C kernel gives, on every path and for sizes whose halves are not a multiple of
    /// its 8 lanes, the bits of the scalar formula it vectorises (written here in Swift): x = s w_k
    /// in Double, q = x 2/pi rounded to nearest even, r = Float(x - q pi/2), Taylor polynomials
    /// in Float, the quadrant q mod 4.
    @Test(arguments: [2, 16, 32, 34, 64])
    func theFeatureKernelGivesTheBitsOfTheScalarFormulaOnEveryPath(size: Int) {
        func sinCos(_ x: Double) -> (sin: Float, cos: Float) {
            let q = (x * (2 / Double.pi)).rounded(.toNearestOrEven)
            let r = Float(x - q * (Double.pi / 2))
            let r2 = r * r
            let s = r * (1 + r2 * (-1.0 / 6 + r2 * (1.0 / 120 + r2 * (-1.0 / 5040))))
            let c = 1 + r2 * (-0.5 + r2 * (1.0 / 24 + r2 * (-1.0 / 720 + r2 * (1.0 / 40320))))
            switch Int64(q) & 3 {
            case 0: return (s, c)
            case 1: return (c, -s)
            case 2: return (-s, -c)
            default: return (-c, s)
            }
        }
        var rng = SplitMix64(seed: 5)
        let values: [Float] = [0, 1, -1, 0.5, 1e-7, 0.999_999] + (0..<200).map { _ in rng.uniform() * 2 - 0.5 }
        for scale: Float in [1, 1000] {
            let embedding = SinusoidalEmbedding(size: size, scale: scale)
            let half = size / 2
            var expected = [UInt32]()
            for v in values {
                let pairs = embedding.scaledFrequencies.map { sinCos(Double(v) * $0) }
                expected += (pairs.map(\.sin) + pairs.map(\.cos)).map(\.bitPattern)
            }
            for path in KernelPath.allCases where path <= KernelPath.available {
                let out = FloatBuffer(values.count * size)
                values.withUnsafeBufferPointer {
                    embedding.fill($0.baseAddress!, rows: values.count, into: out.p, stride: size, column: 0, path: path)
                }
                let differing = zip(out.array.map(\.bitPattern), expected).filter { $0 != $1 }.count
                #expect(
                    differing == 0,
                    "size \(size), scale \(scale), path \(path): \(differing) of \(values.count * 2 * half) differ")
            }
        }
    }

    /// The pseudo-Huber loss and the consistency parametrisation f = x + (1 - t) F, as the
    /// consistency objective composes them: dL/dF from the objective against finite differences.
    @Test func pseudoHuberThroughTheConsistencyParametrisationMatchesFiniteDifferences() {
        let c: Float = 0.3
        let x: [Float] = [0.5, -1.0]
        let target: [Float] = [0.1, 0.4]
        for t: Float in [0, 0.25, 0.9] {
            func loss(_ f: [Float]) -> Float {
                let fx = x[0] + (1 - t) * f[0]
                let fy = x[1] + (1 - t) * f[1]
                return ConsistencyObjective.pseudoHuber(fx - target[0], fy - target[1], c: c).value
            }
            let velocity: [Float] = [0.7, 1.3]
            let h = ConsistencyObjective.pseudoHuber(
                x[0] + (1 - t) * velocity[0] - target[0], x[1] + (1 - t) * velocity[1] - target[1], c: c)
            check(velocity, tolerance: 0.005, loss: loss, analytic: [(1 - t) * h.gx, (1 - t) * h.gy])
        }
    }

    @Test func pseudoHuberIsZeroAtZeroAndNearlyEuclideanFarAway() {
        #expect(ConsistencyObjective.pseudoHuber(0, 0, c: 0.01).value == 0)
        let far = ConsistencyObjective.pseudoHuber(3, 4, c: 0.001)
        #expect(abs(far.value - 5) < 0.002)
        #expect(abs(far.gx - 0.6) < 1e-4 && abs(far.gy - 0.8) < 1e-4)
    }
}
