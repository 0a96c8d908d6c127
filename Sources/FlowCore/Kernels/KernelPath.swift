import CKernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The code path the C kernels take: each is compiled for its own CPU features (function target
/// attributes) and chosen at run time, and all that fuse their multiply-adds give the same bits
/// (``fuses``).
public enum KernelPath: Int32, Comparable, CaseIterable, Sendable {
    /// Plain C (16-float vectors on the baseline vector unit, SSE2 or NEON): any CPU.
    case portable = 0
    /// x86_64 with AVX2 and FMA.
    case avx2 = 1
    /// x86_64 with AVX-512F (the matrix blocks of 32 columns; AVX2 for the rest).
    case avx512 = 2

    /// The best path this CPU runs.
    public static let available = KernelPath(rawValue: fe_cpu_level()) ?? .portable

    /// The path the kernels take by default: `available`, lowered by the environment to measure
    /// one path alone (`FLOW_EXPLORER_NO_AVX512=1`: at most AVX2; `FLOW_EXPLORER_PORTABLE=1`:
    /// portable).
    public static let active: KernelPath = {
        if getenv("FLOW_EXPLORER_PORTABLE") != nil { return .portable }
        if getenv("FLOW_EXPLORER_NO_AVX512") != nil { return min(available, .avx2) }
        return available
    }()

    /// Whether the path rounds each multiply-add once (an FMA instruction). All such paths give
    /// the same bits; the portable path on x86_64, whose baseline has no FMA, multiplies and adds
    /// (a software FMA is about 75 times slower) and differs from them in the last bits.
    public var fuses: Bool { self != .portable || fe_portable_fuses() != 0 }

    public static func < (lhs: KernelPath, rhs: KernelPath) -> Bool { lhs.rawValue < rhs.rawValue }
}
