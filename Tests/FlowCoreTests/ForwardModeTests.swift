import Foundation
import Testing

@testable import FlowCore

/// The forward-mode pass (`Network.forwardWithTangent`) against the independent implementation and
/// against central finite differences.
@Suite struct ForwardModeTests {
    /// (output, tangent) of a forward-mode pass, as arrays [rows, 2] each.
    func jvp(
        _ network: Network, _ parameters: [Float], x: [Float], t: [Float], d: [Float]?,
        dx: [Float], dt: [Float], dd: [Float]?
    ) -> (output: [Float], tangent: [Float]) {
        let rows = t.count
        let ws = Workspace(shape: network.shape, capacity: 2 * rows)
        let (y, ydot) = network.forwardWithTangent(
            parameters: parameters, x: x, t: t, d: d, dx: dx, dt: dt, dd: dd, rows: rows, workspace: ws)
        return (Array(UnsafeBufferPointer(start: y, count: 2 * rows)), Array(UnsafeBufferPointer(start: ydot, count: 2 * rows)))
    }

    @Test("the forward-mode derivative matches the reference, features included")
    func matchesTheReference() throws {
        let json = try Fixture.load("jvp")
        let (network, parameters) = try Fixture.network()
        func column(_ key: String) -> [Float] { Fixture.vector(json[key]).map(Float.init) }
        func rows(_ key: String) -> [Float] { Fixture.matrix(json[key]).flatMap { $0 }.map(Float.init) }
        let (y, ydot) = jvp(
            network, parameters, x: rows("x"), t: column("t"), d: column("d"),
            dx: rows("dx"), dt: column("dt"), dd: column("dd"))
        expectClose(y, Fixture.matrix(json["output"]).flatMap { $0 }, absolute: 1e-6, relative: 1e-5)
        expectClose(ydot, Fixture.matrix(json["jvp"]).flatMap { $0 }, absolute: 1e-4, relative: 1e-3)
    }

    @Test(
        "the forward-mode derivative matches central differences, with and without the step input",
        arguments: [true, false])
    func matchesCentralDifferences(stepConditioned: Bool) {
        let shape = NetworkShape(width: 24, depth: 2, embeddingSize: 16, stepConditioned: stepConditioned)
        let network = Network(shape: shape)
        var rng = SplitMix64(seed: 5)
        let parameters = network.initialParameters(rng: &rng)
        let rows = 7
        let x = (0..<(2 * rows)).map { _ in rng.gaussian() }
        let dx = (0..<(2 * rows)).map { _ in rng.gaussian() }
        let t = (0..<rows).map { _ in rng.uniform() }
        let d = (0..<rows).map { _ in rng.uniform() }
        // Small time tangents: the features turn at up to 1,000 radians per unit of time.
        let dt = (0..<rows).map { _ in 0.05 * rng.gaussian() }
        let dd = (0..<rows).map { _ in 0.05 * rng.gaussian() }
        let (y, ydot) = jvp(
            network, parameters, x: x, t: t, d: stepConditioned ? d : nil,
            dx: dx, dt: dt, dd: stepConditioned ? dd : nil)
        #expect(y == forward(network, parameters, x: x, t: t, d: d))
        let e: Float = 1e-3
        func moved(_ sign: Float) -> [Float] {
            forward(
                network, parameters, x: zip(x, dx).map { $0 + sign * e * $1 }, t: zip(t, dt).map { $0 + sign * e * $1 },
                d: stepConditioned ? zip(d, dd).map { $0 + sign * e * $1 } : d)
        }
        let plus = moved(1)
        let minus = moved(-1)
        let difference = (0..<(2 * rows)).map { Double((plus[$0] - minus[$0]) / (2 * e)) }
        expectClose(ydot, difference, absolute: 2e-3, relative: 1e-2)
        #expect(ydot.contains { abs($0) > 0.01 }, "a tangent that moves the output")
    }
}

/// The MeanFlow target against the independent implementation.
@Suite struct MeanFlowTargetTests {
    @Test("the MeanFlow target uses the tangent (v_bar, 1, -1) and matches the reference")
    func matchesTheReference() throws {
        let json = try Fixture.load("meanflow")
        let (network, parameters) = try Fixture.network()
        func column(_ key: String) -> [Float] { Fixture.vector(json[key]).map(Float.init) }
        func rows(_ key: String) -> [Float] { Fixture.matrix(json[key]).flatMap { $0 }.map(Float.init) }
        let objective = MeanFlowObjective(
            batchSize: 2, flowShare: 0, timeMean: 0, timeStd: 1, weightPower: 1, weightEpsilon: 0.01)
        let ws = Workspace(shape: network.shape, capacity: 4)
        var target = [Float](repeating: 0, count: 4)
        let u = objective.target(
            network: network, parameters: parameters, z: rows("z_s"), s: column("s"), h: column("h"),
            vBar: rows("v_bar"), rows: 2, workspace: ws, into: &target)
        expectClose(
            Array(UnsafeBufferPointer(start: u, count: 4)), Fixture.matrix(json["u"]).flatMap { $0 }, absolute: 1e-6,
            relative: 1e-5)
        expectClose(target, Fixture.matrix(json["target"]).flatMap { $0 }, absolute: 1e-4, relative: 1e-3)
    }
}
