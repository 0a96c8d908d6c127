/// A flow map X(x, s, t): where a point at time s is carried to by time t along a flow
/// (DESIGN.md 3.5; Boffi, Albergo, Vanden-Eijnden 2025), on batches of points [rows, 2].
///
/// ``ExactFlow`` is the exact one, X*(x, s, t) by RK4 on v*; a ``Model`` has the map its method's
/// network makes (``Model/flowMap(_:from:to:rows:into:)``). ``FlowMapError`` measures one against
/// the other.
public protocol FlowMapping: AnyObject {
    /// Whether X(., s, t) is defined for 0 <= s < t <= 1 (a consistency model maps only to t = 1).
    func hasFlowMap(from s: Float, to t: Float) -> Bool
    /// out[rows, 2] = X(x, s, t) for the points x [rows, 2]; only where `hasFlowMap(from: s, to: t)`.
    /// `out` may not alias `x`.
    func flowMap(_ x: UnsafePointer<Float>, from s: Float, to t: Float, rows: Int, into out: UnsafeMutablePointer<Float>)
}
