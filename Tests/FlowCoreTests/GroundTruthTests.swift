import Foundation
import Testing

@testable import FlowCore

/// The exact flow, the straightness and the OT pairing against independent values.
@Suite struct GroundTruthTests {
    @Test func exactVelocityMatchesTheReference() throws {
        let json = try Fixture.load("empirical_flow")
        let flow = ExactFlow(reference: Fixture.matrix(json["data"]).flatMap { $0 }.map(Float.init))
        let queries = Fixture.matrix(json["query_x"])
        let times = Fixture.vector(json["query_t"])
        let expected = Fixture.matrix(json["velocity"])
        for (i, (x, t)) in zip(queries, times).enumerated() {
            var out = [Float](repeating: 0, count: 2)
            flow.velocity(x.map(Float.init), t: Float(t), d: nil, rows: 1, into: &out)
            expectClose(out, expected[i], absolute: 1e-5, relative: 1e-5, "x = \(x), t = \(t)")
        }
    }

    @Test func exactFlowMapMatchesTheReferenceAtEveryTime() throws {
        let json = try Fixture.load("empirical_flow")
        let flow = ExactFlow(reference: Fixture.matrix(json["data"]).flatMap { $0 }.map(Float.init))
        let start = Fixture.matrix(json["start"]).flatMap { $0 }.map(Float.init)
        for (key, t) in [("at_0.5", Float(0.5)), ("at_0.9", 0.9), ("at_1", 1)] {
            let got = flow.flow(start, to: t)[0]
            expectClose(got, Fixture.matrix(json[key]).flatMap { $0 }, absolute: 2e-4, "X*(x, 0, \(t))")
        }
        // The map composes: from 0 to 0.5, then from 0.5 to 1, lands where 0 to 1 does.
        let half = flow.flow(start, to: 0.5)[0]
        expectClose(flow.flow(half, from: 0.5)[0], flow.ends(start).map(Double.init), absolute: 2e-4, "composition")
    }

    @Test func aJumpErrorGridFarFromTheOriginStillWeighsItsPointsAndTravels() {
        // Data 3,000 units out: the N(0, I) density of every grid point underflows in linear terms.
        let reference: [Float] = (0..<64).flatMap { i -> [Float] in [3000 + Float(i % 8), 3000 + Float(i / 8)] }
        let grid = JumpErrorGrid(flow: ExactFlow(reference: reference), columns: 8, rows: 8, x: -10...3010, y: -10...3010)
        #expect(abs(grid.weights.reduce(0, +) - 1) < 1e-9)
        #expect(grid.travel > 1000, "a noise point travels thousands of units, not \(grid.travel)")
        // A model that does not move lands that far from the exact ends: no perfect score.
        let (_, mean) = grid.errors(of: StandingStill(), sampler: .euler, steps: 1, seed: 0)
        #expect(mean > 1000)
    }

    @Test func theFlowMapGridShrinksTowardsTheEnd() {
        let times = ExactFlow.times(from: 0, to: 1, steps: 8)
        #expect(times.first == 0 && times.last == 1)
        let steps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(zip(steps.dropFirst(), steps).allSatisfy { $0 < $1 })
    }

    @Test func straightnessIsZeroForStraightPathsAndCountsTheBend() {
        // Two paths at constant speed on straight lines.
        let straight = (0...4).map { k -> [Float] in
            let t = Float(k) / 4
            return [t * 2, 0, -1, t * 3]
        }
        #expect(Straightness.of(straight) < 1e-12)
        // One path: right then up, one unit each, on 2 equal steps. Chord (1, 1); step velocities
        // (2, 0) and (0, 2); S = 1/2 (|(-1, 1)|^2 + |(1, -1)|^2) = 2.
        #expect(abs(Straightness.of([[0, 0], [1, 0], [1, 1]]) - 2) < 1e-9)
    }

    @Test func otPairingMatchesTheReference() throws {
        let json = try Fixture.load("ot_pairing")
        let noise = Fixture.matrix(json["noise"]).flatMap { $0 }.map(Float.init)
        var data = Fixture.matrix(json["data"]).flatMap { $0 }.map(Float.init)
        let pairing = OptimalPairing(capacity: 6)
        let p = pairing.assignment(x0: noise, x1: data, rows: 6)
        #expect(p == Fixture.vector(json["pairing"]).map { Int($0) })
        pairing.pair(x0: noise, x1: &data, rows: 6)
        let expectedCost = try #require(json["cost"] as? Double)
        #expect(abs(totalCost(noise, data) - expectedCost) < 1e-4)
    }

    @Test func auctionCostIsWithinATenthOfAPercentOfTheExactAssignment() {
        let pairing = OptimalPairing(capacity: 256)
        var worst = 0.0
        for (name, seed) in [("8gaussians", UInt64(1)), ("moons", 2), ("checkerboard", 3), ("2spirals", 4)] {
            let dataset = Dataset.toy(ToyDataset(rawValue: name)!)
            for batch in 0..<3 {
                var rng = SplitMix64.stream(seed: seed, UInt64(batch))
                let data = dataset.sample(count: 256, rng: &rng)
                let noise = (0..<512).map { _ in rng.gaussian() }
                let p = pairing.assignment(x0: noise, x1: data, rows: 256)
                #expect(Set(p).count == 256, "a permutation")
                let auction = totalCost(noise, p.flatMap { [data[2 * $0], data[2 * $0 + 1]] })
                let exact = hungarianCost(noise, data)
                #expect(auction >= exact - 1e-3 * exact)
                worst = max(worst, (auction - exact) / exact)
            }
        }
        #expect(worst < 1e-3, "worst relative excess \(worst)")
    }

