/// The straightness of paths (Liu, Gong, Liu 2022, "Flow Straight and Fast"):
/// `S = integral_0^1 E |(Z_1 - Z_0) - dZ_t/dt|^2 dt`, 0 exactly when every path is a straight line
/// travelled at constant speed.
///
/// On a discrete path with states Z_0..Z_K at times t_0 < ... < t_K, each step's velocity is
/// (Z_{k+1} - Z_k) / h_k, so `S = sum_k h_k mean_paths |(Z_K - Z_0) - (Z_{k+1} - Z_k) / h_k|^2`;
/// on K equal steps that is `(1/K) sum_k |(Z_K - Z_0) - K (Z_{k+1} - Z_k)|^2`.
public enum Straightness {
    /// S of the paths in `frames` (K + 1 states [N, 2] each) at `times` (K + 1 values from 0 to
    /// 1; nil: equal steps). Non-finite paths make it non-finite.
    public static func of(_ frames: [[Float]], times: [Float]? = nil) -> Double {
        let steps = frames.count - 1
        guard steps >= 1, let first = frames.first, let last = frames.last, !first.isEmpty else { return 0 }
        let grid = times ?? (0...steps).map { Float($0) / Float(steps) }
        precondition(grid.count == frames.count)
        let rows = first.count / 2
        var total = 0.0
        for k in 0..<steps {
            let h = Double(grid[k + 1] - grid[k])
            guard h > 0 else { continue }
            let a = frames[k]
            let b = frames[k + 1]
            var sum = 0.0
            for i in 0..<(2 * rows) {
                let chord = Double(last[i] - first[i])
                let velocity = Double(b[i] - a[i]) / h
                sum += (chord - velocity) * (chord - velocity)
            }
            total += h * sum / Double(rows)
        }
        return total
    }
}
