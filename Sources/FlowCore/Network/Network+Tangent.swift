/// Forward-mode derivatives: the network's output and its directional derivative in one pass.
///
/// The primal rows and the tangent rows travel together as one matrix of 2 x rows rows, so each
/// layer is one product of double height: rows `0..<rows` carry the activations a, rows
/// `rows..<2 rows` their derivatives a_dot. A linear layer maps [a; a_dot] to [a W + b; a_dot W];
/// SiLU maps z_dot to `silu'(z) z_dot = sigma(z) (1 + z (1 - sigma(z))) z_dot`, which is the
/// SiLU backward formula with z_dot in the place of the incoming gradient. The input tangent is
/// [dx, d/dt emb(t) dt, d/dd emb(d) dd] (see `SinusoidalEmbedding.fillTangent`).
///
/// A pass may carry tangents for only its first `tangentRows` rows (the rest need no derivative):
/// the matrix then has rows + tangentRows rows, tangent row r belonging to primal row r.
extension Network {
    /// The output y = F(x, t, d) [rows, 2] and its derivative along the tangent (dx, dt, dd):
    /// `d/de F(x + e dx, t + e dt, d + e dd)` at e = 0, [rows, 2].
    ///
    /// The workspace needs a capacity of at least rows + tangentRows (2 x rows by default).
    /// Afterwards its first `rows` rows hold the ordinary forward pass of (x, t, d), so `backward`
    /// with `rows` may follow (the tangent itself not differentiated), and the whole of it the
    /// pass that ``backwardWithTangent(parameters:outputGradient:tangentGradient:rows:tangentRows:workspace:gradients:)``
    /// differentiates. `d` and `dd` are used by step-conditioned networks only; `dx`, `dt` and
    /// `dd` are read for the first `tangentRows` rows. Returns pointers into the workspace:
    /// `output` (rows 0..<rows of `ws.output`) and `tangent` (the next `tangentRows` rows).
    @discardableResult
    public func forwardWithTangent(
        parameters p: UnsafePointer<Float>, x: UnsafePointer<Float>, t: UnsafePointer<Float>,
        d: UnsafePointer<Float>?, dx: UnsafePointer<Float>, dt: UnsafePointer<Float>, dd: UnsafePointer<Float>?,
        rows: Int, tangentRows: Int? = nil, workspace ws: Workspace
    ) -> (output: UnsafeMutablePointer<Float>, tangent: UnsafeMutablePointer<Float>) {
        let tangentRows = tangentRows ?? rows
        precondition(tangentRows >= 0 && tangentRows <= rows, "tangents for at most every row")
        precondition(rows + tangentRows <= ws.capacity, "a forward-mode pass needs room for its tangent rows")
        prepareInput(x: x, t: t, d: d, rows: rows, workspace: ws)
        let stride = shape.inputWidth
        let tangentInput = ws.input + rows * stride
        for r in 0..<tangentRows {
            tangentInput[r * stride] = dx[2 * r]
            tangentInput[r * stride + 1] = dx[2 * r + 1]
        }
        embedding.fillTangent(
            features: ws.input, tangents: dt, rows: tangentRows, into: tangentInput, stride: stride, column: 2)
        if shape.stepConditioned {
            precondition(d != nil && dd != nil, "a step-conditioned network needs d and its tangent")
            embedding.fillTangent(
                features: ws.input, tangents: dd!, rows: tangentRows, into: tangentInput, stride: stride,
                column: 2 + shape.embeddingSize)
        }

        let w = widths
        var h = UnsafePointer(ws.input)
        for l in 0..<shape.depth {
            let width = w[l + 1]
            let z = ws.z[l]
            let a = ws.act[l]
            let s = ws.sig[l]
            hiddenLayerForward(l, parameters: p, input: h, rows: rows, tangentRows: tangentRows, workspace: ws)
            let offset = rows * width
            VectorMath.siluBackward(z + offset, z, s, a + offset, count: tangentRows * width)
            h = UnsafePointer(a)
        }
        let last = shape.depth
        let wp = p + offsets[last]
        Matmul.transpose(wp, ws.scratch, rows: w[last], columns: 2)
        Matmul.gemmNarrowOutput(h, bT: ws.scratch, ws.output, m: rows + tangentRows, k: w[last])
        let bias = wp + w[last] * 2
        for r in 0..<rows {
            ws.output[2 * r] += bias[0]
            ws.output[2 * r + 1] += bias[1]
        }
        return (ws.output, ws.output + 2 * rows)
    }

    /// The backward pass of a forward-mode pass: after ``forwardWithTangent(parameters:x:t:d:dx:dt:dd:rows:tangentRows:workspace:)``
    /// on the same workspace, given dL/dy [rows, 2] and dL/dy_dot [tangentRows, 2] for a loss of
    /// the output y and of its derivative y_dot, WRITES (does not add) dL/dparameters into
    /// `gradients`, through both (the input tangent is taken as constant).
    ///
    /// Each layer's product maps [a; a_dot] to [z; z_dot] with one W, so the weight gradient is one
    /// product over the stacked rows, [a; a_dot]^T [g_z; g_z_dot], and the bias gradient sums g_z.
    /// Through a = silu(z), a_dot = silu'(z) z_dot:
    /// `g_z = silu'(z) g_a + silu''(z) z_dot g_a_dot` and `g_z_dot = silu'(z) g_a_dot`, with
    /// silu''(z) = sigma (1 - sigma) (2 + z (1 - 2 sigma)).
    public func backwardWithTangent(
        parameters p: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        tangentGradient dyDot: UnsafePointer<Float>, rows: Int, tangentRows: Int, workspace ws: Workspace,
        gradients g: UnsafeMutablePointer<Float>
    ) {
        // The stacked output gradient [g_y; g_y_dot] in the output buffer, which the pass no longer needs.
        let gy = ws.output
        gy.update(from: dy, count: 2 * rows)
        (gy + 2 * rows).update(from: dyDot, count: 2 * tangentRows)
        backwardStacked(
            parameters: p, outputGradient: gy, rows: rows, tangentRows: tangentRows, workspace: ws, gradients: g,
            inputGradient: nil)
    }
}
