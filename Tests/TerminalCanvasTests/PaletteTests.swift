import Testing

@testable import TerminalCanvas

@Test func everySeriesHasItsOwnAsciiGlyph() {
    let glyphs = (0..<6).map { Palette.color256.glyph(forSeries: $0) }
    #expect(Set(glyphs).count == 6)
    #expect(glyphs.allSatisfy { $0.isASCII && $0 != " " })
    #expect(Palette.monochrome.glyph(forSeries: 1) == "o")
}

@Test(arguments: [Palette.color256, Palette.color8])
func colourPalettesGiveSixDistinctSeriesStyles(palette: Palette) {
    let styles = (0..<6).map { palette.style(forSeries: $0) }
    #expect(Set(styles).count == 6)
    #expect(palette.style(forSeries: 6) == palette.style(forSeries: 0))
}

@Test func monochromePaletteUsesNoColour() {
    let styles = (0..<6).map { Palette.monochrome.style(forSeries: $0) }
    #expect(styles.allSatisfy { $0.foreground == .default && $0.background == .default })
    #expect(Palette.monochrome.frame == .plain)
}
