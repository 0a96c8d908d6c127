import Testing

@testable import TerminalCanvas

@Test func panelDrawsItsTitleInTheTopBorder() {
    var buffer = CellBuffer(width: 12, height: 3)
    let inner = Panel(title: "Loss").render(into: &buffer, in: buffer.bounds)
    #expect(
        buffer.lines == [
            "┌─ Loss ───┐",
            "│          │",
            "└──────────┘",
        ])
    #expect(inner == Rect(x: 1, y: 1, width: 10, height: 1))
}

@Test func asciiPanelsUsePlusMinusAndBar() {
    var buffer = CellBuffer(width: 12, height: 3)
    Panel(title: "Loss", ascii: true).render(into: &buffer, in: buffer.bounds)
    #expect(
        buffer.lines == [
            "+- Loss ---+",
            "|          |",
            "+----------+",
        ])
}

@Test func longTitlesAreCutAndKeepTheCorners() {
    var buffer = CellBuffer(width: 8, height: 2)
    Panel(title: "Samples").render(into: &buffer, in: buffer.bounds)
    #expect(buffer.lines == ["┌─ Sa ─┐", "└──────┘"])
}

@Test func panelsAreClippedAndDrawnAtTheirOffset() {
    var buffer = CellBuffer(width: 6, height: 4)
    let inner = Panel(title: nil).render(into: &buffer, in: Rect(x: 2, y: 1, width: 10, height: 3))
    #expect(buffer.lines == ["      ", "  ┌───", "  │   ", "  └───"])
    #expect(inner == Rect(x: 3, y: 2, width: 8, height: 1))
}

@Test func panelsTooSmallForABorderDrawNothing() {
    var buffer = CellBuffer(width: 3, height: 3)
    let inner = Panel(title: "x").render(into: &buffer, in: Rect(x: 0, y: 0, width: 1, height: 3))
    #expect(inner.isEmpty)
    #expect(buffer.trimmedLines == ["", "", ""])
}
