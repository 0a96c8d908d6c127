/// A size in cells: `width` columns by `height` rows.
///
/// Sizes built by this module are never negative; the initializer clamps negative values to 0.
public struct Size: Hashable, Sendable {
    /// Number of columns, >= 0.
    public var width: Int
    /// Number of rows, >= 0.
    public var height: Int

    /// Creates a size of `width` x `height` cells; negative values become 0.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The empty size, 0 x 0.
    public static let zero = Size(width: 0, height: 0)

    /// `width * height`.
    public var area: Int { width * height }
}
