import Foundation
import Synchronization

/// How many of the K terms the weight-gradient product C[M, N] = A^T B (``Matmul/gemmTransposedA(_:_:_:m:k:n:accumulate:kBlock:path:)``)
/// adds in one pass over C, chosen for this CPU by a short measurement the first time a shape is
/// used, and kept for the rest of the process.
///
/// The product reads A and B row after row with strides of M and N floats. At batch 256 and width
/// 128 one pass touches 256 lines of each, more than L1 holds, and with rows of 512 bytes the lines
/// fall on few cache sets; passes of 32 to 64 terms keep them in L1. On a Zen 3 that took the
/// 128 x 256 x 128 product from 77 to 87 GFLOP/s, while the 34 x 256 x 128 one was fastest in one
/// pass (docs/recipes.md, "Kernels"). Which is best depends on the CPU and the shape, so it is
/// measured rather than fixed. The result has the same bits for every block (C holds the running
/// sums between passes), so the measurement's noise can cost speed but never change a number.
public enum KBlocking {
    /// The blocks measured; 0 is one pass over all of K.
    public static let candidates = [0, 64, 48, 32]

    private struct Shape: Hashable {
        let m: Int
        let k: Int
        let n: Int
        let path: KernelPath
    }

    private static let chosen = Mutex<[Shape: Int]>([:])

    /// The block for C[m, n] = A^T B over k terms on `path`: measured on first use of the shape.
    public static func block(m: Int, k: Int, n: Int, path: KernelPath = .active) -> Int {
        let shape = Shape(m: m, k: k, n: n, path: path)
        if let known = chosen.withLock({ $0[shape] }) { return known }
        let measured = measure(shape)
        return chosen.withLock { table in
            if let known = table[shape] { return known }
            table[shape] = measured
            return measured
        }
    }

    /// Every shape measured so far and its block, for `bench` to report.
    public static var table: [(m: Int, k: Int, n: Int, block: Int)] {
        chosen.withLock { $0.map { (m: $0.key.m, k: $0.key.k, n: $0.key.n, block: $0.value) } }
            .sorted { ($0.m, $0.k, $0.n) < ($1.m, $1.k, $1.n) }
    }

    /// Times each candidate on buffers of the shape (the fastest of five runs of a few products,
    /// about a millisecond in all at width 128) and keeps one pass unless a block is at least 3%
    /// faster. Shapes too small to matter (under 2^18 multiply-adds) take one pass unmeasured.
    private static func measure(_ shape: Shape) -> Int {
        let (m, k, n) = (shape.m, shape.k, shape.n)
        guard m * k * n >= 1 << 18 else { return 0 }
        let a = FloatBuffer(k * m)
        let b = FloatBuffer(k * n)
        let c = FloatBuffer(m * n)
        for i in 0..<a.count { a.p[i] = Float(i % 7) * 0.25 - 0.75 }
        for i in 0..<b.count { b.p[i] = Float(i % 5) * 0.5 - 1 }
        let repeats = max(1, (1 << 22) / (m * k * n))
        var best: (block: Int, nanoseconds: Double) = (0, .infinity)
        var onePass = Double.infinity
        for block in candidates where block < k {
            var fastest = Double.infinity
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<repeats {
                    Matmul.gemmTransposedA(a.p, b.p, c.p, m: m, k: k, n: n, accumulate: false, kBlock: block, path: shape.path)
                }
                fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start))
            }
            if block == 0 { onePass = fastest }
            if fastest < best.nanoseconds { best = (block, fastest) }
        }
        return best.nanoseconds < 0.97 * onePass ? best.block : 0
    }
}
