import FlowCore
import Foundation
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// Draw your own data (issue 16, item 6): `w`, brushes from the keyboard or the mouse, Enter
/// trains on them, `W` writes them as a CSV that `--dataset` reads back.
@Suite struct DrawingTests {
    /// `state` after `w` and ten brushes, the cursor moving right between them.
    func drawnTenStrokes(_ state: AppState) -> AppState {
        var state = state
        _ = press(&state, "w")
        for _ in 0..<10 {
            _ = press(&state, " ")
            _ = update(&state, .key(.right))
        }
        return state
    }

    @Test func tenBrushStrokesFromTheKeyboardGiveAtLeastFiftyPointsAndEnterTrainsOnThem() throws {
        var state = drawnTenStrokes(stateWithPictures(method: .fm))
        let drawing = try #require(state.drawing)
        #expect(drawing.points.count / 2 == 10 * Drawing.brushPoints && drawing.points.count / 2 >= 50)
        #expect(view(state).text.contains("Draw your data: 80 points"))
        // Each brush is a small disk around the cursor, which moved right between them.
        let xs = stride(from: 0, to: drawing.points.count, by: 2).map { drawing.points[$0] }
        #expect(xs.min()! > -Drawing.brushRadius && xs.max()! < 9 * Drawing.cursorStep + Drawing.brushRadius)
        _ = update(&state, .key(.enter))
        #expect(state.drawing == nil && state.dataset == AppState.drawnName && state.drawnPoints == drawing.points)
        #expect(RunKey(state).drawn == drawing.points && state.snapshot == nil, "a new run on the drawn set")
        #expect(statusText(state).contains("drawn (80 points)"))
        #expect(statusText(state).contains("no code for drawn data: W saves it"))
        #expect(RunRecipe(state).tui.contains("--dataset \(AppState.drawnFileName)"))
    }

    @Test func enterRefusesTooFewPointsAndEscapeLeavesTheRunAsItWas() {
        var state = stateWithPictures(method: .fm)
        let run = RunKey(state)
        _ = press(&state, "w")
        _ = press(&state, " ")
        _ = update(&state, .key(.enter))
        #expect(state.drawing != nil && state.notice?.contains("at least 16 points") == true)
        _ = update(&state, .key(.backspace))
        #expect(state.drawing?.points.isEmpty == true)
        _ = update(&state, .key(.escape))
        #expect(state.drawing == nil && RunKey(state) == run && state.snapshot != nil)
    }

    @Test func aSecondWShowsTheCurrentDataUnderTheDrawing() throws {
        var state = stateWithPictures(method: .fm)
        _ = press(&state, "w")
        #expect(FigureBuilder(state: state).build().legend.map(\.text) == ["drawn (0 points)", "cursor"])
        _ = press(&state, "w")
        #expect(FigureBuilder(state: state).build().legend.first?.text == "current data (8gaussians)")
    }

    @Test func theMouseDropsABrushWhereItPressesAndDrags() throws {
        var state = stateWithPictures(method: .fm)
        _ = press(&state, "w")
        let plot = try #require(layout(state).first).plot
        let centre = Point(x: plot.x + plot.width / 2, y: plot.y + plot.height / 2)
        _ = update(&state, .key(.mouse(Mouse(action: .press, point: centre))))
        _ = update(&state, .key(.mouse(Mouse(action: .drag, point: Point(x: centre.x + 4, y: centre.y)))))
        _ = update(&state, .key(.mouse(Mouse(action: .release, point: Point(x: centre.x + 4, y: centre.y)))))
        let points = try #require(state.drawing?.points)
        #expect(points.count / 2 == 2 * Drawing.brushPoints)
        #expect(abs(points[0]) < 0.5 && abs(points[1]) < 0.5, "the first brush is at the plot's centre, (0, 0)")
    }

    @Test func wWritesTheDrawnSetAsACSVThatReadsBack() throws {
        var state = drawnTenStrokes(stateWithPictures(method: .fm))
        _ = update(&state, .key(.enter))
        let effects = press(&state, "W")
        #expect(effects == [.writePoints(state.drawnPoints, path: AppState.drawnFileName)])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fe-drawn-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let notice = RunLoop().perform(.writePoints(state.drawnPoints, path: path), state: state, link: nil)
        #expect(notice == "wrote 80 points to \(path)")
        #expect(try PointsCSV.read(path: path) == state.drawnPoints)
    }

    @Test func theSessionTrainsOnTheDrawnSetAndGivesItsTruthView() throws {
        var state = drawnTenStrokes(AppState(size: big, method: .fm, dataset: "moons"))
        _ = update(&state, .key(.enter))
        _ = press(&state, "6")
        var driver = SessionDriver(state)
        driver.advance(3, seconds: 1)
        #expect(driver.iteration == 3 && driver.session.snapshot.run.drawn == state.drawnPoints)
        let visuals = try #require(driver.state.snapshot?.visuals)
        #expect(visuals.truth != nil, "the drawn set has its exact flow")
        #expect(visuals.compare.allSatisfy { $0.sw2.isFinite })
    }
}
