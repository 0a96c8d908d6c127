import FlowCore
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// The `f` key: reflow (Liu, Gong, Liu 2022) of the UI's flow-matching model.
@Suite struct ReflowKeyTests {
    @Test func fAsksTheWorkerToReflowAFlowMatchingModel() {
        var state = stateWithPictures(method: .fm)
        #expect(press(&state, "f") == [.worker(.reflow)])
        #expect(state.notice?.contains("reflow") == true)
        #expect(state.snapshot != nil, "the pictures stay until the new round's")
    }

    @Test func fWithAnotherMethodOrInTheRaceSaysWhyNotAndAsksNothing() {
        var shortcut = stateWithPictures(method: .shortcut)
        #expect(press(&shortcut, "f").isEmpty)
        #expect(shortcut.notice?.contains("fm") == true)
        var race = stateWithPictures(method: .fm)
        race.view = .race
        #expect(press(&race, "f").isEmpty)
    }

    @Test func theStatusBarShowsTheReflowRoundInPlaceOfTheCouplingBesideS() {
        var state = stateWithPictures(method: .fm)
        state.snapshot?.visuals?.iteration = 2000
        #expect(statusText(state).contains("independent pairs"))
        state.snapshot?.reflowRound = 2
        let line = statusText(state)
        #expect(line.contains("reflow 2") && line.contains("S=") && !line.contains("independent pairs"), "\(line)")
        #expect(helpLines.contains { $0.hasPrefix("f ") && $0.contains("reflow") })
    }

    @Test func theWorkerReflowsTheCurrentModelAndTrainsOnFromItsIteration() throws {
        var settings = WorkerSettings(method: .fm, dataset: "moons", seed: 3)
        settings.pictureCount = 256
        settings.threads = 1
        let worker = TrainingWorker(settings: settings)
        worker.start()
        defer { worker.stop() }
        let before = try #require(firstSnapshot(from: worker, within: 30) { $0.iteration > 300 })
        #expect(before.reflowRound == 0)
        worker.send(.reflow)
        let after = try #require(firstSnapshot(from: worker, within: 60) { $0.reflowRound == 1 && $0.visuals != nil })
        #expect(after.iteration >= before.iteration, "the count goes on")
        #expect(after.message?.contains("reflow 1") == true)
        let later = try #require(firstSnapshot(from: worker, within: 30) { $0.iteration > after.iteration + 50 })
        #expect(later.reflowRound == 1 && later.divergence == nil)
    }
}
