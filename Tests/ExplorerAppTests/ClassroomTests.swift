import FlowCore
import Foundation
import TerminalCanvas
import Testing

@testable import ExplorerApp

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Counts the elements of an SVG document with `XMLParser` and keeps the `<title>` text and the
/// ids of the series groups with their circle and polyline counts.
final class SVGCounter: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var title = ""
    var circlesBySeries: [String: Int] = [:]
    var polylinesBySeries: [String: Int] = [:]
    private var inTitle = false
    private var series: String?

    /// Parses `text`; false when it is not well-formed XML.
    func parse(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        return parser.parse()
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements[name, default: 0] += 1
        if name == "title" { inTitle = true }
        if name == "g", attributes["class"] == "series" { series = attributes["id"] ?? "?" }
        if let series, name == "circle" { circlesBySeries[series, default: 0] += 1 }
        if let series, name == "polyline" { polylinesBySeries[series, default: 0] += 1 }
        if name == "g", attributes["class"] == "series" {
            circlesBySeries[series!, default: 0] += 0
            polylinesBySeries[series!, default: 0] += 0
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "title" { inTitle = false }
        if name == "g" { series = nil }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inTitle { title += string }
    }
}

func parsedSVG(_ state: AppState) throws -> SVGCounter {
    let text = try #require(SVGExport.document(state))
    let counter = SVGCounter()
    #expect(counter.parse(text), "the SVG is well-formed XML")
    return counter
}

@Suite struct SVGExportTests {
    @Test func everyViewExportsWellFormedSVGWithATitleNamingMethodDatasetSeedAndK() throws {
        for kind in ViewKind.allCases {
            var state = stateWithPictures()
            state.view = kind
            let svg = try parsedSVG(state)
            #expect(svg.elements["svg"] == 1)
            let who = kind == .race ? "every method" : "shortcut"
            #expect(svg.title.contains("\(who) on 8gaussians, seed 0, K=4"), "\(svg.title)")
            #expect((svg.elements["text"] ?? 0) > 6, "tick labels")
            #expect(!svg.circlesBySeries.isEmpty)
        }
    }

    @Test func theSamplesViewHasOneCircleForEveryDataPointAndEveryModelSample() throws {
        let svg = try parsedSVG(stateWithPictures())
        let n = sampleVisuals.data.count / 2
        #expect(svg.circlesBySeries == ["data": n, "model": n])
        #expect(svg.elements["circle"] == 2 * n)
    }

    @Test func trajectoriesArePolylinesAndTheConsistencyViewJoinsEachPointToItsPrediction() throws {
        var state = stateWithPictures()
        state.view = .trajectories
        let paths = try parsedSVG(state)
        #expect(paths.polylinesBySeries["paths"] == sampleVisuals.paths.count)
        #expect(paths.polylinesBySeries["jumps"] == sampleVisuals.jumps.count)
        #expect(paths.circlesBySeries["starts"] == sampleVisuals.paths.count)
        state.view = .consistency
        let consistency = try parsedSVG(state)
        let m = sampleVisuals.consistency!.points.count / 2
        #expect(consistency.polylinesBySeries["mappings"] == m)
        #expect(consistency.circlesBySeries["points"] == m)
        #expect(consistency.circlesBySeries["predictions"] == m)
    }

    @Test func theCompareViewHasAPanelPerSamplerWithItsSW2() throws {
        var state = stateWithPictures()
        state.view = .compare
        let text = try #require(SVGExport.document(state))
        let svg = try parsedSVG(state)
        #expect(svg.circlesBySeries.keys.sorted() == ["samples-1", "samples-2"])
        #expect(text.contains(">euler K=4 (4 NFE)</text>") && text.contains(">shortcut K=4 (4 NFE)</text>"))
        #expect(text.components(separatedBy: ">SW2 ").count == 3, "a footer with the SW2 under each panel")
    }

    @Test func aLargePictureIsThinnedToAtMostMaxCirclesAndNonFinitePointsAreSkipped() throws {
        var state = stateWithPictures()
        var visuals = sampleVisuals
        visuals.data = Array(repeating: 0.5, count: 2 * 6000)
        visuals.frames[visuals.frames.count - 1] = [Float.nan, 1, 2, .infinity] + Array(repeating: 1, count: 2 * 5998)
        state.snapshot?.visuals = visuals
        let svg = try parsedSVG(state)
        let circles = svg.elements["circle"] ?? 0
        #expect(circles <= SVGExport.maxCircles && circles >= SVGExport.maxCircles / 2)
        #expect(svg.circlesBySeries["data"] == 2000, "every 3rd of 6000 points (12000 in all)")
        #expect(svg.circlesBySeries["model"] == 1999, "the NaN point is skipped")
        #expect(!(try #require(SVGExport.document(state))).contains("nan"))
    }

