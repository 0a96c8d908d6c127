import Testing

@testable import FlowCore

@Suite struct MetricTests {
    func gaussianCloud(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<(2 * n)).map { _ in rng.gaussian() }
    }

    @Test func aSetIsAtDistanceZeroFromItself() {
        let a = gaussianCloud(1000, seed: 1)
        #expect(SlicedWasserstein().distance(a, a) == 0)
        #expect(abs(EnergyDistance.distance(a, a)) < 1e-9)
    }

    /// For a copy shifted by s, every projection shifts by s.u, so SW2^2 = mean (s.u)^2, which is
    /// |s|^2 / 2 for directions spread evenly on the circle; the energy distance grows with |s|.
    @Test func aShiftedCopyIsAtTheShiftOverRootTwo() {
        let a = gaussianCloud(1000, seed: 2)
        var previousEnergy = 0.0
        for shift: Float in [0.1, 0.5, 1, 2] {
            let b = (0..<a.count).map { a[$0] + ($0 % 2 == 0 ? shift * 0.6 : shift * 0.8) }
            let sw2 = SlicedWasserstein().distance(a, b)
            #expect(abs(sw2 - Double(shift) / 2.0.squareRoot()) < 0.05 * Double(shift), "shift \(shift): SW2 \(sw2)")
            let energy = EnergyDistance.distance(a, b)
            #expect(energy > previousEnergy)
            previousEnergy = energy
        }
    }

    @Test func theNoiseFloorIsSmallAndBelowAVisibleShift() {
        let a = gaussianCloud(4096, seed: 3)
        let b = gaussianCloud(4096, seed: 4)
        let floor = SlicedWasserstein().distance(a, b)
        #expect(floor > 0 && floor < 0.06)
        let shifted = b.map { $0 + 0.3 }
        #expect(SlicedWasserstein().distance(a, shifted) > 4 * floor)
    }

    @Test func directionsAreUnitVectorsFromAFixedSeed() {
        let d = SlicedWasserstein().directions
        #expect(d.count == 512)
        for k in 0..<256 { #expect(abs(d[2 * k] * d[2 * k] + d[2 * k + 1] * d[2 * k + 1] - 1) < 1e-5) }
        #expect(d == SlicedWasserstein().directions)
    }
}
