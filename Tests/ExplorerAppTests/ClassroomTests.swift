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
        #expect(text.contains("euler K=4   SW2 ") && text.contains("shortcut K=4   SW2 "))
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

    @Test func theExportFileIsNamedAfterViewMethodAndDataset() {
        var state = AppState(size: big, method: .ct, dataset: "/tmp/my points.csv")
        state.view = .compare
        #expect(SVGExport.fileName(state) == "flow-explorer-compare-ct-my_points.svg")
    }
}

@Suite struct ClassroomKeyTests {
    @Test func eAsksTheWorkerToWriteTheViewAsSVG() throws {
        var state = stateWithPictures()
        state.view = .trajectories
        let effects = press(&state, "e")
        guard case .worker(.export(let path, let contents)) = try #require(effects.first) else {
            Issue.record("expected an export effect, got \(effects)")
            return
        }
        #expect(path == "flow-explorer-trajectories-shortcut-8gaussians.svg")
        #expect(contents == SVGExport.document(state))
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
        #expect(text.contains("e           export this view as SVG"))
        #expect(text.contains("flow-explorer tui --method shortcut --dataset 8gaussians --seed 0"))
        #expect(text.contains("flow-explorer train --method shortcut --dataset 8gaussians --seed 0 --iterations 1234"))
        #expect(
            RunRecipe(state).train == [
                "flow-explorer train --method shortcut --dataset 8gaussians --seed 0 --iterations 1234 --lr-decay false "
                    + "--out flow-explorer-shortcut-8gaussians.safetensors"
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
                "flow-explorer train --method fm --dataset 'my points.csv' --seed 7 --iterations 4000 --lr 0.003 --warmup 200 --ema-warmup true --out flow-explorer-fm-my_points.safetensors",
                "flow-explorer train --method cd --dataset 'my points.csv' --seed 7 --iterations 0 --lr 0.01 --ema-warmup true --teacher flow-explorer-fm-my_points.safetensors --out flow-explorer-cd-my_points.safetensors",
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
        let wide = view(stateWithPictures(Size(width: 200, height: 40))).text
        #expect(wide.contains("flow-explorer tui --method shortcut --dataset 8gaussians --seed 0"))
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
        #expect(press(&state, "r") == [.worker(.reset)])
        #expect(!state.paused)
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

    @Test func aWorkerWhoseLossBecomesNonFiniteStopsAndSaysSo() throws {
        var settings = WorkerSettings(method: .fm, dataset: "8gaussians", seed: 0)
        settings.pictureCount = 128
        settings.learningRate = 1e5  // diverges within a few iterations
        let worker = TrainingWorker(settings: settings)
        worker.start()
        defer { worker.stop() }
        let diverged = try #require(firstSnapshot(from: worker, within: 30) { $0.divergence != nil })
        let message = try #require(diverged.divergence)
        #expect(message.hasPrefix("training diverged at iteration \(diverged.iteration) (loss "))
        #expect(message.hasSuffix("press r to reset (try a lower --lr)"))
        #expect(diverged.message == message)
        #expect(!diverged.running)
        #expect(diverged.losses.allSatisfy { $0.isFinite })
        // A resume is refused with the message again.
        worker.send(.setPaused(false))
        let stillStopped = try #require(firstSnapshot(from: worker, within: 10) { $0.messageSerial > diverged.messageSerial })
        #expect(stillStopped.iteration == diverged.iteration && !stillStopped.running)
        #expect(stillStopped.message == message)
        // A reset trains again from scratch: the same seed and rate diverge at the same iteration.
        worker.send(.reset)
        let again = firstSnapshot(from: worker, within: 30) {
            $0.divergence != nil && $0.messageSerial > stillStopped.messageSerial
        }
        #expect(again?.iteration == diverged.iteration)
    }

    @Test func theWorkerWritesAnExportedPictureAndReportsIt() throws {
        var settings = WorkerSettings(method: .fm, dataset: "moons", seed: 0)
        settings.pictureCount = 128
        let worker = TrainingWorker(settings: settings)
        worker.start()
        defer { worker.stop() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fe-export-\(getpid()).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        worker.send(.export(path: path, contents: "<svg/>"))
        let message = firstSnapshot(from: worker, within: 20) { $0.message != nil }?.message
        #expect(message == "wrote \(path)")
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "<svg/>")
    }
}
