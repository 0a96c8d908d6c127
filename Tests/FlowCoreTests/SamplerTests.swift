import Foundation
import Testing

@testable import FlowCore

/// dx/dt = A x with A = [[0.5, -1], [1, 0.5]] (a growing spiral): x(1) = e^A x(0), in closed
/// form e^0.5 (cos 1 x - sin 1 y, sin 1 x + cos 1 y).
final class SpiralField: VelocityField {
    func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            out[2 * r] = 0.5 * x[2 * r] - x[2 * r + 1]
            out[2 * r + 1] = x[2 * r] + 0.5 * x[2 * r + 1]
        }
    }

    static func exact(_ x: Double, _ y: Double) -> (Double, Double) {
        let g = Foundation.exp(0.5)
        return (g * (Foundation.cos(1) * x - Foundation.sin(1) * y), g * (Foundation.sin(1) * x + Foundation.cos(1) * y))
    }
}

@Suite struct SamplerTests {
    func error(_ sampler: Sampler, steps: Int) -> Double {
        var rng = SplitMix64(seed: 0)
        let x = sampler.sample(model: SpiralField(), noise: [1, 0.5], steps: steps, rng: &rng)
        let (ex, ey) = SpiralField.exact(1, 0.5)
        return ((Double(x[0]) - ex) * (Double(x[0]) - ex) + (Double(x[1]) - ey) * (Double(x[1]) - ey)).squareRoot()
    }

