import Foundation
import Testing

@testable import FlowCore

/// The flow-map lab's losses (PSD, LSD, AlphaFlow and their diagonal term) against
/// fixtures/flow_map_lab.json, and the backward pass through the forward-mode derivative against
/// central differences.
@Suite struct FlowMapLabTests {
    /// The fixture's rows as a batch: x0, x1, z_s in `xt`, s in `t`, h in `d`.
    struct Case {
        let json: [String: Any]
        let network: Network
        let parameters: FloatBuffer
        let batch: Batch

        init() throws {
            json = try Fixture.load("flow_map_lab")
            let (mlp, weights) = try Fixture.network()
            network = Network(
                shape: NetworkShape(
                    width: mlp.shape.width, depth: mlp.shape.depth, embeddingSize: mlp.shape.embeddingSize,
                    stepConditioned: true, timeScale: Float((json["time_scale"] as! NSNumber).doubleValue)))
            parameters = FloatBuffer(weights)
            batch = Batch(size: 3)
            batch.x0.p.update(from: rows("x0"), count: 6)
            batch.x1.p.update(from: rows("x1"), count: 6)
            batch.xt.p.update(from: rows("z_s"), count: 6)
            batch.t.p.update(from: column("s"), count: 3)
            batch.d.p.update(from: column("h"), count: 3)
        }

        func rows(_ key: String, in part: String? = nil) -> [Float] {
            let source = part.map { json[$0] as! [String: Any] } ?? json
            return Fixture.matrix(source[key]).flatMap { $0 }.map(Float.init)
        }

        func column(_ key: String, in part: String? = nil) -> [Float] {
            let source = part.map { json[$0] as! [String: Any] } ?? json
            return Fixture.vector(source[key]).map(Float.init)
        }

        func expected(_ key: String, in part: String) -> [Double] {
            Fixture.matrix((json[part] as! [String: Any])[key]).flatMap { $0 }
        }

        var context: ObjectiveContext {
            ObjectiveContext(
                network: network, parameters: parameters.p, targetParameters: parameters.p, dataset: .toy(.moons),
                batch: batch, iteration: 0)
        }

        /// The fixture's gradients of `part`, in the order of the flat parameters, layer by layer.
        func gradientLayers(_ part: String) throws -> [[Double]] {
            let layers = try #require((json[part] as! [String: Any])["grad_layers"] as? [[String: Any]])
            return layers.map { Fixture.matrix($0["W"]).flatMap { $0 } + Fixture.vector($0["b"]) }
        }

        /// The objective's loss and gradient on the fixture's three rows (one shard).
        func lossAndGradient(_ objective: FlowMapObjective) -> (loss: Float, gradients: [Float]) {
            let shard = BatchShard(index: 0, rows: 0..<3, shape: network.shape, workspaceRowsPerRow: 2)
            let sums = objective.evaluate(context, shard: shard)
            objective.backward(context, shard: shard)
            return (objective.report(sums, context: context).loss, shard.gradients.array)
        }
    }

