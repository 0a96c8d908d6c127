import FlowCore
import Foundation
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// What a lecturer found unreadable or untrue on screen, one test per finding (issue 19).
@Suite struct LecturerFindingsTests {
    /// The cells of the view's plot rows (below the legend, above the caption) holding `glyph`.
    func count(_ glyph: Character, in state: AppState) -> Int {
        view(state).lines.dropFirst(3).dropLast(7).reduce(0) { $0 + $1.filter { $0 == glyph }.count }
    }

    @Test func theTrajectoriesViewMarksEveryPathsNoiseStartInTheTerminal() {
        var state = stateWithPictures()
        state.view = .trajectories
        state.snapshot?.visuals?.iteration = AppState.straightnessFrom
        // Independent and OT paths both fan out from the middle: the caption says how straight they are.
        #expect(FigureBuilder(state: state).build().caption.contains("straightness S="))
        let starts = count(PlotCanvas.markerGlyph(ascii: false), in: state)
        // 64 starts from N(0, I) share cells near the origin, but many cells show one.
        #expect(starts >= 20, "\(starts) start markers")
        #expect(view(state).text.contains("● noise start (t=0)"))
        state.ascii = true
        #expect(count("@", in: state) >= 20)
    }

    @Test func theConsistencyViewShowsTheXtMarkersAmongTheStrokes() {
        var state = stateWithPictures()
        state.view = .consistency
        #expect(count(PlotCanvas.markerGlyph(ascii: false), in: state) >= 20)
        #expect(view(state).text.contains("● x_t (t=0..15/16)"))
    }

    @Test func aNoticeLeavesTheStatusBarAfterItsLifetime() {
        var state = stateWithPictures(Size(width: 100, height: 30), method: .fm)
        _ = update(&state, .tick(seconds: 100))
        _ = press(&state, "c")
        #expect(statusText(state, width: 100).contains("OT coupling on, restarted"))
        _ = update(&state, .tick(seconds: 100 + AppState.noticeLifetime - 0.5))
        #expect(state.notice != nil)
        _ = update(&state, .tick(seconds: 100 + AppState.noticeLifetime + 0.1))
        #expect(state.notice == nil)
    }