    @Test func theExportFileIsNamedAfterViewMethodDatasetKAndIteration() {
        var state = AppState(size: big, method: .ct, dataset: "/tmp/my points.csv")
        state.view = .compare
        #expect(SVGExport.fileName(state) == "flow-explorer-compare-ct-my_points-K1-it0.svg")
    }
}

@Suite struct ClassroomKeyTests {
    @Test func eAsksTheRunLoopToWriteTheViewAsSVG() throws {
        var state = stateWithPictures()
        state.view = .trajectories
        #expect(
            press(&state, "e") == [
                .exportView(path: "flow-explorer-trajectories-shortcut-8gaussians-K4-it\(state.snapshot!.visuals!.iteration).svg")
            ])
    }

    @Test func eBeforeTheFirstPicturesOnlyShowsANotice() {
        var state = AppState(size: big)
        #expect(press(&state, "e").isEmpty)
        #expect(state.notice?.contains("nothing to export yet") == true)
    }

    @Test func theHelpOverlayListsTheExportKeyAndTheCommandsThatReproduceTheRun() {
        var state = stateWithPictures(Size(width: 160, height: 50))
        state.view = .compare
        state.showHelp = true
        let text = view(state).text
        #expect(text.contains("e             export this view as SVG"))
        #expect(text.contains("flow-explorer tui --method shortcut --dataset 8gaussians --seed 0"))
        #expect(text.contains("flow-explorer train --method shortcut --dataset 8gaussians --seed 0 --iterations 1234"))
        #expect(
            RunRecipe(state).train == [
                "flow-explorer train --method shortcut --dataset 8gaussians --seed 0 --iterations 1234 --lr 0.005 --ema-decay 0.995 --adam-beta2 0.95 --lr-decay false "
                    + "--lr-falloff 1000 --target online --velocity-target batch --bootstrap-fraction 0.6 --out flow-explorer-shortcut-8gaussians.safetensors"
            ])
        #expect(
            text.contains(
                "flow-explorer render flow-explorer-shortcut-8gaussians.safetensors --view compare --steps 4 --seed 0 --count 1024"
            ))
        #expect(helpKeys.contains("e") && helpKeys.contains("3") && helpKeys.contains("Ctrl-C"))
    }

    @Test func theRecipeNamesTheLearningRateTheCDTeacherAndQuotesOddDatasetNames() {
        var state = AppState(size: big, method: .cd, dataset: "my points.csv", seed: 7)
        state.learningRate = 0.01
        let recipe = RunRecipe(state)
        #expect(recipe.tui == "flow-explorer tui --method cd --dataset 'my points.csv' --seed 7 --lr 0.01")
        #expect(
            recipe.train == [
                "flow-explorer train --method fm --dataset 'my points.csv' --seed 7 --iterations 8000 --lr 0.005 --warmup 200 --ema-warmup true --adam-beta2 0.95 --lr-falloff 1000 --out flow-explorer-fm-my_points.safetensors",
                "flow-explorer train --method cd --dataset 'my points.csv' --seed 7 --iterations 0 --lr 0.01 --ema-warmup true --adam-beta2 0.95 --teacher flow-explorer-fm-my_points.safetensors --out flow-explorer-cd-my_points.safetensors",
            ])
    }

    @Test func aNarrowHelpOverlayWrapsTheCommandsInsteadOfCuttingThem() {
        let state = stateWithPictures()
        let lines = helpOverlayLines(state, width: 50)
        #expect(lines.allSatisfy { $0.count <= 50 })
        let joined = lines.drop { $0 != "Reproduce this run:" }.dropFirst()
            .map { $0.hasPrefix("    ") ? " " + $0.dropFirst(4) : "\n" + $0 }.joined()
        #expect(
            joined.contains(
                "flow-explorer render flow-explorer-shortcut-8gaussians.safetensors --view samples --steps 4 --seed 0 --count 1024"
            ))
    }

    @Test func theStatusBarShowsTheTuiCommandWhenThereIsRoom() {
        let wide = view(stateWithPictures(Size(width: 240, height: 40))).text
        #expect(wide.contains("flow-explorer tui --method shortcut --dataset 8gaussians --seed 0"))
        #expect(view(stateWithPictures(Size(width: 200, height: 40))).text.contains("│ code "), "the code before the command")
        let narrow = view(stateWithPictures(Size(width: 80, height: 24))).text
        #expect(!narrow.contains("flow-explorer tui"))
    }
}

