import FlowCore
import Foundation
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// The guided tour (issue 16, item 2): the file format, the built-in lesson, and the keys.
@Suite struct TourTests {
    static let lessonPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/lesson.md")

    @Test func theBuiltInTourIsTheLessonAsItIsNow() throws {
        let lesson = try String(contentsOf: Self.lessonPath, encoding: .utf8)
        #expect(BuiltInTour.text == lesson, "docs/lesson.md changed: run scripts/embed-lesson")
    }

    @Test func theLessonsTourHasSixStepsOrMoreVisitsThreeViewsAndThreeMethodsAndAsksAtEachStep() throws {
        let tour = try Tour(text: try String(contentsOf: Self.lessonPath, encoding: .utf8))
        #expect(tour == Tour.builtIn)
        #expect(tour.steps.count >= 6)
        #expect(Set(tour.steps.compactMap(\.settings.view)).count >= 3)
        #expect(Set(tour.steps.compactMap(\.settings.method)).count >= 3)
        for step in tour.steps {
            #expect(step.narration.contains("?"), "step '\(step.title)' asks the class nothing")
            #expect(!step.narration.contains("`") && !step.narration.contains("<!--"), "\(step.title)")
            #expect(!step.notes.isEmpty, "step '\(step.title)' has no speaker notes")
        }
        // Every step's state line applies, and names a run the UI can start.
        var state = AppState(size: big)
        for step in tour.steps {
            step.settings.apply(to: &state)
            #expect(
                TrainingConfig.couplingProblem(state.coupling, for: state.racing ? nil : state.method) == nil, "\(step.title)")
            if let view = step.settings.view { #expect(state.view == view && state.racing == (view == .race)) }
        }
    }

    @Test func aStepHasATitleAStateAProgressLineNarrationAndNotes() throws {
        let text = """
            # A tour

            Text before the first step belongs to none.

            ## First look
            state: dataset=moons method=shortcut view=compare K=4 coupling=ot paused=yes
            until: iterations >= 500

            One jump of the `shortcut` model: **what** do you see?
            A second line of the same paragraph.

            > Say this aloud.

            ```sh
            flow-explorer tui
            ```

            A later paragraph stays on paper.

            ## Second
            <!-- a comment -->
            Only narration here?
            """
        let tour = try Tour(text: text)
        #expect(tour.steps.map(\.title) == ["First look", "Second"])
        let first = tour.steps[0]
        var expected = TourSettings()
        expected.dataset = "moons"
        expected.method = .shortcut
        expected.view = .compare
        expected.steps = 4
        expected.coupling = .ot
        expected.paused = true
        #expect(first.settings == expected)
        #expect(first.until?.iterations == 500)
        #expect(first.narration == "One jump of the shortcut model: what do you see? A second line of the same paragraph.")
        #expect(first.notes == ["Say this aloud."])
        #expect(tour.steps[1].narration == "Only narration here?" && tour.steps[1].until == nil)
        #expect(first.until?.progress(at: 100) == "waiting for 500 iterations: 100 (20%)")
        #expect(first.until?.progress(at: 600).contains("press n") == true)
    }

    @Test(
        "a bad state or until line is refused with its line number and what was expected",
        arguments: [
            ("state: method=gan", "line 2: method=gan: the methods are fm, shortcut"),
            ("state: K=3", "line 2: K=3: K is a power of two from 1 to 128"),
            ("state: view=everything", "line 2: view=everything: the views are samples"),
            ("state: colour=red", "line 2: unknown key 'colour'"),
            ("state: dataset=/etc/passwd", "line 2: dataset=/etc/passwd: a tour names a built-in dataset"),
            ("until: seconds >= 3", "line 2: 'seconds >= 3': a step waits for 'iterations >= N'"),
        ])
    func badLinesAreRefused(line: String, reason: String) {
        #expect {
            try Tour(text: "## Step\n\(line)\n")
        } throws: { error in
            (error as? TourError)?.reason.hasPrefix(reason) == true
        }
    }

    @Test func aFileWithoutAStepIsRefused() {
        #expect(throws: TourError.self) { try Tour(text: "# Title only\n\nSome text.\n") }
    }

    @Test func nAndPOpenTheNextAndPreviousStepAndSetTheirStateAndTOpensTheLessonsTour() throws {
        var state = AppState(size: big)
        #expect(press(&state, "n").isEmpty && state.notice?.contains("t opens") == true)
        #expect(press(&state, "t") == [.tourNotes(step: 0)])
        #expect(state.showTour && state.tour == Tour.builtIn)
        #expect(press(&state, "n") == [.tourNotes(step: 1)])
        #expect(state.view == .race && state.racing)
        _ = press(&state, "n")
        #expect(state.view == .samples && !state.racing && state.method == .fm)
        let steps = try #require(state.tour?.steps)
        let shortcut = try #require(steps.firstIndex { $0.settings.method == .shortcut })
        while state.tourStep < shortcut { _ = press(&state, "n") }
        #expect(state.method == .shortcut && state.view == .compare && state.steps == 1)
        _ = press(&state, "p")
        #expect(state.tourStep == shortcut - 1 && state.method == .fm)
        _ = press(&state, "t")
        #expect(!state.showTour && press(&state, "n").isEmpty, "n does nothing while the panel is hidden")
    }

    @Test func theTourPanelShowsTheStepItsNarrationAndProgressAt100x30And160x48() throws {
        for size in [Size(width: 100, height: 30), Size(width: 160, height: 48)] {
            var state = stateWithPictures(size, method: .fm)
            _ = press(&state, "t")
            _ = press(&state, "n")
            let text = view(state).text
            #expect(text.contains("Tour, step 2 of \(Tour.builtIn.steps.count): 0. The race"), "\(size)")
            #expect(text.contains("waiting for 2000 iterations"), "\(size)")
            #expect(text.contains("n next · p back · t hides"), "\(size)")
            #expect(text.contains("Loss (log scale") == (size.height >= 40), "the loss panel gives way below 40 rows")
        }
    }

    @Test func theRunLoopAppendsEachStepsNotesToTheNotesFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fe-notes-\(getpid()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state = AppState(size: big)
        _ = press(&state, "t")
        let loop = RunLoop(notes: try EventLog(path: path, name: "the notes file"))
        for effect in press(&state, "n") { _ = loop.perform(effect, state: state, link: nil) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let step = Tour.builtIn.steps[1]
        #expect(text.hasPrefix("== step 2 of \(Tour.builtIn.steps.count): \(step.title) ==\n\(step.notes[0])\n"))
    }
}
