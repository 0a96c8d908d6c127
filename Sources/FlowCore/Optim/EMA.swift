import CKernels

/// Exponential moving average of the weights: `ema <- decay * ema + (1 - decay) * p`.
public enum EMA {
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
