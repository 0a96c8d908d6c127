import FlowCore
import Foundation
import TerminalCanvas

/// Draw mode (`w`, issue 16): a data set painted on the spot, brush by brush, over an empty plot
/// or over the current data. A brush drops `brushPoints` points in a disk of radius
/// `brushRadius` around the cursor (arrow keys and space) or the mouse (a press or a drag), on a
/// sunflower spiral, so the same strokes give the same points.
public struct Drawing: Equatable, Sendable {
    /// The points drawn so far, interleaved [N, 2].
    public var points: [Float] = []
    /// The keyboard's brush position.
    public var cursor = SIMD2<Float>(0, 0)
    /// The current data shows under the drawing (a second `w`).
    public var showsData = false
    /// The brushes dropped, for the spiral's turn.
    public var strokes = 0

    /// Points per brush.
    public static let brushPoints = 8
    /// The brush's radius in world units.
    public static let brushRadius: Float = 0.3
    /// How far an arrow key moves the cursor.
    public static let cursorStep: Float = 0.25
    /// The fewest points `Enter` trains on.
    public static let minimumPoints = 16
    /// The plot the drawing is made on: where the noise lives, and a margin.
    public static let bounds = PlotBounds(xMin: -4, xMax: 4, yMin: -4, yMax: 4)

    public init(showsData: Bool = false) { self.showsData = showsData }

    /// Drops a brush at `center` (clamped to the plot).
    public mutating func brush(at center: SIMD2<Float>) {
        let c = Self.clamped(center)
        let turn = Float(strokes) * 0.7
        for i in 0..<Self.brushPoints {
            let r = Self.brushRadius * ((Float(i) + 0.5) / Float(Self.brushPoints)).squareRoot()
            let angle = Float(i) * 2.399_963 + turn
            points += [c.x + r * cos(angle), c.y + r * sin(angle)]
        }
        strokes += 1
    }

    /// Takes back the last brush.
    public mutating func undo() {
        guard strokes > 0 else { return }
        points.removeLast(min(points.count, 2 * Self.brushPoints))
        strokes -= 1
    }

    /// Moves the cursor by `step` cursor steps, within the plot.
    public mutating func moveCursor(by step: SIMD2<Float>) { cursor = Self.clamped(cursor + step * Self.cursorStep) }

    /// `point` moved onto the plot.
    static func clamped(_ point: SIMD2<Float>) -> SIMD2<Float> {
        let b = Self.bounds
        return SIMD2(min(max(point.x, Float(b.xMin)), Float(b.xMax)), min(max(point.y, Float(b.yMin)), Float(b.yMax)))
    }
}
