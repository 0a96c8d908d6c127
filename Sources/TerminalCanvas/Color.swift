/// A terminal colour: the terminal's default, one of the 8 basic ANSI colours, or an xterm
/// 256-colour index.
///
/// This is data only; a device (for example the ncurses one) maps it to colour pairs, and a
/// device without colour ignores it.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background colour.
    case `default`
    /// One of the 8 basic ANSI colours (indices 0 to 7).
    case named(NamedColor)
    /// An xterm 256-colour palette index: 0-15 system colours, 16-231 the 6x6x6 cube
    /// (`16 + 36 r + 6 g + b`, each of r, g, b in 0...5), 232-255 a grey ramp.
    case indexed(UInt8)

    /// The 8 basic ANSI colours, with their ANSI index as raw value.
    public enum NamedColor: UInt8, CaseIterable, Sendable {
        /// ANSI colour 0.
        case black = 0
        /// ANSI colour 1.
        case red
        /// ANSI colour 2.
        case green
        /// ANSI colour 3.
        case yellow
        /// ANSI colour 4.
        case blue
        /// ANSI colour 5.
        case magenta
        /// ANSI colour 6.
        case cyan
        /// ANSI colour 7.
        case white
    }
}
