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
    // Even y ticks may grow the bounds by at most 15% or shrink them by 7%, never more.
    #expect(axes.bounds.height >= 2 * 0.93 && axes.bounds.height <= 2 * 1.15)
}

@Test(arguments: [8, 10, 13, 17, 20, 26, 31, 45])
func squaredAxesSpaceTheirYTicksEvenlyOnScreen(height: Int) {
    for bounds in [
        PlotBounds(x: -1...1, y: -1...1), PlotBounds(x: -4.4...4.4, y: -4.4...4.4), PlotBounds(x: -3...9, y: -2.2...5),
    ] {
        for width in [30, 57, 100] {
            let rect = Rect(x: 0, y: 0, width: width, height: height)
            let axes = Axes.squared(fitting: bounds, in: rect)
            let plot = axes.plotRect(in: rect)
            let rows = axes.yTicks.map {
                Axes.cellIndex(axes.bounds.yMax - $0, span: axes.bounds.height, count: plot.height)
            }
            #expect(rows.count >= 2, "\(bounds) in \(width)x\(height)")
            let gaps = Set(zip(rows, rows.dropFirst()).map { $0 - $1 })
            #expect(gaps.count <= 1, "\(bounds) in \(width)x\(height): tick rows \(rows)")
            let perColumn = axes.bounds.width / Double(plot.width)
            let perHalfRow = axes.bounds.height / Double(2 * plot.height)
            #expect(abs(perColumn - perHalfRow) < 1e-9 * perColumn, "still square")
            #expect(axes.bounds.height >= bounds.height * 0.93 - 1e-9 || axes.bounds.width >= bounds.width * 0.93)
        }
    }
}

@Test func axesInATinyRectangleDrawNothing() {
    var buffer = CellBuffer(width: 3, height: 2)
    let plot = Axes(bounds: PlotBounds(x: 0...1, y: 0...1)).render(into: &buffer, in: buffer.bounds)
    #expect(plot.isEmpty)
    #expect(buffer.lines == ["   ", "   "])
}
