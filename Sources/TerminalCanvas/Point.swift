/// A cell position on the screen: `x` is the column (0 = left), `y` is the row (0 = top).
public struct Point: Hashable, Sendable {
    /// Column, counted from the left edge, starting at 0.
    public var x: Int
    /// Row, counted from the top edge, starting at 0.
    public var y: Int

    /// Creates a point at column `x`, row `y`.
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    /// The top-left corner, (0, 0).
    public static let zero = Point(x: 0, y: 0)
}
