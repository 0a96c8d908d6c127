import Foundation
import Testing

@testable import FlowCore

/// Values from the independent float64 implementation in shared/fixtures.
@Suite struct FixtureTests {
    @Test func sinusoidalFeaturesMatchTheReference() throws {
        let json = try Fixture.load("embedding")
        let embedding = SinusoidalEmbedding(size: 32)
        for (s, expected) in zip(Fixture.vector(json["inputs"]), Fixture.matrix(json["features"])) {
            expectClose(embedding.features(Float(s)), expected, absolute: 2e-6, "s = \(s)")
        }
    }

    @Test func networkForwardMatchesTheReference() throws {
        let json = try Fixture.load("mlp")
        let (network, parameters) = try Fixture.network()
        let x = Fixture.matrix(json["x"]).flatMap { $0 }.map(Float.init)
        let y = forward(
            network, parameters, x: x, t: Fixture.vector(json["t"]).map(Float.init), d: Fixture.vector(json["d"]).map(Float.init))
        expectClose(y, Fixture.matrix(json["output"]).flatMap { $0 }, absolute: 1e-6, relative: 1e-5)
    }

    @Test func networkBackwardMatchesTheReferenceGradients() throws {
        let json = try Fixture.load("mlp")
        let (network, parameters) = try Fixture.network()
        let rows = 3
        let x = Fixture.matrix(json["x"]).flatMap { $0 }.map(Float.init)
        let t = Fixture.vector(json["t"]).map(Float.init)
        let d = Fixture.vector(json["d"]).map(Float.init)
        let target = Fixture.matrix(json["target"]).flatMap { $0 }.map(Float.init)
        let ws = Workspace(shape: network.shape, capacity: rows)
        let y = network.forward(parameters: parameters, x: x, t: t, d: d, rows: rows, workspace: ws)
        // loss = mean over rows and coordinates of (y - target)^2.
        var dy = [Float](repeating: 0, count: 2 * rows)
        var loss = 0.0
        for i in 0..<(2 * rows) {
            loss += Double((y[i] - target[i]) * (y[i] - target[i])) / Double(2 * rows)
            dy[i] = 2 * (y[i] - target[i]) / Float(2 * rows)
        }
        #expect(abs(loss - (json["loss"] as! NSNumber).doubleValue) < 1e-5)
        var gradients = [Float](repeating: 0, count: parameters.count)
        var inputGradient = [Float](repeating: 0, count: rows * network.shape.inputWidth)
        network.backward(
            parameters: parameters, outputGradient: dy, rows: rows, workspace: ws,
            gradients: &gradients, inputGradient: &inputGradient)
        var expected: [Double] = []
        for layer in try #require(json["grad_layers"] as? [[String: Any]]) {
            expected += Fixture.matrix(layer["W"]).flatMap { $0 } + Fixture.vector(layer["b"])
        }
        expectClose(gradients, expected, absolute: 1e-7, relative: 1e-4)
        let gradX = (0..<rows).flatMap { r in
            [inputGradient[r * network.shape.inputWidth], inputGradient[r * network.shape.inputWidth + 1]]
        }
        expectClose(gradX, Fixture.matrix(json["grad_x"]).flatMap { $0 }, absolute: 1e-8, relative: 1e-4)
    }

    @Test func adamMatchesTheReferenceForThreeSteps() throws {
        let json = try Fixture.load("adam")
        var parameters = Fixture.vector(json["start"]).map(Float.init)
        let adam = Adam(count: parameters.count)
        for (grad, expected) in zip(Fixture.matrix(json["grads"]), Fixture.matrix(json["after_step"])) {
            adam.update(&parameters, gradients: grad.map(Float.init))
            expectClose(parameters, expected, absolute: 1e-6)
        }
    }

    @Test func shortcutBootstrapTargetMatchesTheReference() throws {
        let json = try Fixture.load("targets")
        let (network, parameters) = try Fixture.network()
        let xt = Fixture.matrix(json["x_t"]).flatMap { $0 }.map(Float.init)
        let t = Fixture.vector(json["t"]).map(Float.init)
        let d = Fixture.vector(json["d"]).map(Float.init)
        // The objective's own code path: a batch of two bootstrap rows with these x_t, t, d.
        let objective = ShortcutObjective(batchSize: 2, bootstrapFraction: 1, finestSteps: 128)
        let batch = Batch(size: 2)
        batch.xt.p.update(from: xt, count: 4)
        batch.t.p.update(from: t, count: 2)
        batch.d.p.update(from: d, count: 2)
        let ws = Workspace(shape: network.shape, capacity: 2)
        parameters.withUnsafeBufferPointer { p in
            let context = ObjectiveContext(
                network: network, parameters: p.baseAddress!, targetParameters: p.baseAddress!,
                dataset: .toy(.moons), batch: batch, iteration: 0)
            objective.bootstrapTargets(context, rows: 0..<2, workspace: ws)
        }
        expectClose(objective.s1.array, Fixture.matrix(json["s1"]).flatMap { $0 }, absolute: 1e-6, relative: 1e-5)
        expectClose(objective.mid.array, Fixture.matrix(json["x_mid"]).flatMap { $0 }, absolute: 1e-6, relative: 1e-5)
        expectClose(batch.target.array, Fixture.matrix(json["bootstrap_target"]).flatMap { $0 }, absolute: 1e-6, relative: 1e-5)
    }

    @Test func consistencyFunctionAndHeunStepMatchTheReference() throws {
        let json = try Fixture.load("targets")
        let (network, parameters) = try Fixture.network()
        let model = Model(method: .shortcut, shape: network.shape, parameters: parameters)
        let xt = Fixture.matrix(json["x_t"]).flatMap { $0 }.map(Float.init)
        let t = Fixture.vector(json["t"]).map(Float.init)
        var f: [Float] = []
        var atOne: [Float] = []
        for r in 0..<2 {
            let row = Array(xt[(2 * r)..<(2 * r + 2)])
            var out = [Float](repeating: 0, count: 2)
            model.consistency(row, t: t[r], rows: 1, into: &out)
            f += out
            model.consistency(row, t: 1, rows: 1, into: &out)
            atOne += out
        }
        expectClose(f, Fixture.matrix(json["consistency_f"]).flatMap { $0 }, absolute: 1e-6, relative: 1e-5)
        #expect(atOne == xt)

        // One Heun step of size 1/32 from each row's t, through the CD teacher step.
        let objective = ConsistencyObjective(batchSize: 2, teacher: model, teacherStep: .heun, huberC: 0, levelsAt: { _ in 32 })
        let batch = Batch(size: 2)
        batch.xt.p.update(from: xt, count: 4)
        batch.t.p.update(from: t, count: 2)
        for r in 0..<2 { objective.tNext.p[r] = t[r] + Float((json["heun_step"] as! NSNumber).doubleValue) }
        objective.teacherStep(model, batch, rows: 0..<2)
        expectClose(objective.xNext.array, Fixture.matrix(json["heun_next"]).flatMap { $0 }, absolute: 1e-6, relative: 1e-5)
    }

    @Test func slicedWassersteinAndEnergyMatchTheReference() throws {
        let json = try Fixture.load("metrics")
        let a = Fixture.matrix(json["A"]).flatMap { $0 }.map(Float.init)
        let b = Fixture.matrix(json["B"]).flatMap { $0 }.map(Float.init)
        let sw = SlicedWasserstein(directions: Fixture.matrix(json["directions"]).flatMap { $0 }.map(Float.init))
        let perDirection = sw.squaredDistancePerDirection(a, b)
        for (x, y) in zip(perDirection, Fixture.vector(json["w2_squared_per_direction"])) { #expect(abs(x - y) < 1e-6) }
        #expect(abs(sw.distance(a, b) - (json["sw2"] as! NSNumber).doubleValue) < 1e-6)
        #expect(abs(EnergyDistance.distance(a, b) - (json["energy_biased"] as! NSNumber).doubleValue) < 1e-6)
        #expect(abs(EnergyDistance.unbiased(a, b) - (json["energy_unbiased"] as! NSNumber).doubleValue) < 1e-6)
    }
}
