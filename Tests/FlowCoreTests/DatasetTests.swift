import Foundation
import Testing

@testable import FlowCore

/// Each dataset against the formulas of FFJORD's toy data (`ToyDataset`), on 20,000 points.
@Suite struct DatasetTests {
    static let count = 20_000

    func points(_ d: ToyDataset) -> [(Double, Double)] {
        var rng = SplitMix64(seed: 42)
        let p = d.sample(count: Self.count, rng: &rng)
        return (0..<Self.count).map { (Double(p[2 * $0]), Double(p[2 * $0 + 1])) }
    }

    func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
    func std(_ v: [Double]) -> Double {
        let m = mean(v)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
    }

    @Test func eightGaussiansHasEightEqualModesOfTheStatedSpread() {
        let p = points(.eightGaussians)
        var counts = [Int](repeating: 0, count: 8)
        var residuals: [Double] = []
        for (x, y) in p {
            let k = (Int((Foundation.atan2(y, x) / (Double.pi / 4)).rounded()) + 8) % 8
            counts[k] += 1
            let cx = 4 * Foundation.cos(Double(k) * Double.pi / 4) / 1.414
            residuals.append(x - cx)
        }
        for c in counts { #expect(abs(Double(c) / Double(Self.count) - 0.125) < 0.01) }
        #expect(abs(std(residuals) - 0.5 / 1.414) < 0.01)
        #expect(abs(mean(p.map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() }) - 4 / 1.414) < 0.05)
    }

    @Test func moonsIsCentredWhereTheAffineMapPutsIt() {
        let p = points(.moons)
        // Arc means: outer (0, 2/pi), inner (1, 0.5 - 2/pi); mixed: (0.5, 0.25); then 2p + (-1, -0.2).
        #expect(abs(mean(p.map(\.0)) - 0) < 0.03)
        #expect(abs(mean(p.map(\.1)) - 0.3) < 0.03)
    }

    @Test func checkerboardFillsEightSquaresEvenly() {
        let p = points(.checkerboard)
        var cells = [Int](repeating: 0, count: 16)
        for (x, y) in p {
            #expect(x >= -4 && x < 4 && y >= -4 && y < 4)
            cells[Int(Foundation.floor(y / 2) + 2) * 4 + Int(Foundation.floor(x / 2) + 2)] += 1
        }
        let filled = cells.filter { $0 > 0 }
        #expect(filled.count == 8)
        for c in filled { #expect(abs(Double(c) / Double(Self.count) - 0.125) < 0.01) }
        // Filled squares alternate like a chess board.
        for row in 0..<4 { for col in 0..<3 { #expect((cells[row * 4 + col] > 0) != (cells[row * 4 + col + 1] > 0)) } }
    }

    @Test func twoSpiralsIsPointSymmetric() {
        let p = points(.twoSpirals)
        #expect(abs(mean(p.map(\.0))) < 0.05 && abs(mean(p.map(\.1))) < 0.05)
        let radius = p.map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() }
        #expect(radius.max()! < 4 && radius.max()! > 2.8)  // n <= 3 pi, jitter 0.5, / 3, noise 0.1
    }

    @Test func ringsAndCirclesHaveTheirRadii() {
        for (dataset, radii, noise) in [(ToyDataset.rings, [3.0, 2.25, 1.5, 0.75], 0.08), (.circles, [3.0, 1.5], 0.24)] {
            var byRing = [[Double]](repeating: [], count: radii.count)
            for (x, y) in points(dataset) {
                let r = (x * x + y * y).squareRoot()
                let nearest = radii.indices.min { abs(radii[$0] - r) < abs(radii[$1] - r) }!
                byRing[nearest].append(r)
            }
            for (ring, r) in zip(byRing, radii) {
                #expect(abs(Double(ring.count) / Double(Self.count) - 1 / Double(radii.count)) < 0.02, "\(dataset)")
                #expect(abs(mean(ring) - r) < 0.03, "\(dataset) radius \(r)")
                #expect(abs(std(ring) - noise) < 0.35 * noise, "\(dataset) noise")
            }
        }
    }

    @Test func pinwheelHasFiveArmsAtTheRightRadius() {
        let p = points(.pinwheel)
        let r = p.map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() }
        #expect(abs(mean(r) - 2) < 0.05)  // 2 sqrt(a^2 + b^2), a ~ N(1, 0.3^2)
        #expect(abs(mean(p.map(\.0))) < 0.05 && abs(mean(p.map(\.1))) < 0.05)
    }

    @Test func swissrollHasItsAngleRange() {
        let p = points(.swissroll)
        let r = p.map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() }
        // tau in [1.5 pi, 4.5 pi]; |point| ~ tau / 5, mean 3 pi / 5 plus a little from the noise.
        #expect(abs(mean(r) - 3 * Double.pi / 5) < 0.1)
        #expect(r.max()! < 4.5 * Double.pi / 5 + 0.8)
    }

    @Test func lineAndCosLieOnTheirCurves() {
        for (x, y) in points(.line) { #expect(x == y && abs(x) <= 2.5) }
        for (x, y) in points(.cos) { #expect(abs(y - 2.5 * Foundation.sin(x)) < 1e-5) }
    }

    @Test func theSameSeedGivesTheSamePoints() {
        for d in ToyDataset.allCases {
            var a = SplitMix64(seed: 7)
            var b = SplitMix64(seed: 7)
            #expect(d.sample(count: 100, rng: &a) == d.sample(count: 100, rng: &b))
        }
    }

    @Test func csvPointsLoadWithOrWithoutAHeader() throws {
        #expect(try PointsCSV.parse("x,y\n1,2\n3.5,-4\n", name: "a.csv") == [1, 2, 3.5, -4])
        #expect(try PointsCSV.parse("1,2\r\n3,4", name: "a.csv") == [1, 2, 3, 4])
    }

    @Test func aCSVFileWithMoreRowsThanTheLimitIsRejectedAtTheFirstRowPastIt() {
        let text = "x,y\n" + String(repeating: "1,2\n", count: PointsCSV.maximumRows + 1)
        #expect(throws: FlowError.badInput("big.csv:\(PointsCSV.maximumRows + 2): more than \(PointsCSV.maximumRows) points")) {
            try PointsCSV.parse(text, name: "big.csv")
        }
    }

    @Test(arguments: [
        ("", "a.csv: no points in the file"),
        ("x,y\n", "a.csv: no points in the file"),
        ("1\n", "a.csv:1: expected two columns x,y, found 1"),
        ("1,2\nhello,3\n", "a.csv:2: 'hello,3' is not a pair of numbers"),
        ("1,2\nnan,3\n", "a.csv:2: NaN or infinity is not a point"),
        ("1,inf\n", "a.csv:1: NaN or infinity is not a point"),
        ("1,2,3\n", "a.csv:1: expected two columns x,y, found 3"),
    ])
    func badCSVFilesAreRejectedWithTheFileAndLine(text: String, message: String) {
        #expect(throws: FlowError.badInput(message)) { try PointsCSV.parse(text, name: "a.csv") }
    }
}
