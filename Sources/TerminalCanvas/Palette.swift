/// Styles and glyphs for plot series and for the frame around plots, for one colour tier.
///
/// Three tiers (ecosystem notes, section 2.5): `color256` when the terminal has >= 256 colours,
/// `color8` when it has >= 8, and `monochrome` for `NO_COLOR` or no colour support. Series are
/// always told apart by glyph too in ASCII mode (`glyphs`), because projectors and redirected
/// output lose colour. Series index `i` uses entry `i % count` of each list.
///
/// This is data only; the ncurses device maps `Style` colours to colour pairs.
public struct Palette: Hashable, Sendable {
    /// Style of series 0, 1, 2, ...; must not be empty.
    public var seriesStyles: [Style]
    /// ASCII-mode glyph of series 0, 1, 2, ...; must not be empty.
    public var glyphs: [Character]
    /// Style of axis lines, tick labels and panel borders.
    public var frame: Style
    /// Style of panel titles.
    public var title: Style

    /// Creates a palette; empty lists are replaced by the defaults.
    public init(
        seriesStyles: [Style], glyphs: [Character] = Palette.defaultGlyphs,
        frame: Style = .plain, title: Style = Style(bold: true)
    ) {
        self.seriesStyles = seriesStyles.isEmpty ? [.plain] : seriesStyles
        self.glyphs = glyphs.isEmpty ? Palette.defaultGlyphs : glyphs
        self.frame = frame
        self.title = title
    }

    /// ASCII glyphs for series 0...7: `. o + * x # @ %` (all distinct, all printable ASCII).
    public static let defaultGlyphs: [Character] = [".", "o", "+", "*", "x", "#", "@", "%"]

    /// The style for series `index` (`seriesStyles[index % count]`; negative indices use 0).
    public func style(forSeries index: Int) -> Style {
        seriesStyles[max(0, index) % seriesStyles.count]
    }

    /// The ASCII glyph for series `index` (`glyphs[index % count]`; negative indices use 0).
    public func glyph(forSeries index: Int) -> Character {
        glyphs[max(0, index) % glyphs.count]
    }

    /// xterm-256 colours close to the Okabe-Ito colour-blind-safe set: sky blue (74), orange (214),
    /// bluish green (36), reddish purple (175), yellow (227), vermillion (166).
    public static let color256 = Palette(
        seriesStyles: [74, 214, 36, 175, 227, 166].map { Style(foreground: .indexed($0)) },
        frame: Style(foreground: .indexed(244)),
        title: Style(foreground: .indexed(252), bold: true))

    /// The 8 basic colours: cyan, yellow, green, magenta, blue, red.
    public static let color8 = Palette(
        seriesStyles: [Color.NamedColor.cyan, .yellow, .green, .magenta, .blue, .red]
            .map { Style(foreground: .named($0)) },
        frame: .plain,
        title: Style(bold: true))

    /// No colour (`NO_COLOR`): series 1 is bold so two series stay apart in braille mode; the rest
    /// rely on glyphs (ASCII mode) alone.
    public static let monochrome = Palette(
        seriesStyles: [
            .plain, Style(bold: true), .plain, Style(bold: true), .plain, Style(bold: true),
        ],
        frame: .plain,
        title: Style(bold: true))
}
