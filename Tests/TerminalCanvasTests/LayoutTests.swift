import Testing

@testable import TerminalCanvas

@Test func mixedConstraintsSplitAHundredColumnsExactly() {
    let rect = Rect(x: 0, y: 0, width: 100, height: 10)
    let parts = rect.columns([.fixed(20), .percent(30), .fill(), .fill(2)], spacing: 1)
    #expect(parts.map(\.width) == [20, 29, 16, 32])
    #expect(parts.map(\.x) == [0, 21, 51, 68])
    #expect(parts.last?.maxX == 100)
    #expect(parts.allSatisfy { $0.height == 10 && $0.y == 0 })
}

@Test func fillRemainderGoesToTheFirstFillBands() {
    #expect(Layout.lengths([.fill(), .fill(), .fill()], total: 10) == [4, 3, 3])
    #expect(Layout.lengths([.fill(0), .fill(0)], total: 5) == [3, 2])
}

@Test func overConstrainedSplitsShrinkTheLaterBands() {
    #expect(Layout.lengths([.fixed(6), .fixed(6), .fill()], total: 10) == [6, 4, 0])
    #expect(Layout.lengths([.percent(80), .fixed(5)], total: 10) == [5, 5])
}

@Test func rowsStackTopToBottom() {
    let parts = Rect(x: 3, y: 2, width: 7, height: 11).rows([.fixed(1), .fill(), .fixed(1)])
    #expect(
        parts == [
            Rect(x: 3, y: 2, width: 7, height: 1),
            Rect(x: 3, y: 3, width: 7, height: 9),
            Rect(x: 3, y: 12, width: 7, height: 1),
        ])
}

@Test(arguments: [0, 1, 2, 3, 5, 7, 13, 80, 201])
func splitsWithAFillBandAddUpToTheWholeWidth(width: Int) {
    let rect = Rect(x: 4, y: 0, width: width, height: 1)
    let constraints: [Layout.Constraint] = [.fixed(3), .percent(25), .fill(), .fill(3)]
    for spacing in [0, 1, 2] {
        let parts = rect.columns(constraints, spacing: spacing)
        #expect(parts.count == 4)
        #expect(parts.allSatisfy { $0.width >= 0 && $0.x >= rect.x && $0.maxX <= rect.maxX })
        if width >= spacing * 3 {
            let used = parts.map(\.width).reduce(0, +) + spacing * 3
            #expect(used == width)
            #expect(parts.last?.maxX == rect.maxX)
        }
        for (left, right) in zip(parts, parts.dropFirst()) {
            #expect(right.x >= left.maxX)
        }
    }
}

@Test(arguments: [-5, 0, 1, 2])
func tinyRectanglesNeverGiveNegativeSizes(length: Int) {
    let rect = Rect(x: 0, y: 0, width: length, height: length)
    #expect(rect.width >= 0 && rect.height >= 0)
    let parts = rect.rows([.fixed(4), .percent(50), .fill(), .fixed(-3)], spacing: 2)
    #expect(parts.allSatisfy { $0.width >= 0 && $0.height >= 0 && $0.maxY <= max(0, length) })
    let inner = rect.inset(by: 3)
    #expect(inner.width == 0 && inner.height == 0)
    #expect(Panel(title: "x").innerRect(of: rect).isEmpty)
}

@Test func centeredRectanglesSitInTheMiddle() {
    let rect = Rect(x: 0, y: 0, width: 80, height: 24)
    #expect(rect.centered(Size(width: 20, height: 3)) == Rect(x: 30, y: 10, width: 20, height: 3))
    #expect(rect.centered(Size(width: 100, height: 3)) == Rect(x: 0, y: 10, width: 80, height: 3))
}

@Test func rectangleIntersectionIsEmptyWhenApart() {
    let a = Rect(x: 0, y: 0, width: 4, height: 4)
    #expect(
        a.intersection(Rect(x: 2, y: 3, width: 5, height: 5)) == Rect(x: 2, y: 3, width: 2, height: 1))
    #expect(a.intersection(Rect(x: 9, y: 9, width: 1, height: 1)).isEmpty)
}
