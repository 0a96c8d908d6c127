/// How a cell is drawn: foreground and background colour plus bold / dim / reverse attributes.
public struct Style: Hashable, Sendable {
    /// Colour of the glyph.
    public var foreground: Color
    /// Colour behind the glyph.
    public var background: Color
    /// Bold (often also "bright") text.
    public var bold: Bool
    /// Dim (faint) text; not every terminal shows it.
    public var dim: Bool
    /// Foreground and background swapped.
    public var reverse: Bool

    /// Creates a style; every argument defaults to the terminal's plain style.
    public init(
        foreground: Color = .default, background: Color = .default,
        bold: Bool = false, dim: Bool = false, reverse: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    /// The terminal's default colours, no attributes.
    public static let plain = Style()
}
