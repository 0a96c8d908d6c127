/// Forward-mode derivatives: the network's output and its directional derivative in one pass.
///
/// The primal rows and the tangent rows travel together as one matrix of 2 x rows rows, so each
/// layer is one product of double height: rows `0..<rows` carry the activations a, rows
/// `rows..<2 rows` their derivatives a_dot. A linear layer maps [a; a_dot] to [a W + b; a_dot W];
/// SiLU maps z_dot to `silu'(z) z_dot = sigma(z) (1 + z (1 - sigma(z))) z_dot`, which is the
/// SiLU backward formula with z_dot in the place of the incoming gradient. The input tangent is
/// [dx, d/dt emb(t) dt, d/dd emb(d) dd] (see `SinusoidalEmbedding.fillTangent`).
extension Network {
    /// The output y = F(x, t, d) [rows, 2] and its derivative along the tangent (dx, dt, dd):
    /// `d/de F(x + e dx, t + e dt, d + e dd)` at e = 0, [rows, 2].
    ///
    /// The workspace needs a capacity of at least 2 x rows. Afterwards its first `rows` rows hold
    /// the ordinary forward pass of (x, t, d), so `backward` with `rows` may follow (the tangent
    /// itself is not differentiated). `d` and `dd` are used by step-conditioned networks only.
    /// Returns pointers into the workspace: `output` (rows 0..<rows of `ws.output`) and `tangent`
    /// (the next `rows` rows).
    @discardableResult
    public func forwardWithTangent(
        parameters p: UnsafePointer<Float>, x: UnsafePointer<Float>, t: UnsafePointer<Float>,
        d: UnsafePointer<Float>?, dx: UnsafePointer<Float>, dt: UnsafePointer<Float>, dd: UnsafePointer<Float>?,
        rows: Int, workspace ws: Workspace
    ) -> (output: UnsafeMutablePointer<Float>, tangent: UnsafeMutablePointer<Float>) {
        precondition(2 * rows <= ws.capacity, "a forward-mode pass needs a workspace of twice the rows")
        prepareInput(x: x, t: t, d: d, rows: rows, workspace: ws)
        let stride = shape.inputWidth
        let tangentInput = ws.input + rows * stride
        for r in 0..<rows {
            tangentInput[r * stride] = dx[2 * r]
            tangentInput[r * stride + 1] = dx[2 * r + 1]
        }
        embedding.fillTangent(features: ws.input, tangents: dt, rows: rows, into: tangentInput, stride: stride, column: 2)
        if shape.stepConditioned {
            precondition(d != nil && dd != nil, "a step-conditioned network needs d and its tangent")
            embedding.fillTangent(
                features: ws.input, tangents: dd!, rows: rows, into: tangentInput, stride: stride,
                column: 2 + shape.embeddingSize)
        }

        let w = widths
        var h = UnsafePointer(ws.input)
        for l in 0..<shape.depth {
            let width = w[l + 1]
            let z = ws.z[l]
            let a = ws.act[l]
            let s = ws.sig[l]
            linearForward(
                p + offsets[l], input: h, output: z, rows: 2 * rows, fanIn: w[l], fanOut: width, biasRows: rows)
            VectorMath.siluForward(z, a, s, count: rows * width)
            let offset = rows * width
            VectorMath.siluBackward(z + offset, z, s, a + offset, count: offset)
            h = UnsafePointer(a)
        }
        let last = shape.depth
        let wp = p + offsets[last]
        Matmul.transpose(wp, ws.scratch, rows: w[last], columns: 2)
        Matmul.gemmNarrowOutput(h, bT: ws.scratch, ws.output, m: 2 * rows, k: w[last])
        let bias = wp + w[last] * 2
        for r in 0..<rows {
            ws.output[2 * r] += bias[0]
            ws.output[2 * r + 1] += bias[1]
        }
        return (ws.output, ws.output + 2 * rows)
    }
}
