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

    /// The scalar a terminal is sent for this cell: its character's first, or `?` for a control
    /// character (which would reach the terminal as a control sequence).
    public var terminalScalar: Unicode.Scalar {
        let scalar = character.unicodeScalars.first ?? " "
        return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "?" : scalar
    }
}
