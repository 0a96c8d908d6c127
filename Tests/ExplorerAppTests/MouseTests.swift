import FlowCore
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// The mouse (issue 16, item 5): SGR reports, and what a click or the wheel does in the UI.
@Suite struct MouseTests {
    @Test func sgrReportsReadAsPressReleaseDragAndWheelAtZeroBasedCells() {
        #expect(Mouse.sgr("0;40;12M") == Mouse(action: .press, button: 0, point: Point(x: 39, y: 11)))
        #expect(Mouse.sgr("0;40;12m") == Mouse(action: .release, button: 0, point: Point(x: 39, y: 11)))
        #expect(Mouse.sgr("32;41;12M") == Mouse(action: .drag, button: 0, point: Point(x: 40, y: 11)))
        #expect(Mouse.sgr("2;1;1M") == Mouse(action: .press, button: 2, point: Point(x: 0, y: 0)))
        #expect(Mouse.sgr("64;5;5M")?.action == .wheelUp && Mouse.sgr("65;5;5M")?.action == .wheelDown)
        for bad in ["", "0;40M", "0;0;12M", "a;1;1M", "0;1;1X", "0;1;1;1M", "-1;1;1M"] {
            #expect(Mouse.sgr(bad) == nil, "\(bad)")
        }
    }

    @Test func theWheelDoublesAndHalvesK() {
        var state = stateWithPictures()
        state.steps = 1
        _ = update(&state, .key(.mouse(Mouse(action: .wheelUp, point: Point(x: 10, y: 10)))))
        #expect(state.steps == 2)
        _ = update(&state, .key(.mouse(Mouse(action: .wheelDown, point: Point(x: 10, y: 10)))))
        _ = update(&state, .key(.mouse(Mouse(action: .wheelDown, point: Point(x: 10, y: 10)))))
        #expect(state.steps == 1)
    }

    @Test func aClickInTheTruthViewMovesTheProbeToTheClickedPoint() throws {
        var state = stateWithPictures()
        _ = press(&state, "6")
        let plot = try #require(layout(state).first).plot
        let target = Point(x: plot.x + plot.width / 4, y: plot.y + plot.height / 4)
        let before = try #require(state.probeReading).start
        _ = update(&state, .key(.mouse(Mouse(action: .press, point: target))))
        let after = try #require(state.probeReading).start
        #expect(after != before)
        // Up and to the left of the centre, where the quarter of the plot is.
        let bounds = try #require(layout(state).first).bounds
        #expect(Double(after.x) < (bounds.xMin + bounds.xMax) / 2 && Double(after.y) > (bounds.yMin + bounds.yMax) / 2)
        #expect(view(state).text.contains(String(format: "probe x0=(%.2f, %.2f)", after.x, after.y)))
        // A click outside the plot leaves it.
        _ = update(&state, .key(.mouse(Mouse(action: .press, point: Point(x: 0, y: state.size.height - 1)))))
        #expect(state.probeReading?.start == after)
    }

    @Test func aClickOnARacePanelStudiesThatRacer() throws {
        var state = stateWithPictures(method: .fm)
        _ = press(&state, "5")
        var snapshot = Snapshot(run: RunKey(state), focus: nil)
        snapshot.race = try #require(stateWithPictures().snapshot?.race)
        _ = update(&state, .snapshot(snapshot))
        let second = try #require(layout(state).first { $0.panel == 1 })
        _ = update(&state, .key(.mouse(Mouse(action: .press, point: Point(x: second.cell.x + 2, y: second.cell.y + 2)))))
        #expect(state.racing && state.view == .samples && state.focus == state.raceLineup.methods[1])
    }
}
