/// The MLP every method trains, forward and backward by hand, on a flat parameter buffer.
///
/// `F(x, t, d) -> R^2`. Input row: [x (2), emb(t) (E), emb(d) (E, step-conditioned only)]; hidden
/// layers `h_{l+1} = silu(h_l W_l + b_l)`; output `y = h_L W_L + b_L`. The parameters are passed
/// in, not owned, so the same network runs on online weights, EMA weights or a teacher's.
public struct Network: Sendable {
    /// The layer sizes and whether d is an input.
    public let shape: NetworkShape
    /// The sinusoidal features of t (and d), `shape.embeddingSize` values each.
    public let embedding: SinusoidalEmbedding
    /// `shape.layerWidths`, [inputWidth, width x depth, 2], made once: a pass reads them without
    /// building an array.
    let widths: [Int]
    /// `shape.weightOffset(l)` for every layer l, made once.
    let offsets: [Int]

    /// A network of the given shape. It holds no weights: every pass takes them as an argument.
    public init(shape: NetworkShape) {
        self.shape = shape
        embedding = SinusoidalEmbedding(size: shape.embeddingSize, scale: shape.timeScale)
        widths = shape.layerWidths
        offsets = (0..<shape.layerCount).map { shape.weightOffset($0) }
    }

    /// Parameters initialised like PyTorch's `nn.Linear`: W and b uniform in +-1/sqrt(fan_in).
    public func initialParameters(rng: inout SplitMix64) -> [Float] {
        var p = [Float](repeating: 0, count: shape.parameterCount)
        let w = widths
        for l in 0..<shape.layerCount {
            let bound = 1 / Float(w[l]).squareRoot()
            let start = offsets[l]
            for i in start..<(start + w[l] * w[l + 1] + w[l + 1]) { p[i] = rng.uniform(-bound, bound) }
        }
        return p
    }

    /// Fills the workspace input rows with [x, emb(t), emb(d)]. `x` is [rows, 2]; `t`, `d` are [rows].
    public func prepareInput(
        x: UnsafePointer<Float>, t: UnsafePointer<Float>, d: UnsafePointer<Float>?, rows: Int,
        workspace ws: Workspace
    ) {
        precondition(rows <= ws.capacity)
        let stride = shape.inputWidth
        for r in 0..<rows {
            ws.input[r * stride] = x[2 * r]
            ws.input[r * stride + 1] = x[2 * r + 1]
        }
        embedding.fill(t, rows: rows, into: ws.input, stride: stride, column: 2)
        if shape.stepConditioned {
            precondition(d != nil, "a step-conditioned network needs d")
            embedding.fill(d!, rows: rows, into: ws.input, stride: stride, column: 2 + shape.embeddingSize)
        }
    }

    /// Forward pass of `rows` rows on the prepared input (each layer: the product, then the bias); the result is `ws.output` [rows, 2], and
    /// the activations stay in the workspace for `backward`.
    public func forwardPrepared(parameters p: UnsafePointer<Float>, rows: Int, workspace ws: Workspace) {
        let w = widths
        var h = UnsafePointer(ws.input)
        for l in 0..<shape.depth {
            hiddenLayerForward(l, parameters: p, input: h, rows: rows, workspace: ws)
            h = UnsafePointer(ws.act[l])
        }
        let last = shape.depth
        let wp = p + offsets[last]
        // The 2-wide output: transpose W_L [fanIn, 2] to [2, fanIn] for SIMD dot products.
        Matmul.transpose(wp, ws.scratch, rows: w[last], columns: 2)
        Matmul.gemmNarrowOutput(h, bT: ws.scratch, ws.output, m: rows, k: w[last])
        let bias = wp + w[last] * 2
        for r in 0..<rows {
            ws.output[2 * r] += bias[0]
            ws.output[2 * r + 1] += bias[1]
        }
    }

    /// Forward pass from x, t, d; returns `ws.output` [rows, 2].
    @discardableResult
    public func forward(
        parameters p: UnsafePointer<Float>, x: UnsafePointer<Float>, t: UnsafePointer<Float>,
        d: UnsafePointer<Float>?, rows: Int, workspace ws: Workspace
    ) -> UnsafeMutablePointer<Float> {
        prepareInput(x: x, t: t, d: d, rows: rows, workspace: ws)
        forwardPrepared(parameters: p, rows: rows, workspace: ws)
        return ws.output
    }

    /// Backward pass after `forward` on the same workspace. Given dL/dy [rows, 2], WRITES (does not
    /// add) dL/dparameters into `gradients`, and, when `inputGradient` is given, dL/dinput
    /// [rows, inputWidth] (its first two columns are dL/dx).
    public func backward(
        parameters p: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, rows: Int,
        workspace ws: Workspace, gradients g: UnsafeMutablePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>? = nil
    ) {
        backwardStacked(
            parameters: p, outputGradient: dy, rows: rows, tangentRows: 0, workspace: ws, gradients: g,
            inputGradient: inputGradient)
    }