    @Test func eulerErrorFallsAsOneOverK() {
        let ratios = [8, 16, 32].map { error(.euler, steps: $0) / error(.euler, steps: 2 * $0) }
        for r in ratios { #expect(abs(r - 2) < 0.2, "halving h should halve the error, ratio \(r)") }
    }

    @Test func heunErrorFallsAsOneOverKSquared() {
        let ratios = [8, 16].map { error(.heun, steps: $0) / error(.heun, steps: 2 * $0) }
        for r in ratios { #expect(abs(r - 4) < 0.5, "ratio \(r)") }
    }

    @Test func rk4ErrorFallsAsOneOverKToTheFourth() {
        // Float32 round-off (~1e-7) hides the error beyond about 16 steps.
        let ratios = [2, 4].map { error(.rk4, steps: $0) / error(.rk4, steps: 2 * $0) }
        for r in ratios { #expect(abs(r - 16) < 3, "ratio \(r)") }
        #expect(error(.rk4, steps: 16) < 1e-5)
    }

    @Test func trajectoriesHoldEveryStateFromNoiseToTheEnd() {
        var rng = SplitMix64(seed: 0)
        let frames = Sampler.rk4.run(model: SpiralField(), noise: [1, 0.5, -2, 0], steps: 8, trajectory: true, rng: &rng)
        #expect(frames.count == 9)
        #expect(frames[0] == [1, 0.5, -2, 0])
        #expect(frames[8] == Sampler.rk4.sample(model: SpiralField(), noise: [1, 0.5, -2, 0], steps: 8, rng: &rng))
    }

    @Test func shortcutSamplingPassesTheStepSizeToTheNetwork() {
        final class StepEcho: VelocityField {
            var seen: [Float?] = []
            func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
                seen.append(d)
                for i in 0..<(2 * rows) { out[i] = 0 }
            }
        }
        let echo = StepEcho()
        var rng = SplitMix64(seed: 0)
        _ = ShortcutMethod.sampler.sample(model: echo, noise: [0, 0], steps: 4, rng: &rng)
        _ = Sampler.euler.sample(model: echo, noise: [0, 0], steps: 2, rng: &rng)
        #expect(echo.seen == [0.25, 0.25, 0.25, 0.25, nil, nil])
    }

    /// `nfe(steps:)` is the number of calls a sampler makes to the network (euler, shortcut,
    /// meanflow, consistency: K; heun: 2K, its last step included; rk4: 4K), counted on a field.
    @Test func everySamplersNFEIsTheNetworkCallsItMakes() {
        final class Counter: VelocityField {
            var calls = 0
            func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
                calls += 1
                for i in 0..<(2 * rows) { out[i] = 0 }
            }
        }
        let perStep = [
            "euler": 1, "heun": 2, "rk4": 4, "shortcut": 1, "consistency": 1, "meanflow": 1, "psd": 1, "lsd": 1, "alphaflow": 1,
        ]
        let samplers = Method.allCases.flatMap(\.definition.samplers)
        #expect(Set(samplers.map(\.name)) == Set(perStep.keys))
        for sampler in samplers {
            for k in [1, 2, 5] {
                let counter = Counter()
                var rng = SplitMix64(seed: 0)
                _ = sampler.sample(model: counter, noise: [0, 0, 1, 1], steps: k, rng: &rng)
                #expect(sampler.nfe(steps: k) == counter.calls, "\(sampler) at K=\(k)")
                #expect(sampler.nfe(steps: k) == perStep[sampler.name]! * k, "\(sampler) at K=\(k)")
            }
        }
        #expect(Sampler.heun.label(steps: 1) == "heun K=1 (2 NFE)")
    }

    @Test func consistencyFunctionIsTheIdentityAtTimeOne() {
        var rng = SplitMix64(seed: 1)
        let shape = NetworkShape(width: 16, depth: 2)
        let network = Network(shape: shape)
        let model = Model(method: .ct, shape: shape, parameters: network.initialParameters(rng: &rng))
        let x = (0..<64).map { _ in rng.gaussian() * 3 }
        var f = [Float](repeating: 0, count: 64)
        model.consistency(x, t: 1, rows: 32, into: &f)
        #expect(f == x)
    }
}

/// The exact consistency function of the spiral field: f(x, t) = e^{A (1 - t)} x, written as
/// f = x + (1 - t) F, so F = (e^{A (1 - t)} - I) x / (1 - t).
final class ExactSpiralConsistency: VelocityField {
    func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let s = Double(1 - t)
        let g = Foundation.exp(0.5 * s)
        let c = Foundation.cos(s)
        let sn = Foundation.sin(s)
        for r in 0..<rows {
            let x0 = Double(x[2 * r])
            let y0 = Double(x[2 * r + 1])
            let fx = g * (c * x0 - sn * y0)
            let fy = g * (sn * x0 + c * y0)
            out[2 * r] = s > 0 ? Float((fx - x0) / s) : 0
            out[2 * r + 1] = s > 0 ? Float((fy - y0) / s) : 0
        }
    }
}

/// A model that has learned nothing: f(x, t) = x.
final class IdentityConsistency: VelocityField {
    func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
        for i in 0..<(2 * rows) { out[i] = 0 }
    }
}

/// 64 RK4 paths of the spiral field, 128 steps from t = 0 to 1.
private func spiralPaths() -> [[Float]] {
    var rng = SplitMix64(seed: 3)
    let noise = (0..<128).map { _ in rng.gaussian() }
    return Sampler.rk4.run(model: SpiralField(), noise: noise, steps: 128, trajectory: true, rng: &rng)
}

@Suite struct SelfConsistencyTests {
    @Test func anExactConsistencyFunctionHasNearlyZeroError() {
        let result = SelfConsistency.evaluate(model: ExactSpiralConsistency(), frames: spiralPaths(), points: 16)
        #expect(result.error < 1e-4)
        #expect(result.errorAtTime.count == 16)
    }

    @Test func theIdentityHasTheErrorOfStayingPut() {
        let result = SelfConsistency.evaluate(model: IdentityConsistency(), frames: spiralPaths(), points: 16)
        #expect(result.error > 0.5)
        // Points nearer the data end (larger t) are nearer their end point.
        #expect(result.errorAtTime.first! > result.errorAtTime.last!)
    }
}
