/// What the samplers integrate: a velocity field F(x, t, d) on batches of points [rows, 2].
/// `Model` is the learned one; tests use fields with closed-form solutions.
public protocol VelocityField: AnyObject {
    /// out[rows, 2] = F(x, t, d) with the same t for every row; d is the step size for
    /// step-conditioned fields (nil: the field's velocity step), ignored by others.
    func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>)

    /// Where one jump from (x, t) lands at t = 1 (the map of the consistency view and of the
    /// self-consistency error); out[rows, 2]. By default the consistency function.
    func jumpToEnd(_ x: UnsafePointer<Float>, t: Float, rows: Int, into out: UnsafeMutablePointer<Float>)
}

extension VelocityField {
    /// The consistency function f(x, t) = x + (1 - t) F(x, t) (Song et al. 2023, with the boundary
    /// condition f(x, 1) = x built in); out[rows, 2]. `out` may not alias `x`.
    public func consistency(_ x: UnsafePointer<Float>, t: Float, rows: Int, into out: UnsafeMutablePointer<Float>) {
        velocity(x, t: t, d: nil, rows: rows, into: out)
        let scale = 1 - t
        for i in 0..<(2 * rows) { out[i] = x[i] + scale * out[i] }
    }

    public func jumpToEnd(_ x: UnsafePointer<Float>, t: Float, rows: Int, into out: UnsafeMutablePointer<Float>) {
        consistency(x, t: t, rows: rows, into: out)
    }
}
