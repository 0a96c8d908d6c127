import CKernels
import Foundation

/// Float32 matrix products on row-major buffers, register-blocked with `SIMD16<Float>`.
///
/// The shapes this project needs are small (batch 256, widths 2 to 128), so the kernels keep a
/// 4-row by 16-column block of C in registers and stream rows of B through it. On x86_64 the
/// package builds FlowCore with `-march=x86-64-v3`, which turns `addingProduct` into FMA
/// instructions; see Package.swift.
public enum Matmul {
    /// C[M, N] = A[M, K] @ B[K, N], or C += A @ B when `accumulate` is true.
    /// All three are dense row-major (leading dimension = number of columns).
    @inline(__always)
    public static func gemm(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int, accumulate: Bool
    ) {
        kernel(a, rowStride: k, columnStride: 1, b, c, m: m, k: k, n: n, accumulate: accumulate)
    }

    /// C[M, N] = A^T @ B with A stored row-major as [K, M] and B as [K, N]: the weight gradient
    /// X^T dY without transposing X.
    @inline(__always)
    public static func gemmTransposedA(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int, accumulate: Bool
    ) {
        kernel(a, rowStride: 1, columnStride: m, b, c, m: m, k: k, n: n, accumulate: accumulate)
    }

    /// Whether the AVX-512 kernel of CKernels runs here (checked once): the CPU has it, and the
    /// environment does not set FLOW_EXPLORER_NO_AVX512 (to measure the Swift kernel alone).
    static let hasAVX512 = fe_avx512_available() == 1 && getenv("FLOW_EXPLORER_NO_AVX512") == nil

    /// The shared kernel: element (i, p) of A is `a[i * rowStride + p * columnStride]`.
    /// Where the CPU has AVX-512, the C kernel takes the blocks of 6 rows by 32 columns and the
    /// Swift kernel the rest; both add the K terms of each element in order with one fused
    /// multiply-add each, so the result is the same to the bit either way. When M is not a
    /// multiple of 6 and C is overwritten (not accumulated), the last block is the last 6 rows,
    /// overlapping the one before: the rows computed twice get the same values both times.
    @inline(__always)
    static func kernel(
        _ a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
        _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int, accumulate: Bool
    ) {
        guard hasAVX512 && m >= 6 && n >= 32 else {
            region(a, rowStride, columnStride, b, c, rows: 0..<m, columns: 0..<n, k: k, n: n, accumulate: accumulate)
            return
        }
        let wideRows = m - m % 6, wideColumns = n & ~31
        fe_gemm_avx512(a, rowStride, columnStride, b, n, c, n, wideRows, k, wideColumns, accumulate ? 1 : 0)
        if wideRows < m && !accumulate {
            fe_gemm_avx512(a + (m - 6) &* rowStride, rowStride, columnStride, b, n, c + (m - 6) &* n, n, 6, k, wideColumns, 0)
        } else if wideRows < m {
            region(a, rowStride, columnStride, b, c, rows: wideRows..<m, columns: 0..<wideColumns, k: k, n: n, accumulate: true)
        }
        region(a, rowStride, columnStride, b, c, rows: 0..<m, columns: wideColumns..<n, k: k, n: n, accumulate: accumulate)
    }

    /// The Swift kernel on a rectangle of C: each 6 x 16 block of C stays in registers (12 AVX
    /// registers) while p runs over K; B is read in rows of 16 contiguous floats. Row blocks are
    /// outside and column blocks inside, so the 6 rows of A being read stay in L1.
    @inline(__always)
    static func region(
        _ a: UnsafePointer<Float>, _ rowStride: Int, _ columnStride: Int,
        _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        rows: Range<Int>, columns: Range<Int>, k: Int, n: Int, accumulate: Bool
    ) {
        let end16 = columns.lowerBound + (columns.count & ~15)
        var i = rows.lowerBound
        while i + 6 <= rows.upperBound || (!accumulate && i < rows.upperBound && rows.count >= 6) {
            i = min(i, rows.upperBound - 6)  // the last block overlaps the one before (see `kernel`)
            var j = columns.lowerBound
            while j < end16 {
                block6x16(a + i &* rowStride, rowStride, columnStride, b + j, c + (i &* n &+ j), k: k, n: n, accumulate: accumulate)
                j += 16
            }
            i += 6
        }
        while i < rows.upperBound {
            var j = columns.lowerBound
            while j < end16 {
                let cp = c + (i &* n &+ j)
                var c0 = accumulate ? load(cp) : SIMD16<Float>()
                var ap = a + i &* rowStride
                var bp = b + j
                for _ in 0..<k {
                    c0 = c0.addingProduct(SIMD16(repeating: ap[0]), load(bp))
                    bp += n
                    ap += columnStride
                }
                store(c0, cp)
                j += 16
            }
            i += 1
        }
        // Columns beyond the last multiple of 16 (only for widths that are not).
        for i in rows {
            for jj in end16..<columns.upperBound {
                var s: Float = accumulate ? c[i * n + jj] : 0
                for p in 0..<k { s = s.addingProduct(a[i * rowStride + p * columnStride], b[p * n + jj]) }
                c[i * n + jj] = s
            }
        }
    }

