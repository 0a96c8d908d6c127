import FlowCore
import Testing

@testable import ExplorerApp

/// The run code (issue 16, item 8): the status bar's short code of the state, which `--code` reopens.
@Suite struct RunCodeTests {
    @Test func shortcutOnMoonsWithSeed7AtKEqual4InTheCompareViewComesBackFromItsCode() throws {
        var state = AppState(size: big, method: .shortcut, dataset: "moons", seed: 7)
        _ = press(&state, "+")
        _ = press(&state, "+")
        _ = press(&state, "4")
        let text = try #require(RunCode(state)).text
        #expect(statusText(state).hasSuffix("code \(text)"))
        #expect(text.count <= 14 && text.allSatisfy { $0.isNumber || $0.isUppercase || $0 == "-" }, "\(text)")
        var reopened = AppState(size: big)
        try RunCode(text: text).apply(to: &reopened)
        #expect(reopened.method == .shortcut && reopened.dataset == "moons" && reopened.seed == 7)
        #expect(reopened.steps == 4 && reopened.view == .compare && !reopened.racing)
        #expect(RunKey(reopened) == RunKey(state) && WorkerRequest(reopened) == WorkerRequest(state))
    }

    @Test(
        "every field comes back: dataset, method, race and lineup, coupling, view, K, threads, learning rate, seed",
        arguments: [
            (
                ToyDataset.rings, Method.meanflow, false, RaceLineup.all, Coupling.ot, ViewKind.truth, 128, Int?(64),
                Float?(3e-4), UInt64.max
            ),
            (.checkerboard, .lsd, true, .flowMap, .independent, .race, 1, nil, nil, 0),
            (.eightGaussians, .fm, true, .all, .independent, .samples, 16, 1, 1e-2, 123_456_789),
        ])
    func everyFieldComesBack(
        dataset: ToyDataset, method: Method, racing: Bool, lineup: RaceLineup, coupling: Coupling, view: ViewKind,
        steps: Int, threads: Int?, rate: Float?, seed: UInt64
    ) throws {
        var state = AppState(size: big, method: method, dataset: dataset.rawValue, seed: seed)
        state.racing = racing
        state.raceLineup = lineup
        state.coupling = coupling
        state.view = view
        state.steps = steps
        state.threads = threads
        state.learningRate = rate
        let code = try #require(RunCode(state))
        #expect(try RunCode(text: code.text) == code)
        #expect(try RunCode(text: code.text.lowercased().replacingOccurrences(of: "-", with: "")) == code)
    }

    @Test func aFileDatasetHasNoCodeAndTheHelpSaysWhy() {
        let state = AppState(size: big, method: .fm, dataset: "/tmp/points.csv")
        #expect(RunCode(state) == nil && !statusText(state).contains("code "))
        #expect(helpOverlayLines(state, width: 100).contains { $0.hasPrefix("No run code: the data is a file") })
    }

    @Test func theHelpShowsTheCodeAndTheCommandThatReopensIt() throws {
        let state = AppState(size: big, method: .ct, dataset: "moons", seed: 3)
        let text = try #require(RunCode(state)).text
        #expect(
            helpOverlayLines(state, width: 100).contains(
                "Run code \(text): flow-explorer tui --code \(text) reopens it (K and view too)"))
    }

    @Test(
        "a code with a wrong digit, a bad character or nothing in it is refused in one line",
        arguments: ["", "----", "248D-01EB", "248D-01E!", "ZZZZ-ZZZZ-ZZZZ-ZZZZ"])
    func badCodesAreRefused(text: String) {
        #expect(throws: FlowError.self) { try RunCode(text: text) }
    }

    @Test func aWrongCheckDigitIsCaught() throws {
        let good = try #require(RunCode(AppState(size: big, method: .shortcut, dataset: "moons", seed: 7))).text
        var digits = Array(good)
        let i = digits.firstIndex { $0 != "-" }!
        digits[i] = digits[i] == "0" ? "1" : "0"
        #expect(throws: FlowError.self) { try RunCode(text: String(digits)) }
    }
}
