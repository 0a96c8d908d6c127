import Testing

@testable import ExplorerApp

@Suite struct LossHistoryTests {
    @Test("the history smooths chunk means with a moving average")
    func itSmoothsWithAMovingAverage() {
        var history = LossHistory(capacity: 8, smoothing: 0.5)
        for value: Float in [4, 0, 2] { history.add(value) }
        #expect(history.values == [4, 2, 2])
        #expect(history.smoothed == 2)
    }

    @Test("the history covers the whole run: it merges neighbours when full and keeps the first chunks")
    func itCoversTheWholeRun() {
        var history = LossHistory(capacity: 4, smoothing: 1)  // no smoothing: the values themselves
        for value in 1...9 { history.add(Float(value)) }
        // 1...4 fill it; 5 merges them into 1.5, 3.5 (span 2) and starts the next pair.
        #expect(history.span == 2)
        #expect(history.values == [1.5, 3.5, 5.5, 7.5])
        history.add(10)
        #expect(history.span == 4)
        #expect(history.values == [2.5, 6.5], "the start of the run stays in the curve")
    }

    @Test("non-finite chunk means are left out")
    func nonFiniteValuesAreLeftOut() {
        var history = LossHistory()
        history.add(.nan)
        history.add(.infinity)
        #expect(history.values.isEmpty && history.smoothed == nil)
        history.add(1)
        #expect(history.values == [1])
    }
}