    @Test func otCouplingIsStoredInTheCheckpointAndRefusedWhereItDoesNotApply() throws {
        var config = TrainingConfig(method: .fm)
        config.coupling = .ot
        config.iterations = 3
        let trainer = try Trainer(config: config, dataset: .toy(.moons))
        for _ in 0..<3 { #expect(trainer.step().loss.isFinite) }
        let back = try TrainingConfig(checkpoint: Checkpoint.decode(trainer.checkpoint().encoded(), name: "test"))
        #expect(back.coupling == .ot)
        var ct = TrainingConfig(method: .ct)
        ct.coupling = .ot
        #expect(ct.problem?.contains("fm, shortcut, meanflow") == true)
    }
}

/// sum_i |a_i - b_i|^2 over rows.
private func totalCost(_ a: [Float], _ b: [Float]) -> Double {
    stride(from: 0, to: a.count, by: 2).reduce(0.0) { sum, i in
        let dx = Double(a[i] - b[i])
        let dy = Double(a[i + 1] - b[i + 1])
        return sum + dx * dx + dy * dy
    }
}

/// The exact assignment cost by the Hungarian method with potentials (O(n^3), in Double): the
/// oracle for the auction.
private func hungarianCost(_ noise: [Float], _ data: [Float]) -> Double {
    let n = noise.count / 2
    func cost(_ i: Int, _ j: Int) -> Double {
        let dx = Double(noise[2 * i] - data[2 * j])
        let dy = Double(noise[2 * i + 1] - data[2 * j + 1])
        return dx * dx + dy * dy
    }
    var u = [Double](repeating: 0, count: n + 1)
    var v = [Double](repeating: 0, count: n + 1)
    var match = [Int](repeating: 0, count: n + 1)  // match[j]: the row (1-based) holding column j
    var way = [Int](repeating: 0, count: n + 1)
    for i in 1...n {
        match[0] = i
        var j0 = 0
        var minv = [Double](repeating: .infinity, count: n + 1)
        var used = [Bool](repeating: false, count: n + 1)
        repeat {
            used[j0] = true
            let i0 = match[j0]
            var delta = Double.infinity
            var j1 = 0
            for j in 1...n where !used[j] {
                let current = cost(i0 - 1, j - 1) - u[i0] - v[j]
                if current < minv[j] {
                    minv[j] = current
                    way[j] = j0
                }
                if minv[j] < delta {
                    delta = minv[j]
                    j1 = j
                }
            }
            for j in 0...n {
                if used[j] {
                    u[match[j]] += delta
                    v[j] -= delta
                } else {
                    minv[j] -= delta
                }
            }
            j0 = j1
        } while match[j0] != 0
        repeat {
            let j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
        } while j0 != 0
    }
    return (1...n).reduce(0.0) { $0 + cost(match[$1] - 1, $1 - 1) }
}

@Suite struct CouplingTrainingTests {
    /// S of `method`'s paths after `iterations` steps on 8gaussians with `coupling`.
    func straightness(_ coupling: Coupling, iterations: Int) throws -> Double {
        var config = TrainingConfig(method: .fm)
        config.coupling = coupling
        config.threads = 1
        config.makeOpenEnded()
        let trainer = try Trainer(config: config, dataset: .toy(.eightGaussians))
        for _ in 0..<iterations { trainer.step() }
        var rng = SplitMix64(seed: 9)
        let noise = (0..<1024).map { _ in rng.gaussian() }
        return Straightness.of(
            Sampler.euler.run(model: Model(trainer: trainer), noise: noise, steps: 64, trajectory: true, rng: &rng))
    }

    @Test func otCouplingLearnsStraighterPathsInAShortSeededRun() throws {
        let independent = try straightness(.independent, iterations: 1500)
        let ot = try straightness(.ot, iterations: 1500)
        // 1.81 and 0.012 on this seed (the exact flow of 8gaussians has S = 1.96).
        #expect(independent > 1)
        #expect(ot < independent / 10, "S \(ot) with OT pairs against \(independent)")
    }
}

@Suite struct KernelPathPairingTests {
    @Test(arguments: [(12, 250), (13, 256), (14, 64), (15, 500)])
    func everyKernelPathPairsTheBatchTheSameWay(seed: UInt64, rows: Int) {
        var rng = SplitMix64(seed: seed)
        let data = Dataset.toy(.moons).sample(count: rows, rng: &rng)
        let noise = (0..<(2 * rows)).map { _ in rng.gaussian() }
        let paths = KernelPath.allCases.filter { $0 <= KernelPath.available }
        let portable = OptimalPairing(capacity: rows, path: .portable).assignment(x0: noise, x1: data, rows: rows)
        for path in paths.dropFirst() {
            #expect(OptimalPairing(capacity: rows, path: path).assignment(x0: noise, x1: data, rows: rows) == portable, "\(path)")
        }
    }
}

/// A velocity field of zeros: every sampler leaves its points where they start.
private final class StandingStill: VelocityField {
    func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: 2 * rows)
    }
}
