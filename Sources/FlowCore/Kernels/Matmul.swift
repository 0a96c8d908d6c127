import CKernels
import Foundation

/// Float32 matrix products on row-major buffers.
///
/// The shapes this project needs are small (batch 256, widths 2 to 128). The kernels are in C
/// (`CKernels`), register-blocked (a 6-row by 16-column block of C stays in registers while rows of
/// B stream through it), compiled once per CPU feature set and chosen at run time (see
/// ``KernelPath``): AVX-512, AVX2 with FMA, or portable C. Every path adds the terms of each element
/// in order with one fused multiply-add each, so all give the same bits.
public enum Matmul {
    /// C[M, N] = A[M, K] @ B[K, N], or C += A @ B when `accumulate` is true.
    /// All three are dense row-major (leading dimension = number of columns).
    @inline(__always)
    public static func gemm(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int, accumulate: Bool, path: KernelPath = .active
    ) {
        fe_gemm(path.rawValue, a, k, 1, b, c, m, k, n, accumulate ? 1 : 0, 0)
    }

    /// C[M, N] = A^T @ B with A stored row-major as [K, M] and B as [K, N]: the weight gradient
    /// X^T dY without transposing X. `kBlock` > 0 adds the K terms in passes of that many
    /// (``KBlocking``); the bits are the same for every value.
    @inline(__always)
    public static func gemmTransposedA(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int, accumulate: Bool, kBlock: Int = 0, path: KernelPath = .active
    ) {
        fe_gemm(path.rawValue, a, 1, m, b, c, m, k, n, accumulate ? 1 : 0, kBlock)
    }

    /// dst[N, M] = src[M, N] transposed.
    public static func transpose(
        _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, rows m: Int, columns n: Int,
        path: KernelPath = .active
    ) {
        fe_transpose(path.rawValue, src, dst, m, n)
    }

    /// C[M, 2] = A[M, K] @ B[K, 2], for the 2-wide output layer.
    /// `bT` is B transposed, [2, K], so each output is a dot product of two rows.
    public static func gemmNarrowOutput(
        _ a: UnsafePointer<Float>, bT: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, path: KernelPath = .active
    ) {
        fe_gemm_narrow_output(path.rawValue, a, bT, c, m, k)
    }

    /// G[K, 2] = A[M, K]^T @ D[M, 2]: the weight gradient of the 2-wide output layer (overwrites G).
    public static func gemmNarrowWeightGradient(
        _ a: UnsafePointer<Float>, _ d: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>,
        m: Int, k: Int, path: KernelPath = .active
    ) {
        fe_gemm_narrow_weight_gradient(path.rawValue, a, d, g, m, k)
    }
}