@Suite struct DivergenceTests {
    @Test func aDivergedSnapshotPausesTheAppAndItsMessageBecomesTheNotice() {
        var state = stateWithPictures()
        var snapshot = state.snapshot!
        snapshot.divergence = "training diverged at iteration 7 (loss nan): press r to reset (try a lower --lr)"
        snapshot.message = snapshot.divergence
        snapshot.messageSerial += 1
        snapshot.running = false
        _ = update(&state, .snapshot(snapshot))
        #expect(state.paused)
        #expect(state.notice == snapshot.divergence)
        #expect(view(state).text.contains("training diverged at iteration 7"))
        #expect(press(&state, "r").isEmpty)
        #expect(!state.paused && state.resets == 1)
    }

    @Test func nonFiniteSW2AndErrorsShowAsDashes() {
        var state = stateWithPictures()
        state.view = .compare
        state.snapshot?.visuals?.compare[0].sw2 = .nan
        state.snapshot?.visuals?.compare[1].sw2 = .infinity
        let text = view(state).text
        #expect(text.components(separatedBy: "SW2 --").count == 3)
        #expect(!text.lowercased().contains("nan") && !text.contains("inf"))
    }

    @Test func theRunLoopWritesAnExportedPictureAndReportsIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fe-export-\(getpid()).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state = stateWithPictures()
        state.view = .trajectories
        let link = FakeLink()
        let notice = RunLoop().perform(.exportView(path: path), state: state, link: link)
        #expect(notice == "wrote \(path)")
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == SVGExport.document(state))
        #expect(link.sent.isEmpty, "an export is the run loop's, not the worker's")
        // Over an input of the run it refuses, and says why.
        let refused = RunLoop(inputs: [path]).perform(.exportView(path: path), state: state, link: link)
        #expect(refused?.hasPrefix("export failed: ") == true)
    }
}

