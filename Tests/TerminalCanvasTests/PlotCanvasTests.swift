import Testing

@testable import TerminalCanvas

/// A canvas whose dot (column, row) is hit by world point (column + 0.5, dotHeight - row - 0.5).
private func unitDotCanvas(columns: Int, rows: Int, mode: PlotMode) -> PlotCanvas {
    let size = Size(width: columns, height: rows)
    let bounds = PlotBounds(
        xMin: 0, xMax: Double(columns * mode.dotsPerCellX),
        yMin: 0, yMax: Double(rows * mode.dotsPerCellY))
    return PlotCanvas(size: size, mode: mode, bounds: bounds)
}

private func plotDot(_ canvas: inout PlotCanvas, _ column: Int, _ row: Int, series: Int = 0) {
    canvas.plot(
        x: Float(column) + 0.5, y: Float(canvas.dotHeight - row) - 0.5, series: series)
}

private func rendered(_ canvas: PlotCanvas, palette: Palette = .monochrome) -> CellBuffer {
    var buffer = CellBuffer(size: canvas.size)
    canvas.render(into: &buffer, at: buffer.bounds, palette: palette)
    return buffer
}

// Each dot position of a braille cell, with its ISO/TR 11548-1 code point.
@Test(arguments: [
    (0, 0, 0x2801), (0, 1, 0x2802), (0, 2, 0x2804), (0, 3, 0x2840),
    (1, 0, 0x2808), (1, 1, 0x2810), (1, 2, 0x2820), (1, 3, 0x2880),
])
func eachBrailleDotSetsItsOwnBit(column: Int, row: Int, codePoint: UInt32) {
    var canvas = unitDotCanvas(columns: 1, rows: 1, mode: .braille)
    plotDot(&canvas, column, row)
    let character = rendered(canvas)[0, 0].character
    #expect(character.unicodeScalars.first?.value == codePoint)
}

@Test func allEightBrailleDotsMakeTheFullCell() {
    var canvas = unitDotCanvas(columns: 1, rows: 1, mode: .braille)
    for column in 0..<2 { for row in 0..<4 { plotDot(&canvas, column, row) } }
    #expect(rendered(canvas).lines == ["⣿"])
}

@Test func halfBlockCellsShowTopBottomAndBoth() {
    var canvas = unitDotCanvas(columns: 3, rows: 1, mode: .halfBlock)
    plotDot(&canvas, 0, 0)
    plotDot(&canvas, 1, 1)
    plotDot(&canvas, 2, 0)
    plotDot(&canvas, 2, 1)
    #expect(rendered(canvas).lines == ["▀▄█"])
}

@Test func densityShadesByHitsRelativeToTheBusiestCell() {
    var canvas = unitDotCanvas(columns: 4, rows: 1, mode: .density)
    for _ in 0..<8 { plotDot(&canvas, 0, 0) }
    for _ in 0..<4 { plotDot(&canvas, 1, 0) }
    plotDot(&canvas, 2, 0)
    #expect(rendered(canvas).lines == ["█▒░ "])
}

@Test func linesAreRasterisedDotByDot() {
    var canvas = unitDotCanvas(columns: 2, rows: 1, mode: .braille)
    canvas.line(from: SIMD2(0, 4), to: SIMD2(4, 0), series: 0)
    #expect(rendered(canvas).lines == ["⠑⢄"])
}

@Test func linesLeavingTheBoundsAreClippedNotDropped() {
    var canvas = unitDotCanvas(columns: 2, rows: 1, mode: .braille)
    canvas.line(from: SIMD2(-100, 1.5), to: SIMD2(100, 1.5), series: 0)
    canvas.line(from: SIMD2(-1, -1), to: SIMD2(-5, 9), series: 0)  // entirely outside
    canvas.line(from: SIMD2(.nan, 1), to: SIMD2(1, 1), series: 0)  // not finite
    #expect(rendered(canvas).lines == ["⠤⠤"])
}

@Test func pointsOutsideTheBoundsOrNotFiniteAreSkipped() {
    var canvas = unitDotCanvas(columns: 2, rows: 1, mode: .ascii)
    let points: [Float] = [
        .nan, 0.5, .infinity, 0.5, 0.5, -.infinity, 5, 0.5, -0.1, 0.5, 1.5, 0.5, 7,
    ]
    canvas.plot(points: points, series: 1)
    #expect(rendered(canvas).lines == [" o"])
}

@Test func pointsOnTheUpperEdgesLandInTheLastCell() {
    var canvas = unitDotCanvas(columns: 2, rows: 2, mode: .ascii)
    canvas.plot(x: 2, y: 0, series: 0)  // x == xMax, y == yMin: bottom-right
    canvas.plot(x: 0, y: 2, series: 0)  // x == xMin, y == yMax: top-left
    #expect(rendered(canvas).lines == [". ", " ."])
}

@Test func invalidBoundsOrEmptyCanvasesDrawNothing() {
    var flat = PlotCanvas(
        size: Size(width: 3, height: 1), mode: .braille,
        bounds: PlotBounds(xMin: 1, xMax: 1, yMin: 0, yMax: 1))
    flat.plot(points: [1, 0.5], series: 0)
    flat.line(from: SIMD2(1, 0), to: SIMD2(1, 1), series: 0)
    #expect(rendered(flat).lines == ["   "])
    var empty = PlotCanvas(size: .zero, mode: .braille, bounds: PlotBounds(x: 0...1, y: 0...1))
    empty.plot(points: [0.5, 0.5], series: 0)
    empty.line(from: SIMD2(0, 0), to: SIMD2(1, 1), series: 0)
    #expect(rendered(empty).lines == [])
}