    /// C[6, 16] (+)= A[6, K] B[K, 16]: twelve AVX registers of accumulators.
    @inline(__always)
    static func block6x16(
        _ a: UnsafePointer<Float>, _ rowStride: Int, _ columnStride: Int,
        _ b: UnsafePointer<Float>, _ cp: UnsafeMutablePointer<Float>, k: Int, n: Int, accumulate: Bool
    ) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>()
        var c3 = SIMD16<Float>(), c4 = SIMD16<Float>(), c5 = SIMD16<Float>()
        if accumulate {
            c0 = load(cp); c1 = load(cp + n); c2 = load(cp + 2 &* n)
            c3 = load(cp + 3 &* n); c4 = load(cp + 4 &* n); c5 = load(cp + 5 &* n)
        }
        var ap = a
        var bp = b
        for _ in 0..<k {
            let bv = load(bp)
            c0 = c0.addingProduct(SIMD16(repeating: ap[0]), bv)
            c1 = c1.addingProduct(SIMD16(repeating: ap[rowStride]), bv)
            c2 = c2.addingProduct(SIMD16(repeating: ap[2 &* rowStride]), bv)
            c3 = c3.addingProduct(SIMD16(repeating: ap[3 &* rowStride]), bv)
            c4 = c4.addingProduct(SIMD16(repeating: ap[4 &* rowStride]), bv)
            c5 = c5.addingProduct(SIMD16(repeating: ap[5 &* rowStride]), bv)
            bp += n
            ap += columnStride
        }
        store(c0, cp); store(c1, cp + n); store(c2, cp + 2 &* n)
        store(c3, cp + 3 &* n); store(c4, cp + 4 &* n); store(c5, cp + 5 &* n)
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// dst[N, M] = src[M, N] transposed.
    public static func transpose(
        _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, rows m: Int, columns n: Int
    ) {
        // Blocked so both sides stay in cache.
        let bs = 16
        var i0 = 0
        while i0 < m {
            let i1 = min(i0 + bs, m)
            var j0 = 0
            while j0 < n {
                let j1 = min(j0 + bs, n)
                for i in i0..<i1 {
                    for j in j0..<j1 { dst[j &* m &+ i] = src[i &* n &+ j] }
                }
                j0 = j1
            }
            i0 = i1
        }
    }

    /// C[M, 2] = A[M, K] @ B[K, 2] (+ C when accumulating), for the 2-wide output layer.
    /// `bT` is B transposed, [2, K], so each output is a SIMD dot product.
    public static func gemmNarrowOutput(
        _ a: UnsafePointer<Float>, bT: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, k: Int
    ) {
        let k16 = k & ~15
        for i in 0..<m {
            let row = a + i * k
            var s0 = SIMD16<Float>(), s1 = SIMD16<Float>()
            var p = 0
            while p < k16 {
                let av = load(row + p)
                s0 = s0.addingProduct(av, load(bT + p))
                s1 = s1.addingProduct(av, load(bT + k + p))
                p += 16
            }
            var r0 = s0.sum(), r1 = s1.sum()
            while p < k { r0 += row[p] * bT[p]; r1 += row[p] * bT[k + p]; p += 1 }
            c[2 * i] = r0
            c[2 * i + 1] = r1
        }
    }

    /// G[K, 2] = A[M, K]^T @ D[M, 2]: the weight gradient of the 2-wide output layer (overwrites G).
    public static func gemmNarrowWeightGradient(
        _ a: UnsafePointer<Float>, _ d: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>,
        m: Int, k: Int
    ) {
        var p = 0
        while p + 16 <= k {
            var g0 = SIMD16<Float>(), g1 = SIMD16<Float>()
            for i in 0..<m {
                let av = load(a + i * k + p)
                g0 = g0.addingProduct(av, SIMD16(repeating: d[2 * i]))
                g1 = g1.addingProduct(av, SIMD16(repeating: d[2 * i + 1]))
            }
            for l in 0..<16 {
                g[2 * (p + l)] = g0[l]
                g[2 * (p + l) + 1] = g1[l]
            }
            p += 16
        }
        while p < k {
            var s0: Float = 0, s1: Float = 0
            for i in 0..<m { s0 += a[i * k + p] * d[2 * i]; s1 += a[i * k + p] * d[2 * i + 1] }
            g[2 * p] = s0
            g[2 * p + 1] = s1
            p += 1
        }
    }
}
