import CKernels

/// Exponential moving average of the weights: `ema <- decay * ema + (1 - decay) * p`.
public enum EMA {
    /// Moves `ema` toward `parameters`: `ema <- decay * ema + (1 - decay) * parameters`, element by element.
    public static func update(_ ema: inout [Float], toward parameters: [Float], decay: Float) {
        let n = ema.count
        precondition(parameters.count == n)
        ema.withUnsafeMutableBufferPointer { e in
            parameters.withUnsafeBufferPointer { p in
                update(e.baseAddress!, toward: p.baseAddress!, count: n, decay: decay)
            }
        }
    }

    /// The same update on `count` values at `ema` and `parameters` (a slice, for one thread's share).
    public static func update(
        _ ema: UnsafeMutablePointer<Float>, toward parameters: UnsafePointer<Float>, count: Int, decay: Float
    ) {
        fe_ema(KernelPath.active.rawValue, ema, parameters, count, decay)
    }
}