@Test func seriesWithMostDotsInACellGivesItsColour() {
    var canvas = unitDotCanvas(columns: 1, rows: 1, mode: .braille)
    plotDot(&canvas, 0, 0, series: 0)
    plotDot(&canvas, 0, 1, series: 0)
    plotDot(&canvas, 0, 2, series: 0)
    for _ in 0..<5 { plotDot(&canvas, 1, 3, series: 3) }  // more hits, but one dot only
    let cell = rendered(canvas, palette: .color8)[0, 0]
    #expect(cell.character == "⢇")  // 0x01 | 0x02 | 0x04 | 0x80
    #expect(cell.style == Palette.color8.style(forSeries: 0))
}

@Test func equalDotCountsAreDecidedByHitsThenByTheHigherSeries() {
    var byHits = unitDotCanvas(columns: 1, rows: 1, mode: .braille)
    plotDot(&byHits, 0, 0, series: 2)
    plotDot(&byHits, 0, 0, series: 2)
    plotDot(&byHits, 1, 0, series: 4)
    #expect(rendered(byHits, palette: .color8)[0, 0].style == Palette.color8.style(forSeries: 2))

    var byIndex = unitDotCanvas(columns: 1, rows: 1, mode: .braille)
    plotDot(&byIndex, 0, 0, series: 4)
    plotDot(&byIndex, 1, 0, series: 2)
    #expect(rendered(byIndex, palette: .color8)[0, 0].style == Palette.color8.style(forSeries: 4))
}

@Test func asciiModeUsesOnlyAsciiAndADistinctGlyphPerSeries() {
    var canvas = unitDotCanvas(columns: 6, rows: 2, mode: .ascii)
    for series in 0..<6 { plotDot(&canvas, series, series % 2, series: series) }
    plotDot(&canvas, 0, 1, series: 5)
    plotDot(&canvas, 0, 1, series: 2)
    plotDot(&canvas, 0, 1, series: 2)  // series 2 has more hits in cell (0, 1)
    let buffer = rendered(canvas)
    #expect(buffer.lines == [". + x ", "+o * #"])
    let allASCII = buffer.lines.joined().unicodeScalars.allSatisfy { $0.isASCII }
    #expect(allASCII)
}

@Test func seriesOutsideTheSupportedRangeAreIgnored() {
    var canvas = unitDotCanvas(columns: 1, rows: 1, mode: .ascii)
    canvas.plot(x: 0.5, y: 0.5, series: PlotCanvas.maxSeries)
    canvas.plot(x: 0.5, y: 0.5, series: -1)
    #expect(rendered(canvas).lines == [" "])
}

@Test func renderingLeavesEmptyCellsAndClipsToTheRectangle() {
    var canvas = unitDotCanvas(columns: 3, rows: 1, mode: .ascii)
    plotDot(&canvas, 0, 0)
    plotDot(&canvas, 2, 0)
    var buffer = CellBuffer(width: 4, height: 1, fill: Cell("-"))
    canvas.render(into: &buffer, at: Rect(x: 1, y: 0, width: 2, height: 1), palette: .monochrome)
    #expect(buffer.lines == ["-.--"])
}

@Test func clearRemovesEveryDot() {
    var canvas = unitDotCanvas(columns: 1, rows: 1, mode: .braille)
    plotDot(&canvas, 1, 1)
    canvas.clear()
    #expect(rendered(canvas).lines == [" "])
}

/// Points on the unit circle, interleaved, using only square roots.
private func unitCircle(count: Int) -> [Float] {
    var points: [Float] = []
    for i in 0...count {
        let t = -1 + 2 * Float(i) / Float(count)
        let r = max(0, 1 - t * t).squareRoot()
        points += [t, r, t, -r, r, t, -r, t]
    }
    return points
}

/// Width and height in cells of the smallest box around the non-blank cells.
private func inkExtent(_ buffer: CellBuffer) -> (width: Int, height: Int) {
    var columns: [Int] = []
    var rows: [Int] = []
    for y in 0..<buffer.height {
        for x in 0..<buffer.width where buffer[x, y].character != " " {
            columns.append(x)
            rows.append(y)
        }
    }
    return (
        (columns.max() ?? -1) - (columns.min() ?? 0) + 1, (rows.max() ?? -1) - (rows.min() ?? 0) + 1
    )
}

@Test(arguments: PlotMode.allCases)
func squaredBoundsKeepACircleRound(mode: PlotMode) {
    let size = Size(width: 60, height: 20)
    let bounds = PlotBounds(x: -1...1, y: -1...1).squared(toFit: size)
    var canvas = PlotCanvas(size: size, mode: mode, bounds: bounds)
    canvas.plot(points: unitCircle(count: 400), series: 0)
    let extent = inkExtent(rendered(canvas))
    // A cell is twice as tall as wide, so a round shape is twice as many cells across as down.
    #expect(extent.height == 20)
    #expect(abs(extent.width - 2 * extent.height) <= 1)

    var stretched = PlotCanvas(size: size, mode: mode, bounds: PlotBounds(x: -1...1, y: -1...1))
    stretched.plot(points: unitCircle(count: 400), series: 0)
    #expect(inkExtent(rendered(stretched)).width == 60)
}

@Test func polylinesJoinPointsAndBreakAtNonFinitePoints() {
    var canvas = unitDotCanvas(columns: 2, rows: 1, mode: .braille)
    canvas.polyline(points: [0.5, 3.5, 3.5, 3.5, .nan, .nan, 0.5, 0.5], series: 0)
    #expect(rendered(canvas).lines == ["⠉⠉"])
}
