import Testing

@testable import TerminalCanvas

@Test func writtenTextIsClippedAtTheRightEdge() {
    var buffer = CellBuffer(width: 5, height: 2)
    let end = buffer.write("hello world", at: Point(x: 2, y: 0))
    #expect(buffer.lines == ["  hel", "     "])
    #expect(end == 13)
}

@Test func textStartingLeftOfTheBufferShowsOnlyItsVisiblePart() {
    var buffer = CellBuffer(width: 5, height: 2)
    buffer.write("abc", at: Point(x: -1, y: 1))
    #expect(buffer.lines == ["     ", "bc   "])
}

@Test func writesOutsideTheBufferAreIgnored() {
    var buffer = CellBuffer(width: 3, height: 2)
    buffer.write("xyz", at: Point(x: 0, y: 2))
    buffer.write("xyz", at: Point(x: 0, y: -1))
    buffer.write("xyz", at: Point(x: 3, y: 0))
    buffer[10, 10] = Cell("#")
    buffer[-1, 0] = Cell("#")
    buffer[0, 2] = Cell("#")
    #expect(buffer.lines == ["   ", "   "])
    #expect(buffer[-1, 0] == .blank)
    #expect(buffer[3, 0] == .blank)
}

@Test func writeKeepsStyleAndClipsToTheGivenRectangle() {
    var buffer = CellBuffer(width: 6, height: 1)
    let red = Style(foreground: .named(.red))
    buffer.write(
        "abcdef", at: Point(x: 0, y: 0), style: red, clip: Rect(x: 1, y: 0, width: 3, height: 1))
    #expect(buffer.lines == [" bcd  "])
    #expect(buffer[1, 0].style == red)
    #expect(buffer[0, 0].style == .plain)
}

@Test func alignedWritesPlaceTextInsideTheRectangle() {
    var buffer = CellBuffer(width: 9, height: 3)
    buffer.write("ab", in: Rect(x: 0, y: 0, width: 9, height: 1), alignment: .left)
    buffer.write("ab", in: Rect(x: 0, y: 1, width: 9, height: 1), alignment: .center)
    buffer.write("toolongtext", in: Rect(x: 2, y: 2, width: 5, height: 1), alignment: .right)
    #expect(buffer.lines == ["ab       ", "   ab    ", "  toolo  "])
}

@Test func fillCoversOnlyTheVisiblePartOfTheRectangle() {
    var buffer = CellBuffer(width: 4, height: 3)
    buffer.fill(Rect(x: 2, y: 1, width: 10, height: 10), with: Cell("#"))
    #expect(buffer.lines == ["    ", "  ##", "  ##"])
    buffer.clear()
    #expect(buffer.trimmedLines == ["", "", ""])
}

@Test func drawingOneBufferIntoAnotherClipsIt() {
    var small = CellBuffer(width: 2, height: 2, fill: Cell("x"))
    small[1, 1] = Cell("y")
    var buffer = CellBuffer(width: 3, height: 3)
    buffer.draw(small, at: Point(x: 2, y: 1))
    #expect(buffer.lines == ["   ", "  x", "  x"])
}

@Test func descriptionQuotesEachRow() {
    var buffer = CellBuffer(width: 2, height: 2)
    buffer.write("ab", at: .zero)
    #expect(buffer.description == "\"ab\"\n\"  \"")
    #expect(buffer.text == "ab\n  ")
}