    /// Each layer of `gradients` within `relative` of the largest fixture value of that layer.
    func expectLayers(
        _ gradients: [Float], _ layers: [[Double]], relative: Double, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var start = 0
        for (l, layer) in layers.enumerated() {
            let scale = layer.map(abs).max()!
            let worst = zip(gradients[start..<(start + layer.count)], layer).map { abs(Double($0) - $1) }.max()!
            #expect(
                worst <= relative * scale, "layer \(l): worst error \(worst) against the scale \(scale)",
                sourceLocation: sourceLocation)
            start += layer.count
        }
        #expect(start == gradients.count, sourceLocation: sourceLocation)
    }

    @Test("the network read as u(z, s, h) gives the fixture's u at time scale 1")
    func networkMatchesTheFixture() throws {
        let c = try Case()
        let u = forward(c.network, c.parameters.array, x: c.rows("z_s"), t: c.column("s"), d: c.column("h"))
        expectClose(u, Fixture.matrix(c.json["u"]).flatMap { $0 }, absolute: 1e-6, relative: 1e-5)
    }

    @Test("the PSD target composes the maps over [s, m] and [m, t] as the fixture does")
    func psdTargetMatchesTheFixture() throws {
        let c = try Case()
        let objective = PSDObjective(batchSize: 3, diagonalShare: 0)
        objective.split.p.update(from: c.column("a", in: "psd"), count: 3)
        objective.targets(c.context, rows: 0..<3, workspace: Workspace(shape: c.network.shape, capacity: 3))
        expectClose(objective.middle.array, Fixture.vector((c.json["psd"] as! [String: Any])["m"]), absolute: 1e-6)
        expectClose(c.batch.target.array, c.expected("target", in: "psd"), absolute: 1e-5, relative: 1e-4)
    }

    @Test("the AlphaFlow target at alpha 1, 1/2 and 1/10 matches the fixture")
    func alphaFlowTargetMatchesTheFixture() throws {
        let c = try Case()
        let objective = AlphaFlowObjective(batchSize: 3, diagonalShare: 0, curriculumIterations: 100, gamma: 25)
        for i in 0..<6 { objective.vC.p[i] = c.batch.x1.p[i] - c.batch.x0.p[i] }
        let alphas = c.column("alpha", in: "alphaflow")
        let workspace = Workspace(shape: c.network.shape, capacity: 3)
        for r in 0..<3 {
            objective.alpha = alphas[r]
            objective.targets(c.context, rows: r..<(r + 1), workspace: workspace)
        }
        expectClose(c.batch.target.array, c.expected("target", in: "alphaflow"), absolute: 1e-5, relative: 1e-4)
    }

    @Test("the alpha curriculum runs from 1 to 0 along a sigmoid and ends in MeanFlow")
    func alphaCurriculumFallsFromOneToZero() {
        let objective = AlphaFlowObjective(batchSize: 4, diagonalShare: 0, curriculumIterations: 1000, gamma: 25)
        #expect(objective.alpha(atIteration: 0) == 1)
        #expect(abs(objective.alpha(atIteration: 500) - 0.5) < 1e-6)
        #expect(objective.alpha(atIteration: 100) > 0.99)
        #expect(objective.alpha(atIteration: 1000) == 0)
        #expect(objective.alpha(atIteration: 5000) == 0)
        let values = stride(from: 0, through: 1000, by: 50).map { objective.alpha(atIteration: $0) }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test("the LSD residual and its loss match the fixture")
    func lsdResidualMatchesTheFixture() throws {
        let c = try Case()
        let objective = LSDObjective(batchSize: 3, diagonalShare: 0)
        objective.targets(c.context, rows: 0..<3, workspace: Workspace(shape: c.network.shape, capacity: 6))
        expectClose(objective.end.array, Fixture.matrix(c.json["X"]).flatMap { $0 }, absolute: 1e-6, relative: 1e-5)
        expectClose(c.batch.target.array, c.expected("target", in: "lsd"), absolute: 1e-6, relative: 1e-5)
        let (loss, _) = c.lossAndGradient(objective)
        let expected = ((c.json["lsd"] as! [String: Any])["loss"] as! NSNumber).doubleValue
        #expect(abs(Double(loss) - expected) <= 1e-3 * expected, "\(loss) vs \(expected)")
    }

    @Test("the LSD gradient flows through du/dh and matches the fixture to 1e-3")
    func lsdGradientMatchesTheFixture() throws {
        let c = try Case()
        let layers = try c.gradientLayers("lsd")
        let (_, gradients) = c.lossAndGradient(LSDObjective(batchSize: 3, diagonalShare: 0))
        expectLayers(gradients, layers, relative: 1e-3)
        // Dropping the path through du/dh (the plain backward pass of the same dL/du) misses the fixture.
        let objective = LSDObjective(batchSize: 3, diagonalShare: 0)
        let shard = BatchShard(index: 0, rows: 0..<3, shape: c.network.shape, workspaceRowsPerRow: 2)
        _ = objective.evaluate(c.context, shard: shard)
        objective.backwardOfOutput(c.context, shard: shard)
        let dropped = shard.gradients.array
        var start = 0
        for (l, layer) in layers.enumerated() {
            let gap = zip(dropped[start..<(start + layer.count)], layer).map { (Double($0) - $1) * (Double($0) - $1) }
            let relative = (gap.reduce(0, +) / layer.map { $0 * $0 }.reduce(0, +)).squareRoot()
            // 1.2% (the output layer) to 18% (the first): ten times the tolerance of the match above or more.
            #expect(relative > 0.01, "layer \(l): without du/dh the gradient is off by \(relative) in norm")
            start += layer.count
        }
    }

    @Test("the diagonal term is flow matching at h = 0, its loss and gradient as in the fixture")
    func diagonalTermMatchesTheFixture() throws {
        let c = try Case()
        for i in 0..<3 { c.batch.d.p[i] = 0 }
        for i in 0..<6 { c.batch.target.p[i] = c.batch.x1.p[i] - c.batch.x0.p[i] }
        let part = c.json["diagonal"] as! [String: Any]
        let expected = (part["loss"] as! NSNumber).doubleValue
        for objective in [LSDObjective(batchSize: 3, diagonalShare: 1), PSDObjective(batchSize: 3, diagonalShare: 1)] {
            #expect(objective.offDiagonalRows == 0)
            let (loss, gradients) = c.lossAndGradient(objective)
            #expect(abs(Double(loss) - expected) <= 1e-5 * expected, "\(loss) vs \(expected)")
            expectLayers(gradients, try c.gradientLayers("diagonal"), relative: 1e-4)
        }
    }

    @Test(
        "the backward pass through the tangent matches central differences, for some rows' tangents or all",
        arguments: [2, 5])
    func backwardWithTangentMatchesCentralDifferences(tangentRows: Int) {
        let shape = NetworkShape(width: 12, depth: 2, embeddingSize: 4, stepConditioned: true, timeScale: 1)
        let network = Network(shape: shape)
        var rng = SplitMix64(seed: 11)
        let parameters = network.initialParameters(rng: &rng).map { $0 * 3 }
        let rows = 5
        let x = (0..<(2 * rows)).map { _ in rng.gaussian() }
        let t = (0..<rows).map { _ in rng.uniform() }
        let d = (0..<rows).map { _ in rng.uniform() }
        let dx = (0..<(2 * rows)).map { _ in rng.gaussian() }
        let dt = (0..<rows).map { _ in rng.gaussian() }
        let dd = (0..<rows).map { _ in rng.gaussian() }
        let a = (0..<(2 * rows)).map { _ in rng.gaussian() }
        let b = (0..<(2 * tangentRows)).map { _ in rng.gaussian() }
        let ws = Workspace(shape: shape, capacity: 2 * rows)
        // L = sum a . y + sum b . y_dot over the rows that carry a tangent.
        func loss(_ p: [Float]) -> Float {
            let (y, ydot) = network.forwardWithTangent(
                parameters: p, x: x, t: t, d: d, dx: dx, dt: dt, dd: dd, rows: rows, tangentRows: tangentRows, workspace: ws)
            var total: Float = 0
            for i in 0..<(2 * rows) { total += a[i] * y[i] }
            for i in 0..<(2 * tangentRows) { total += b[i] * ydot[i] }
            return total
        }
        _ = loss(parameters)
        var gradients = [Float](repeating: 0, count: parameters.count)
        network.backwardWithTangent(
            parameters: parameters, outputGradient: a, tangentGradient: b, rows: rows, tangentRows: tangentRows, workspace: ws,
            gradients: &gradients)
        let step: Float = 1e-2
        var worst: Float = 0
        for i in parameters.indices {
            var plus = parameters
            var minus = parameters
            plus[i] += step
            minus[i] -= step
            let numeric = (loss(plus) - loss(minus)) / (2 * step)
            worst = max(worst, abs(numeric - gradients[i]) / (1e-2 + abs(gradients[i])))
        }
        #expect(worst < 0.02, "worst gradient error relative to 0.01 + |gradient|: \(worst)")
        #expect(gradients.contains { abs($0) > 0.1 })
    }

    @Test("the tangent rows of a partial forward-mode pass equal those of a full one")
    func partialTangentsEqualFullOnes() {
        let shape = NetworkShape(width: 16, depth: 2, embeddingSize: 4, stepConditioned: true, timeScale: 1)
        let network = Network(shape: shape)
        var rng = SplitMix64(seed: 2)
        let parameters = network.initialParameters(rng: &rng)
        let rows = 6
        let x = (0..<(2 * rows)).map { _ in rng.gaussian() }
        let t = (0..<rows).map { _ in rng.uniform() }
        let zeros = [Float](repeating: 0, count: 2 * rows)
        let ones = [Float](repeating: 1, count: rows)
        func pass(_ tangentRows: Int) -> (y: [Float], ydot: [Float]) {
            let ws = Workspace(shape: shape, capacity: 2 * rows)
            let (y, ydot) = network.forwardWithTangent(
                parameters: parameters, x: x, t: t, d: t, dx: zeros, dt: zeros, dd: ones, rows: rows,
                tangentRows: tangentRows, workspace: ws)
            return (
                Array(UnsafeBufferPointer(start: y, count: 2 * rows)),
                Array(UnsafeBufferPointer(start: ydot, count: 2 * tangentRows))
            )
        }
        let full = pass(rows)
        let part = pass(2)
        #expect(part.y == full.y)
        #expect(part.ydot == Array(full.ydot.prefix(4)))
    }
}
