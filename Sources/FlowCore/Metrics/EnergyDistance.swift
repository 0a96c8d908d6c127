/// Energy distance between two point sets [N, 2] and [M, 2] (Szekely and Rizzo):
/// `2 E|a - b| - E|a - a'| - E|b - b'|`, exact in O(N M).
///
/// `distance` is the V-statistic (the within-set means include the zero i = j pairs), which is
/// never negative and is what the tables report; `unbiased` leaves those pairs out
/// (a U-statistic, which can dip below zero for two samples of one distribution).
public enum EnergyDistance {
    /// The V-statistic `2 E|a - b| - E|a - a'| - E|b - b'|` between the flat point sets `a` [N, 2] and
    /// `b` [M, 2]: the within-set means run over all N^2 (M^2) pairs, i = j included. Never negative.
    public static func distance(_ a: [Float], _ b: [Float]) -> Double {
        let (ab, aa, bb) = (
            meanDistance(a, b, skipDiagonal: false),
            meanDistance(a, a, skipDiagonal: false),
            meanDistance(b, b, skipDiagonal: false)
        )
        return 2 * ab - aa - bb
    }

    /// The U-statistic: as `distance(_:_:)`, but the within-set means leave out the i = j pairs
    /// (dividing by N (N - 1)). Close to zero, and sometimes below it, for two samples of one distribution.
    public static func unbiased(_ a: [Float], _ b: [Float]) -> Double {
        2 * meanDistance(a, b, skipDiagonal: false) - meanDistance(a, a, skipDiagonal: true)
            - meanDistance(b, b, skipDiagonal: true)
    }

    static func meanDistance(_ a: [Float], _ b: [Float], skipDiagonal: Bool) -> Double {
        let n = a.count / 2
        let m = b.count / 2
        var total = 0.0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<n {
                    let ax = a[2 * i]
                    let ay = a[2 * i + 1]
                    var row = 0.0
                    for j in 0..<m {
                        let dx = ax - b[2 * j]
                        let dy = ay - b[2 * j + 1]
                        row += Double((dx * dx + dy * dy).squareRoot())
                    }
                    total += row
                }
            }
        }
        let pairs = skipDiagonal ? n * (n - 1) : n * m
        return total / Double(pairs)
    }
}