/// The texts of the `<g class="legend">` group of an SVG document, in order.
private func svgLegendTexts(_ svg: String) -> [String] {
    guard let start = svg.range(of: "<g class=\"legend\">"),
        let end = svg.range(of: "</g>", range: start.upperBound..<svg.endIndex)
    else { return [] }
    return svg[start.upperBound..<end.lowerBound].components(separatedBy: "<text").dropFirst().compactMap { part in
        guard let open = part.firstIndex(of: ">"), let close = part.range(of: "</text>") else { return nil }
        return String(part[part.index(after: open)..<close.lowerBound])
            .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}

@Suite struct OneFigureTwoBackendsTests {
    /// Every view, with a probe reading in the truth view.
    func states() -> [AppState] {
        ViewKind.allCases.map { kind in
            var state = stateWithPictures()
            state.view = kind
            if kind == .truth, let truth = state.snapshot?.visuals?.truth {
                state.probeReading = ProbeReading(truth: truth, start: state.probe)
            }
            return state
        }
    }

    @Test func theTerminalAndTheSVGShowTheSameLegendForEveryView() throws {
        for state in states() {
            let figure = FigureBuilder(state: state).build()
            #expect(figure.placeholder == nil, "\(state.view) has pictures")
            let expected = figure.legend.map(\.text)
            let svg = try #require(SVGExport.document(state))
            #expect(svgLegendTexts(svg) == expected, "\(state.view)")
            // The terminal's legend row: each entry after its marker.
            let text = view(state).text
            let row = text.split(separator: "\n").first { ($0.contains("⣿ ") || $0.contains("● ")) && !$0.contains("Loss") }
            let terminal =
                row.map {
                    $0.replacingOccurrences(of: "● ", with: "⣿ ").components(separatedBy: "⣿ ").dropFirst().map {
                        $0.replacingOccurrences(of: "│", with: "").trimmingCharacters(in: .whitespaces)
                    }
                }
                ?? []
            #expect(terminal == expected, "\(state.view)")
            // Headers, footers and the caption are the same words in both (the SVG does not cut them).
            // The caption wraps to at most two lines under the view.
            for line in wrapped(figure.caption, width: state.size.width - 1, lines: 2) {
                #expect(text.contains(" " + line), "\(state.view): caption line \(line)")
            }
            for line in figure.panels.flatMap({ [$0.header, $0.footer] }).compactMap({ $0 }) + [figure.caption] {
                // A header or footer wider than the terminal is cut at its edge.
                if line != figure.caption {
                    #expect(text.contains(String(line.prefix(state.size.width - 4))), "\(state.view): \(line)")
                }
                #expect(
                    svg.contains(line.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&apos;")),
                    "\(state.view): \(line)")
            }
        }
    }

    @Test func theTruthViewShadesItsCellsAndDrawsTheProbe() throws {
        var state = stateWithPictures()
        state.view = .truth
        state.palette = .color256
        _ = update(&state, .snapshot(try #require(state.snapshot)))
        let reading = try #require(state.probeReading)
        #expect(reading.start == state.probe)
        #expect(reading.error.isFinite && reading.jumps.count == 2 * (4 + 1))
        let buffer = view(state)
        let greys = Set(HeatShades.greys.map { Color.indexed($0) })
        let shaded = (0..<buffer.height).flatMap { y in (0..<buffer.width).map { x in buffer[x, y] } }
            .filter { greys.contains($0.style.background) }.count
        #expect(shaded > 500, "heat cells under the plot")
        #expect(buffer.text.contains("probe x0=(0.50, 0.50)"))
        let svg = try #require(SVGExport.document(state))
        #expect(svg.contains("<g class=\"heat\"") && svg.contains("id=\"probe-jumps\""))
    }

    @Test func arrowsAndHJKLMoveTheProbeInTheTruthViewOnly() throws {
        var state = stateWithPictures()
        state.view = .truth
        let start = state.probe
        _ = update(&state, .key(.right))
        _ = press(&state, "k")
        #expect(state.probe.x > start.x && state.probe.y > start.y)
        #expect(state.probeReading?.start == state.probe)
        _ = press(&state, "h")
        _ = press(&state, "j")
        #expect(abs(state.probe.x - start.x) < 1e-5 && abs(state.probe.y - start.y) < 1e-5)
        #expect(!state.showHelp)
        state.view = .samples
        _ = press(&state, "h")
        #expect(state.showHelp, "elsewhere h is help")
    }

    @Test func cSwitchesTheCouplingAndRestartsWhereItApplies() {
        var state = stateWithPictures(method: .fm)
        #expect(press(&state, "c").isEmpty)
        #expect(state.coupling == .ot && state.snapshot == nil && RunKey(state).coupling == .ot)
        #expect(RunRecipe(state).tui.hasSuffix("--coupling ot"))
        #expect(RunRecipe(state).train.last?.contains("--coupling ot") == true)
        _ = press(&state, "c")
        #expect(RunKey(state).coupling == .independent)
        var ct = stateWithPictures(method: .ct)
        #expect(press(&ct, "c").isEmpty)
        #expect(ct.notice?.contains("fm, shortcut, meanflow") == true)
    }
}

@Suite struct SVGColourTests {
    @Test func seriesColoursAreTheTerminalPalettesXtermColours() {
        #expect(SVGExport.xtermRGB(16) == 0x000000 && SVGExport.xtermRGB(231) == 0xffffff)
        #expect(SVGExport.xtermRGB(74) == 0x5fafd7, "cube (1, 3, 4)")
        #expect(SVGExport.xtermRGB(232) == 0x080808 && SVGExport.xtermRGB(255) == 0xeeeeee)
    }

    @Test func svgSeriesColoursAreTheTerminalsDarkenedUntilTheyReadOnWhite() {
        for series in 0..<6 {
            guard case .indexed(let index) = Palette.color256.style(forSeries: series).foreground else {
                Issue.record("series \(series) has no 256-colour foreground")
                continue
            }
            let terminal = SVGExport.xtermRGB(index)
            let svg = SVGExport.readableOnWhite(terminal)
            #expect(SVGExport.contrastAgainstWhite(svg) >= 3, "series \(series)")
            #expect(SVGExport.color(series: series) == SVGExport.hex(svg))
            // The same hue: each channel scaled by one factor.
            let (r, g, b) = (terminal >> 16 & 0xff, terminal >> 8 & 0xff, terminal & 0xff)
            let (r2, g2, b2) = (svg >> 16 & 0xff, svg >> 8 & 0xff, svg & 0xff)
            #expect(r2 <= r && g2 <= g && b2 <= b)
            if r > 0 && g > 0 { #expect(abs(Double(r2) / Double(r) - Double(g2) / Double(g)) < 0.02, "series \(series)") }
        }
        // The yellow of the ct race panel (#ffff5f) was invisible on a white slide.
        #expect(SVGExport.contrastAgainstWhite(0xffff5f) < 1.2)
        #expect(SVGExport.contrastAgainstWhite(SVGExport.readableOnWhite(0xffff5f)) >= 3)
    }
}
