import Testing

@testable import TerminalCanvas

@Test func unitRangeGetsTicksEveryTwoTenths() {
    #expect(Axes.niceTicks(0, 1, maxCount: 6) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(
        Axes.labels(for: Axes.niceTicks(0, 1, maxCount: 6)) == [
            "0.0", "0.2", "0.4", "0.6", "0.8", "1.0",
        ])
}

@Test func lopsidedRangeGetsEvenTicksInside() {
    let ticks = Axes.niceTicks(-3.7, 4.2, maxCount: 5)
    #expect(ticks == [-2, 0, 2, 4])
    #expect(Axes.labels(for: ticks) == ["-2", "0", "2", "4"])
}

@Test func tickStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    #expect(Axes.niceTicks(0, 100, maxCount: 3) == [0, 50, 100])
    #expect(Axes.niceTicks(0.001, 0.0042, maxCount: 4) == [0.001, 0.002, 0.003, 0.004])
    #expect(Axes.niceTicks(1234, 5678, maxCount: 5) == [2000, 3000, 4000, 5000])
    #expect(Axes.labels(for: [-0.05, 0, 0.05]) == ["-0.05", "0.00", "0.05"])
}

@Test func degenerateRangesGiveFewOrNoTicks() {
    #expect(Axes.niceTicks(2, 2) == [2])
    #expect(Axes.niceTicks(3, 1) == [])
    #expect(Axes.niceTicks(0, .infinity) == [])
    #expect(Axes.niceTicks(.nan, 1) == [])
}

@Test func numbersAreFormattedWithoutNegativeZero() {
    #expect(Axes.format(-0.04, decimals: 1) == "0.0")
    #expect(Axes.format(-2.5, decimals: 1) == "-2.5")
    #expect(Axes.format(1234.5, decimals: 0) == "1235")
    #expect(Axes.format(0.007, decimals: 3) == "0.007")
}

@Test func axesDrawLabelsOutsideThePlotArea() {
    var buffer = CellBuffer(width: 12, height: 6)
    let axes = Axes(bounds: PlotBounds(x: 0...10, y: 0...10), maxXTicks: 3, maxYTicks: 3)
    let plot = axes.render(into: &buffer, in: buffer.bounds)
    #expect(plot == Rect(x: 3, y: 0, width: 9, height: 4))
    #expect(
        buffer.lines == [
            "10┤         ",
            "  │         ",
            " 5┤         ",
            " 0┤         ",
            "  └┬───┬───┬",
            "   0   5  10",
        ])
}

@Test func asciiAxesUseOnlyAscii() {
    var buffer = CellBuffer(width: 12, height: 6)
    let axes = Axes(bounds: PlotBounds(x: 0...10, y: 0...10), maxXTicks: 3, maxYTicks: 3, ascii: true)
    axes.render(into: &buffer, in: buffer.bounds)
    #expect(
        buffer.lines == [
            "10+         ",
            "  |         ",
            " 5+         ",
            " 0+         ",
            "  ++---+---+",
            "   0   5  10",
        ])
}

@Test func squaredAxesGiveAPlotAreaWithRoundCircles() {
    let rect = Rect(x: 0, y: 0, width: 50, height: 20)
    let axes = Axes.squared(fitting: PlotBounds(x: -1...1, y: -1...1), in: rect)
    let plot = axes.plotRect(in: rect)
    let perColumn = axes.bounds.width / Double(plot.width)
    let perHalfRow = axes.bounds.height / Double(2 * plot.height)
    #expect(abs(perColumn - perHalfRow) < 1e-9)
    #expect(axes.bounds.yMin == -1 && axes.bounds.yMax == 1)
}

@Test func axesInATinyRectangleDrawNothing() {
    var buffer = CellBuffer(width: 3, height: 2)
    let plot = Axes(bounds: PlotBounds(x: 0...1, y: 0...1)).render(into: &buffer, in: buffer.bounds)
    #expect(plot.isEmpty)
    #expect(buffer.lines == ["   ", "   "])
}
