/// One screen cell: a character and the style it is drawn with.
///
/// Every character is assumed to occupy exactly one column (true for ASCII, box drawing, block
/// elements and braille, which is all this module draws).
public struct Cell: Hashable, Sendable {
    /// The glyph shown in the cell.
    public var character: Character
    /// How the glyph is drawn.
    public var style: Style

    /// Creates a cell holding `character` drawn with `style`.
    public init(_ character: Character, style: Style = .plain) {
        self.character = character
        self.style = style
    }

    /// A space in the plain style: what an empty buffer holds.
    public static let blank = Cell(" ")
}
