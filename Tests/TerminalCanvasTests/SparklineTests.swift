import Testing

@testable import TerminalCanvas

@Test func sparklineRisesThroughEveryLevel() {
    #expect(Sparkline([1, 2, 3, 4, 5, 6, 7, 8]).text(width: 8) == "▁▂▃▄▅▆▇█")
}

@Test func asciiSparklineUsesUnderscoreToHash() {
    #expect(Sparkline([0, 1, 2, 3, 4], ascii: true).text(width: 10) == "_.-=#")
}

@Test func nonFiniteValuesLeaveAGap() {
    #expect(Sparkline([1, .nan, 3, .infinity]).text(width: 4) == "▁ █ ")
    #expect(Sparkline([.nan, .nan]).text(width: 4) == "  ")
    #expect(Sparkline([]).text(width: 4) == "")
}

@Test func longSeriesAreAveragedIntoBuckets() {
    #expect(Sparkline([0, 0, 1, 1, 2, 2, 3, 3]).text(width: 4) == "▁▃▆█")
    #expect(Sparkline([0, 0, 1, 1, 2, 2, 3, 3]).columns(width: 4) == [0, 1, 2, 3])
}

@Test func constantSeriesSitOnTheBottomLevel() {
    #expect(Sparkline([5, 5, 5]).text(width: 3) == "▁▁▁")
}

@Test func logarithmicSparklinesScaleByPowersOfTen() {
    #expect(Sparkline([1, 10, 100, 1000], logarithmic: true).text(width: 4) == "▁▃▆█")
    #expect(Sparkline([0, -1, 1, 10], logarithmic: true).text(width: 4) == "  ▁█")
}

@Test func sparklineRendersIntoOneRowOfTheBuffer() {
    var buffer = CellBuffer(width: 5, height: 2)
    Sparkline([3, 2, 1, 0, 1, 2, 3, 4], ascii: true)
        .render(into: &buffer, in: Rect(x: 1, y: 1, width: 3, height: 1))
    // Buckets [3, 2], [1, 0, 1], [2, 3, 4] have means 2.5, 0.67, 3.
    #expect(buffer.lines == ["     ", " =_# "])
}
