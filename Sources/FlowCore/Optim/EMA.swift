import CKernels

/// Exponential moving average of the weights: `ema <- decay * ema + (1 - decay) * p`.
public enum EMA {
    /// Moves `ema` toward `parameters`: `ema <- decay * ema + (1 - decay) * parameters`, element by element.
    public static func update(_ ema: inout [Float], toward parameters: [Float], decay: Float) {
        let n = ema.count
        precondition(parameters.count == n)
        ema.withUnsafeMutableBufferPointer { e in
            parameters.withUnsafeBufferPointer { p in
                fe_ema(KernelPath.active.rawValue, e.baseAddress!, p.baseAddress!, n, decay)
            }
        }
    }
}
