import FlowCore
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// The `i` panel says what is being trained, in the method's own words.
@Suite struct InfoPanelTests {
    @Test(arguments: Method.allCases)
    func iShowsTheMethodsLossAndSamplerAndClosesAgain(method: Method) {
        var state = stateWithPictures(Size(width: 160, height: 48), method: method)
        #expect(press(&state, "i").isEmpty)
        #expect(state.showInfo)
        let text = view(state).text
        #expect(text.contains("What is being trained: \(method.definition.title)"))
        #expect(text.contains(String(method.definition.lossFormula[0].prefix(40))))
        #expect(text.contains("Sampler: "))
        #expect(text.contains("SW2: the sliced Wasserstein-2 distance"))
        _ = press(&state, "i")
        #expect(!state.showInfo && !view(state).text.contains("What is being trained"))
    }

    @Test func escapeAndTheKeyHelpCloseThePanel() {
        var state = stateWithPictures()
        _ = press(&state, "i")
        _ = update(&state, .key(.escape))
        #expect(!state.showInfo)
        _ = press(&state, "i")
        _ = press(&state, "?")
        #expect(state.showHelp && !state.showInfo)
        _ = press(&state, "i")
        #expect(state.showInfo && !state.showHelp)
    }

    @Test func inTheRaceThePanelNamesEveryRacer() {
        var state = stateWithPictures(Size(width: 160, height: 48))
        state.view = .race
        let lines = InfoPanel.lines(state, width: 150)
        for method in state.raceLineup.methods {
            #expect(lines.contains { $0.contains(String(method.definition.summary.prefix(30))) }, "\(method)")
        }
    }
}