    @Test func theStatusBarKeepsTheCouplingAndSBesideANoticeAt100Columns() {
        var state = stateWithPictures(Size(width: 100, height: 30), method: .fm)
        state.snapshot?.visuals?.iteration = 2000
        state.notice = "OT coupling on, restarted"
        let line = statusText(state, width: 100)
        #expect(line.count <= 100, "\(line)")
        #expect(
            line.contains("OT coupling on, restarted") && line.contains("independent pairs") && line.contains("S="), "\(line)")
        #expect(line.contains("fm") && line.contains("it 1234") && line.contains("K=4"))
        #expect(!line.contains("seed 0"), "the seed goes first: \(line)")
    }

    @Test func theStatusBarSaysNotTrainingWhenTheWorkerTrainsNothing() {
        var state = stateWithPictures()
        #expect(statusText(state).contains("running"))
        state.snapshot?.running = false
        #expect(statusText(state).contains("not training") && !statusText(state).contains("running"))
        state.paused = true
        #expect(statusText(state).contains("paused"))
    }

    @Test func sIsNotShownBeforeTheModelHasTrainedAWhile() {
        var state = stateWithPictures(method: .fm)
        state.snapshot?.visuals?.iteration = 0
        #expect(statusText(state).contains("S after \(AppState.straightnessFrom) it"))
        #expect(!statusText(state).contains("S=0.000"))
        state.snapshot?.visuals?.iteration = AppState.straightnessFrom
        #expect(statusText(state).contains("S="))
    }

    @Test func captionsWrapAtSpacesAndNeverEndMidWord() {
        let text = "one two three four five six seven eight nine ten"
        #expect(wrapped(text, width: 14, lines: 2) == ["one two three", "four five..."])
        #expect(wrapped(text, width: 100, lines: 2) == [text])
        #expect(wrapped("abcdefghij", width: 5, lines: 2) == ["abcde"])
        for kind in ViewKind.allCases {
            var state = stateWithPictures(Size(width: 100, height: 30))
            state.view = kind
            let caption = FigureBuilder(state: state).build().caption
            let words = Set(caption.split(separator: " ").map(String.init))
            let lines = view(state).lines
            // The caption lines sit above the loss panel's top border.
            guard let loss = lines.firstIndex(where: { $0.contains("Loss (") }) else {
                Issue.record("no loss panel in \(kind)")
                continue
            }
            let shown = lines[(loss - 2)..<loss].filter { !$0.hasPrefix("│") && !$0.hasPrefix("└") }
            #expect(!shown.isEmpty, "\(kind)")
            for line in shown {
                for word in line.split(separator: " ").map(String.init) where word != "..." {
                    let bare = word.hasSuffix("...") ? String(word.dropLast(3)) : word
                    #expect(words.contains(bare), "\(kind): '\(word)' is not a whole word of the caption")
                }
            }
        }
    }

    @Test func racePanelsOnEveryRowShowTheSameAxes() {
        var state = stateWithPictures(Size(width: 100, height: 30))
        let panels = state.snapshot!.race!.panels
        state.snapshot?.race?.panels = panels + panels
        state.view = .race
        let lines = view(state).lines
        // The rows of x tick labels: every panel's labels, one row of panels each.
        let labelRows = lines.filter { line in line.contains("0") && !line.contains("┤") && line.contains("  ") }
            .filter {
                $0.split(separator: " ").allSatisfy { Double($0.replacingOccurrences(of: "│", with: "")) != nil || $0 == "│" }
            }
        #expect(labelRows.count == 2, "\(labelRows)")
        let ticks = labelRows.map { $0.split(separator: " ").filter { $0 != "│" } }
        #expect(ticks.count == 2 && Array(ticks[0].prefix(ticks[1].count)) == ticks[1], "\(ticks)")
    }

    @Test func theLossPartsShareOneScaleAndKeepTheirWholeNames() {
        var state = stateWithPictures(Size(width: 100, height: 30), method: .meanflow)
        state.snapshot?.flowMatchingLosses = Array(repeating: 1, count: 50)
        state.snapshot?.bootstrapLosses = Array(repeating: 0.02, count: 50)
        state.view = .samples
        let lines = view(state).lines
        let first = lines.first { $0.contains("h=0 (flow matching)") }
        let second = lines.first { $0.contains("h>0 (mean flow)") }
        #expect(first?.contains("█") == true, "\(first ?? "-")")
        #expect(second?.contains("▁") == true && second?.contains("█") == false, "a 0.02 part draws low: \(second ?? "-")")
        state.method = .ct
        state.snapshot?.method = .ct
        state.snapshot?.losses = [1, 0.5]
        #expect(view(state).text.contains("consistency training"))
    }

    @Test func sw2FootersShowTheNoiseFloorOfThePictures() {
        var state = stateWithPictures()
        let floor = state.snapshot!.visuals!.noiseFloor
        #expect(floor > 0 && floor < 1)
        state.view = .compare
        #expect(view(state).text.contains("(floor \(format(floor, 4)))"))
        state.view = .race
        #expect(view(state).text.contains("(floor \(format(floor, 3)))"))
    }

    @Test func raceHeadersNameTheSamplerOnlyWhenItIsNotTheMethod() {
        #expect(Race.label(.shortcut, sampler: Method.shortcut.definition.mainSampler, steps: 1) == "shortcut K=1 (1 NFE)")
        #expect(Race.label(.meanflow, sampler: Method.meanflow.definition.mainSampler, steps: 2) == "meanflow K=2 (2 NFE)")
        #expect(Race.label(.fm, sampler: .euler, steps: 1) == "fm: euler K=1 (1 NFE)")
        #expect(Race.label(.ct, sampler: .consistency, steps: 4) == "ct: consistency K=4 (4 NFE)")
    }

    @Test func theRacesStatusBarAndHelpGiveTheRacesOwnCommand() {
        var state = stateWithPictures(Size(width: 200, height: 50))
        state.view = .race
        let recipe = RunRecipe(state)
        #expect(recipe.tui == "flow-explorer tui --dataset 8gaussians --seed 0")
        #expect(recipe.lines == [recipe.tui])
        #expect(!view(state).text.contains("--method"))
    }

    @Test func theTruthScaleCoversTheErrorsSoTheMeanIsNeverAboveIt() throws {
        let state = stateWithPictures()
        let truth = try #require(state.snapshot?.visuals?.truth)
        let sorted = truth.heat.values.filter(\.isFinite).sorted()
        // An untrained model lands far from the exact ends: worse than not moving.
        #expect(Double(truth.heat.scale) >= Double(sorted[(sorted.count - 1) * 95 / 100]))
        #expect(Double(truth.heat.scale) >= truth.mean, "scale \(truth.heat.scale), mean \(truth.mean)")
    }

    @Test func afterPlusTheCompareHeaderKeepsTheKOfThePanelsUntilNewOnesCome() {
        var state = stateWithPictures()
        state.view = .compare
        _ = press(&state, "+")
        #expect(state.steps == 8)
        let text = view(state).text
        #expect(text.contains("K=4 vs") || text.contains("vs shortcut K=4"), "the title keeps K=4")
        #expect(!FigureBuilder.title(state).contains("K=8"))
        #expect(text.contains("(updating to K=8...)"))
    }

    @Test func theHelpOverlaySeparatesEveryKeyFromItsAction() {
        #expect(helpLines.contains { $0.hasPrefix("arrows  hjkl  move the probe") })
        for (line, entry) in zip(helpLines, keyHelp) {
            #expect(line.hasPrefix(entry.keys + "  "), "\(line)")
        }
    }

    @Test func svgPanelsClipTheirMarksToThePlotArea() throws {
        var state = stateWithPictures()
        state.view = .race
        let svg = try #require(SVGExport.document(state))
        let panels = svg.components(separatedBy: "<g class=\"panel\"").count - 1
        #expect(panels == state.snapshot!.race!.panels.count)
        #expect(svg.components(separatedBy: "<clipPath id=\"plot-").count - 1 == panels)
        #expect(svg.components(separatedBy: "clip-path=\"url(#plot-").count - 1 == panels)
        // Every series group sits inside a clipped group.
        for part in svg.components(separatedBy: "clip-path=\"url(#plot-").dropFirst() {
            let body = part.components(separatedBy: "</g>\n</g>").first ?? ""
            #expect(body.contains("<g class=\"series\""))
        }
    }

    @Test func wideCharactersInADatasetNameAreEscapedOnTheStatusBar() {
        var state = stateWithPictures()
        state.dataset = "/tmp/数据点.csv"
        let line = statusText(state)
        #expect(line.unicodeScalars.allSatisfy(SafeText.isOneColumn), "\(line)")
        #expect(line.contains("\\u{6570}"))
        #expect(!view(state).lines.last!.contains("flow-explorer tui"), "the command keeps the raw name: not drawn")
    }
}

@Suite struct PlotModeTests {
    @Test func halfBlockAndDensityModesDrawTheirOwnGlyphs() {
        var state = stateWithPictures()
        state.plotMode = .halfBlock
        let half = view(state).text
        #expect(half.contains("▀") || half.contains("▄") || half.contains("█"))
        #expect(!half.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "no braille dots")
        state.plotMode = .density
        let density = view(state).text
        #expect(density.contains("░") || density.contains("▒") || density.contains("▓"))
        state.ascii = true
        #expect(view(state).text.unicodeScalars.allSatisfy { $0.isASCII }, "--ascii wins over --plot")
    }
}
