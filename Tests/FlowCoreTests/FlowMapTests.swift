import Foundation
import Testing

@testable import FlowCore

/// The referee of the flow-map lab: the exact flow map between any two times, each method's own
/// map X(x, s, t), and the flow-map error over the (s, t) triangle.
@Suite struct FlowMapTests {
    /// A small ground truth (256 data points) for the error's tests: its 512 paths are quick.
    static let truth = GroundTruth(dataset: .toy(.eightGaussians), seed: 3, referenceCount: 256)

    /// A network of `method`'s default shape with its initial weights.
    static func model(_ method: Method, seed: UInt64 = 1) -> Model {
        let shape = TrainingConfig(method: method).shape
        var rng = SplitMix64(seed: seed)
        return Model(method: method, shape: shape, parameters: Network(shape: shape).initialParameters(rng: &rng))
    }

    @Test("the exact flow map between two inner times matches the independent reference to 2e-4")
    func exactMapBetweenInnerTimes() throws {
        let json = try Fixture.load("exact_flow_map")
        let flow = ExactFlow(reference: Fixture.matrix(json["data"]).flatMap { $0 }.map(Float.init))
        let starts = Fixture.matrix(json["start"])
        let ends = Fixture.matrix(json["end"])
        let s = Fixture.vector(json["s"])
        let t = Fixture.vector(json["t"])
        #expect(starts.count == 3 && s.allSatisfy { $0 > 0 } && t.allSatisfy { $0 < 1 })
        for i in starts.indices {
            var out = [Float](repeating: 0, count: 2)
            flow.flowMap(starts[i].map(Float.init), from: Float(s[i]), to: Float(t[i]), rows: 1, into: &out)
            expectClose(out, ends[i], absolute: 2e-4, "X*(\(starts[i]), \(s[i]), \(t[i]))")
        }
    }

    @Test("the exact map scores almost nothing on every cell, and standing still scores the distance each path travels")
    func exactMapAndStandingStillOnTheTriangle() {
        let exact = Self.truth.flowMapError(Self.truth.flow, paths: 64)
        let still = Self.truth.flowMapError(Identity(), paths: 64)
        #expect(exact.cells.count == 36 && still.cells.count == 36)
        #expect(exact.paths == 64)
        let frames = Self.truth.flowMapFrames.map { Array($0.prefix(128)) }
        for (a, b) in zip(exact.cells, still.cells) {
            #expect(a.start < a.end && (a.start, a.end) == (b.start, b.end))
            // Not moving misses by |x_t - x_s| on each path.
            var travelled = 0.0
            for r in 0..<64 {
                let dx = Double(frames[b.end][2 * r] - frames[b.start][2 * r])
                let dy = Double(frames[b.end][2 * r + 1] - frames[b.start][2 * r + 1])
                travelled += (dx * dx + dy * dy).squareRoot() / 64
            }
            #expect(abs(b.error - travelled) < 1e-9 && travelled > 0.01, "cell (\(b.start), \(b.end))")
            #expect(a.error < 0.01 * b.error, "the exact map at (\(a.start), \(a.end)): \(a.error) against \(b.error)")
        }
    }

    @Test("a model has all 36 cells of eighths, a consistency model only the 8 that end at t = 1")
    func cellsPerMethod() {
        for method in Method.allCases {
            let map = Self.truth.flowMapError(Self.model(method), paths: 32)
            if method.definition.jumpToEnd == .consistencyFunction {
                #expect(map.cells.map(\.start) == Array(0..<8) && map.cells.allSatisfy { $0.end == 8 }, "\(method)")
            } else {
                #expect(map.cells.count == 36, "\(method)")
                #expect(map.cells.map { "\($0.start)-\($0.end)" } == (0..<8).flatMap { i in (i + 1...8).map { "\(i)-\($0)" } })
            }
            #expect(map.isFinite)
        }
    }

    @Test("every method's map from 0 to 1 is its main sampler's single step, and from s to 1 its jump to the end")
    func mapToTheEndIsTheJump() {
        var rng = SplitMix64(seed: 9)
        let x = (0..<64).map { _ in rng.gaussian() }
        for method in Method.allCases {
            let model = Self.model(method)
            var unused = SplitMix64(seed: 0)
            let oneStep = method.definition.mainSampler.sample(model: model, noise: x, steps: 1, rng: &unused)
            var out = [Float](repeating: 0, count: x.count)
            model.flowMap(x, from: 0, to: 1, rows: 32, into: &out)
            #expect(out == oneStep, "\(method)")
            for s in [Float(0.25), 0.5, 0.875] {
                var jump = [Float](repeating: 0, count: x.count)
                model.jumpToEnd(x, t: s, rows: 32, into: &jump)
                model.flowMap(x, from: s, to: 1, rows: 32, into: &out)
                #expect(out == jump, "\(method) from \(s)")
            }
        }
    }

    @Test("a velocity's or an interval network's map composed over K equal steps is its main sampler at K steps")
    func composedMapIsTheSampler() {
        var rng = SplitMix64(seed: 10)
        let x = (0..<64).map { _ in rng.gaussian() }
        for method in Method.allCases {
            let model = Self.model(method)
            guard method.definition.jumpToEnd != .consistencyFunction else {
                #expect(!model.hasFlowMap(from: 0, to: 0.5) && model.hasFlowMap(from: 0.5, to: 1), "\(method)")
                continue
            }
            for k in [2, 4] {
                var z = x
                for i in 0..<k {
                    var next = [Float](repeating: 0, count: z.count)
                    model.flowMap(z, from: Float(i) / Float(k), to: Float(i + 1) / Float(k), rows: 32, into: &next)
                    z = next
                }
                var unused = SplitMix64(seed: 0)
                #expect(
                    z == method.definition.mainSampler.sample(model: model, noise: x, steps: k, rng: &unused), "\(method) K=\(k)")
            }
        }
    }

    @Test("the cells that end at t = 1 are the self-consistency error at the eighths")
    func cellsToTheEndAreTheSelfConsistencyError() {
        for method in [Method.shortcut, .fm, .ct] {
            let model = Self.model(method)
            let map = Self.truth.flowMapError(model)
            let consistency = Self.truth.selfConsistency(model)
            for i in 0..<8 {
                let cell = map.cell(from: i, to: 8)
                #expect(cell?.error == consistency.errorAtTime[2 * i], "\(method) at s = \(i)/8")
            }
        }
    }
}

/// The map that leaves every point where it is.
private final class Identity: FlowMapping {
    func hasFlowMap(from s: Float, to t: Float) -> Bool { s < t }
    func flowMap(_ x: UnsafePointer<Float>, from s: Float, to t: Float, rows: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(from: x, count: 2 * rows)
    }
}
