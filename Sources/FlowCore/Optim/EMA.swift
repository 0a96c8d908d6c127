/// Exponential moving average of the weights: `ema <- decay * ema + (1 - decay) * p`.
public enum EMA {
    public static func update(_ ema: inout [Float], toward parameters: [Float], decay: Float) {
        let n = ema.count
        precondition(parameters.count == n)
        ema.withUnsafeMutableBufferPointer { e in
            parameters.withUnsafeBufferPointer { p in
                for i in 0..<n { e[i] = decay * e[i] + (1 - decay) * p[i] }
            }
        }
    }
}
