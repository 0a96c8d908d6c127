/// How a `PlotCanvas` turns dots into characters.
///
/// | mode        | dots per cell (columns x rows) | glyphs                        |
/// |-------------|--------------------------------|-------------------------------|
/// | `braille`   | 2 x 4                          | U+2800 + dot bits             |
/// | `halfBlock` | 1 x 2                          | `▀` top, `▄` bottom, `█` both |
/// | `density`   | 1 x 1, counting hits           | ` ░▒▓█` by hits / max hits    |
/// | `ascii`     | 1 x 1                          | the series' glyph, e.g. `.` `o` |
///
/// A terminal cell is about twice as tall as wide, so braille and half-block dots are about
/// square, and density / ASCII dots are about twice as tall as wide.
public enum PlotMode: String, CaseIterable, Hashable, Sendable {
    /// Unicode braille patterns, 2 x 4 dots per cell (the default).
    case braille
    /// Upper / lower half blocks, 1 x 2 dots per cell.
    case halfBlock
    /// Shading by the number of points per cell, 1 x 1.
    case density
    /// Plain ASCII, one glyph per series, 1 x 1.
    case ascii

    /// Dots across one cell.
    public var dotsPerCellX: Int {
        switch self {
        case .braille: 2
        case .halfBlock, .density, .ascii: 1
        }
    }

    /// Dots down one cell.
    public var dotsPerCellY: Int {
        switch self {
        case .braille: 4
        case .halfBlock: 2
        case .density, .ascii: 1
        }
    }

    /// True when every glyph the mode draws is ASCII.
    public var isASCII: Bool { self == .ascii }
}
