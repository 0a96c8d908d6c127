import FlowCore
import Testing

@testable import ExplorerApp

@Suite struct ViewDefinitionTests {
    @Test("every view has its own name, slug and title")
    func everyViewHasItsOwnNameSlugAndTitle() {
        let state = stateWithPictures()
        let kinds = ViewKind.allCases
        #expect(Set(kinds.map(\.name)).count == kinds.count)
        #expect(Set(kinds.map(\.slug)).count == kinds.count)
        let titles = kinds.map { $0.definition.title(state, steps: 4) }
        #expect(Set(titles).count == kinds.count, "\(titles)")
    }

    @Test("only the race view asks for the race, and showing it makes the run a race")
    func onlyTheRaceViewAsksForTheRace() {
        for kind in ViewKind.allCases {
            var state = stateWithPictures()
            state.view = kind
            #expect(kind.showsRace == (kind == .race))
            #expect(state.racing == kind.showsRace, "\(kind)")
            #expect((WorkerRequest(state).needs == .race) == kind.showsRace, "\(kind)")
        }
    }

    @Test("a view draws its pictures from exactly the extras it asks the worker for")
    func aViewDrawsItsPicturesFromExactlyTheExtrasItAsksFor() {
        let dataset = Dataset.toy(.eightGaussians)
        let trainer = try! Trainer(config: TrainingConfig(method: .shortcut), dataset: dataset)
        let model = Model(method: .shortcut, shape: trainer.config.shape, parameters: trainer.ema)
        let builder = VisualsBuilder(dataset: dataset, count: 256, seed: 0)
        let placeholder = "the exact flow is computed once per data set"
        for kind in ViewKind.allCases {
            guard case .model(let extras) = kind.needs else { continue }
            var state = stateWithPictures()
            state.view = kind
            // Built with what the view asks for, it draws its pictures; a view that asks for an
            // extra waits for the exact flow without it.
            state.snapshot?.visuals = builder.build(
                model: model, method: .shortcut, steps: 4, iteration: 0, truth: sampleTruth, extras: extras)
            #expect(FigureBuilder(state: state).build().caption != placeholder, "\(kind)")
            state.snapshot?.visuals = builder.build(model: model, method: .shortcut, steps: 4, iteration: 0, truth: sampleTruth)
            #expect((FigureBuilder(state: state).build().caption == placeholder) == kind.needsExactFlow, "\(kind)")
        }
    }

    @Test("the race view's loss panel explains the race instead of one run's losses")
    func theRaceViewsLossPanelExplainsTheRace() {
        var state = stateWithPictures()
        state.view = .race
        #expect(view(state).text.contains("the race trains every method in turn"))
        state.view = .samples
        #expect(!view(state).text.contains("the race trains every method in turn"))
    }
}