    /// The backward pass of a pass over `rows` primal rows stacked on `tangentRows` tangent rows
    /// (0 for an ordinary forward pass; see ``backwardWithTangent(parameters:outputGradient:tangentGradient:rows:tangentRows:workspace:gradients:)``),
    /// from the stacked dL/dy `gy` [rows + tangentRows, 2]. Per layer: the output layer
    /// dW_L = h^T gy, db_L = sum of the primal rows of gy, dh = gy W_L^T; each hidden layer from
    /// the top dz through SiLU (with its second derivative on the primal rows that carry a
    /// tangent), dW = h^T dz over the stacked rows, db = sum of the primal rows of dz, dh = dz W^T.
    /// `inputGradient` (dL/dinput [rows, inputWidth]) only without tangent rows.
    func backwardStacked(
        parameters p: UnsafePointer<Float>, outputGradient gy: UnsafePointer<Float>, rows: Int, tangentRows: Int,
        workspace ws: Workspace, gradients g: UnsafeMutablePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?
    ) {
        precondition(inputGradient == nil || tangentRows == 0, "no input gradient through a tangent pass")
        let w = widths
        let last = shape.depth
        let stacked = rows + tangentRows
        let hLast = UnsafePointer(last > 0 ? ws.act[last - 1] : ws.input)
        let gw = g + offsets[last]
        Matmul.gemmNarrowWeightGradient(hLast, gy, gw, m: stacked, k: w[last])
        VectorMath.columnSums(gy, rows: rows, columns: 2, into: gw + w[last] * 2)
        Matmul.transpose(p + offsets[last], ws.scratch, rows: w[last], columns: 2)
        Matmul.gemm(gy, ws.scratch, ws.gradA, m: stacked, k: 2, n: w[last], accumulate: false)
        var da = ws.gradA
        var other = ws.gradB
        for l in stride(from: last - 1, through: 0, by: -1) {
            let fanIn = w[l]
            let fanOut = w[l + 1]
            let tangentPart = tangentRows * fanOut
            let offset = rows * fanOut
            let gl = g + offsets[l]
            let biasGradient = gl + fanIn * fanOut
            if tangentRows == 0 {
                // g_z = silu'(z) g_a, and its column sums db, in one pass.
                VectorMath.siluBackwardWithSums(
                    da, ws.z[l], ws.sig[l], da, rows: rows, columns: fanOut, sums: biasGradient)
            } else {
                // Primal rows with a tangent: g_z = silu'(z) g_a + silu''(z) z_dot g_a_dot (before
                // g_a_dot turns into g_z_dot below); the other primal rows: g_z = silu'(z) g_a.
                VectorMath.siluSecondOrderBackward(
                    da, da + offset, ws.z[l], ws.sig[l], ws.z[l] + offset, da, count: tangentPart)
                VectorMath.siluBackward(
                    da + tangentPart, ws.z[l] + tangentPart, ws.sig[l] + tangentPart, da + tangentPart,
                    count: offset - tangentPart)
                // Tangent rows: g_z_dot = silu'(z) g_a_dot.
                VectorMath.siluBackward(da + offset, ws.z[l], ws.sig[l], da + offset, count: tangentPart)
                VectorMath.columnSums(da, rows: rows, columns: fanOut, into: biasGradient)
            }
            let h = UnsafePointer(l > 0 ? ws.act[l - 1] : ws.input)
            let block = ws.weightGradientBlock(layer: l, fanIn: fanIn, rows: stacked, fanOut: fanOut)
            Matmul.gemmTransposedA(h, da, gl, m: fanIn, k: stacked, n: fanOut, accumulate: false, kBlock: block)
            if l > 0 || inputGradient != nil {
                let target = l > 0 ? other : inputGradient!
                Matmul.transpose(p + offsets[l], ws.scratch, rows: fanIn, columns: fanOut)
                Matmul.gemm(da, ws.scratch, target, m: stacked, k: fanOut, n: fanIn, accumulate: false)
                if l > 0 { swap(&da, &other) }
            }
        }
    }

    /// Hidden layer l on `rows` primal rows and `tangentRows` tangent rows after them (a
    /// forward-mode pass; 0 otherwise): z = input W_l over all of them, then the bias and SiLU of
    /// the primal rows (z += b_l, a = silu(z), and sigma(z) kept for the backward pass). The
    /// tangent rows get neither: their SiLU is the caller's.
    @inline(__always)
    func hiddenLayerForward(
        _ l: Int, parameters p: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int, tangentRows: Int = 0,
        workspace ws: Workspace
    ) {
        let (fanIn, fanOut) = (widths[l], widths[l + 1])
        let wp = p + offsets[l]
        Matmul.gemm(input, wp, ws.z[l], m: rows + tangentRows, k: fanIn, n: fanOut, accumulate: false)
        VectorMath.biasSiluForward(ws.z[l], bias: wp + fanIn * fanOut, ws.act[l], ws.sig[l], rows: rows, columns: fanOut)
    }
}
