import Testing

@testable import TerminalCanvas

@Test func squaringWidensTheAxisThatHasRoomToSpare() {
    let wide = PlotBounds(x: -1...1, y: -1...1).squared(toFit: Size(width: 60, height: 20))
    #expect(wide == PlotBounds(x: -1.5...1.5, y: -1...1))
    let tall = PlotBounds(x: -1...1, y: -1...1).squared(toFit: Size(width: 10, height: 20))
    #expect(tall == PlotBounds(x: -1...1, y: -4...4))
}

@Test func squaredBoundsGiveEqualWorldUnitsPerPhysicalLength() {
    let size = Size(width: 37, height: 11)
    let bounds = PlotBounds(x: 0...3, y: -5...2).squared(toFit: size, cellAspect: 2)
    let perColumn = bounds.width / 37
    let perHalfRow = bounds.height / (11 * 2)
    #expect(abs(perColumn - perHalfRow) < 1e-12)
    #expect(bounds.xMin <= 0 && bounds.xMax >= 3 && bounds.yMin <= -5 && bounds.yMax >= 2)
}

@Test func squaringAnEmptySizeOrInvalidBoundsChangesNothing() {
    let bounds = PlotBounds(x: 0...1, y: 0...3)
    #expect(bounds.squared(toFit: .zero) == bounds)
    let flat = PlotBounds(xMin: 2, xMax: 2, yMin: 0, yMax: 1)
    #expect(flat.squared(toFit: Size(width: 4, height: 4)) == flat)
}

@Test func enclosingSkipsNonFinitePointsAndWidensZeroSpans() {
    #expect(
        PlotBounds.enclosing([0, 0, 2, 1, .nan, 5, 9, .infinity]) == PlotBounds(x: 0...2, y: 0...1))
    #expect(PlotBounds.enclosing([3, 4]) == PlotBounds(x: 2.5...3.5, y: 3.5...4.5))
    #expect(PlotBounds.enclosing([0, 0, 2, 4], padding: 0.5) == PlotBounds(x: -1...3, y: -2...6))
    #expect(PlotBounds.enclosing([.nan, 1]) == nil)
    #expect(PlotBounds.enclosing([]) == nil)
}
