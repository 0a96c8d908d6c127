/// A rectangle of cells: columns `x ..< x + width`, rows `y ..< y + height`.
///
/// `width` and `height` are never negative (the initializer clamps them to 0), so every helper that
/// shrinks a rectangle yields an empty rectangle rather than a negative one.
public struct Rect: Hashable, Sendable {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Number of columns, >= 0.
    public var width: Int
    /// Number of rows, >= 0.
    public var height: Int

    /// Creates the rectangle with top-left corner (`x`, `y`) and the given size (clamped to >= 0).
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// Creates the rectangle with top-left corner `origin` and the given `size`.
    public init(origin: Point = .zero, size: Size) {
        self.init(x: origin.x, y: origin.y, width: size.width, height: size.height)
    }

    /// The top-left corner.
    public var origin: Point { Point(x: x, y: y) }
    /// The size, `width` x `height`.
    public var size: Size { Size(width: width, height: height) }
    /// One past the right-most column: `x + width`.
    public var maxX: Int { x + width }
    /// One past the bottom row: `y + height`.
    public var maxY: Int { y + height }
    /// True when the rectangle holds no cell.
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// True when the cell `point` lies inside.
    public func contains(_ point: Point) -> Bool {
        point.x >= x && point.x < maxX && point.y >= y && point.y < maxY
    }

    /// The overlap of two rectangles (empty, at `self.origin`, when they do not overlap).
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        let right = min(maxX, other.maxX)
        let bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return Rect(x: x, y: y, width: 0, height: 0) }
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// Shrinks by `amount` cells on every side (never below an empty rectangle).
    public func inset(by amount: Int) -> Rect {
        inset(top: amount, left: amount, bottom: amount, right: amount)
    }

    /// Shrinks by the given number of cells on each side (never below an empty rectangle).
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let newWidth = max(0, width - left - right)
        let newHeight = max(0, height - top - bottom)
        return Rect(
            x: x + min(left, width), y: y + min(top, height), width: newWidth, height: newHeight)
    }

    /// A rectangle of `size` (clipped to this one) centred in this rectangle; odd slack goes
    /// right and down.
    public func centered(_ size: Size) -> Rect {
        let w = min(size.width, width)
        let h = min(size.height, height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }

    /// Splits into horizontal bands stacked top to bottom; see `Layout.split`.
    public func rows(_ constraints: [Layout.Constraint], spacing: Int = 0) -> [Rect] {
        Layout.split(self, direction: .vertical, constraints, spacing: spacing)
    }

    /// Splits into vertical bands placed left to right; see `Layout.split`.
    public func columns(_ constraints: [Layout.Constraint], spacing: Int = 0) -> [Rect] {
        Layout.split(self, direction: .horizontal, constraints, spacing: spacing)
    }
}
