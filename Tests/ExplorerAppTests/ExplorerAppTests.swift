import FlowCore
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// A link that records requests and commands and hands out queued snapshots.
final class FakeLink: TrainingLink {
    var posted: [WorkerRequest] = []
    var sent: [WorkerCommand] = []
    var queued: [Snapshot] = []
    func post(_ request: WorkerRequest) { posted.append(request) }
    func send(_ command: WorkerCommand) { sent.append(command) }
    func takeSnapshot() -> Snapshot? { queued.isEmpty ? nil : queued.removeFirst() }
}

let big = Size(width: 120, height: 40)

/// Visuals from an untrained model, built once (small counts keep it quick).
let sampleVisuals: Visuals = {
    let dataset = Dataset.toy(.eightGaussians)
    let trainer = try! Trainer(config: TrainingConfig(method: .shortcut), dataset: dataset)
    let model = Model(method: .shortcut, shape: trainer.config.shape, parameters: trainer.ema)
    let builder = VisualsBuilder(dataset: dataset, count: 256, seed: 0)
    return builder.build(
        model: model, method: .shortcut, steps: 4, iteration: 0, truth: sampleTruth, extras: [.consistency, .truth, .flowMap])
}()

/// The exact flow of 8gaussians (seed 0) over the sample pictures' rectangle, computed once.
let sampleTruth = TruthField(
    dataset: .toy(.eightGaussians), seed: 0, bounds: VisualsBuilder(dataset: .toy(.eightGaussians), count: 256, seed: 0).bounds)

func stateWithPictures(_ size: Size = big, method: Method = .shortcut) -> AppState {
    var state = AppState(size: size, method: method, dataset: "8gaussians")
    var snapshot = Snapshot(method: method, dataset: "8gaussians", seed: 0)
    snapshot.iteration = 1234
    snapshot.iterationsPerSecond = 987
    snapshot.flowMatchingLosses = [1, 0.5, 0.25]
    snapshot.bootstrapLosses = [0.1, 0.05]
    snapshot.visuals = sampleVisuals
    snapshot.race = RaceVisuals(
        steps: 4, bounds: sampleVisuals.bounds, noiseFloor: sampleVisuals.noiseFloor,
        panels: sampleVisuals.compare.enumerated().map { i, panel in
            .init(method: Method.allCases[i], label: panel.label, points: panel.points, sw2: panel.sw2, iteration: 1234)
        })
    state.steps = 4
    _ = update(&state, .snapshot(snapshot))
    return state
}

func press(_ state: inout AppState, _ c: Character) -> [Effect] { update(&state, .key(.character(c))) }

@Suite struct UpdateTests {
    @Test func qAndCtrlCQuit() {
        var a = AppState(size: big)
        _ = press(&a, "q")
        #expect(a.quit)
        var b = AppState(size: big)
        _ = update(&b, .key(.ctrlC))
        #expect(b.quit)
    }

    @Test func questionMarkOpensHelpAndEscapeClosesIt() {
        var state = AppState(size: big)
        _ = press(&state, "?")
        #expect(state.showHelp)
        _ = update(&state, .key(.escape))
        #expect(!state.showHelp)
    }

    @Test func spaceTogglesPauseAndTheRequestSaysSo() {
        var state = AppState(size: big)
        #expect(press(&state, " ").isEmpty)
        #expect(state.paused && WorkerRequest(state).paused)
        _ = press(&state, " ")
        #expect(!state.paused && !WorkerRequest(state).paused)
    }

    @Test func tabCyclesThroughEveryViewAndDigitsJump() {
        var state = AppState(size: big)
        var seen: [ViewKind] = []
        for _ in ViewKind.allCases {
            seen.append(state.view)
            #expect(update(&state, .key(.tab)).isEmpty)
            // The request names what the view needs; entering the race makes the run a race of every
            // method, and the views after it study one racer while the race goes on.
            let request = WorkerRequest(state)
            #expect(request.needs == state.view.needs)
            let racing = seen.contains(.race) || state.view == .race  // the race goes on after it
            #expect(request.run.subject == (racing ? .race(.all) : .method(.fm)), "\(state.view)")
            #expect(request.focus == (racing && state.view != .race ? .fm : nil), "\(state.view)")
        }
        #expect(seen == ViewKind.allCases)
        #expect(state.view == .samples)
        _ = update(&state, .key(.backTab))
        #expect(state.view == ViewKind.allCases.last)
        #expect(ViewKind.allCases.count == 7)
        for (c, kind) in zip("1234567", ViewKind.allCases) {
            _ = press(&state, c)
            #expect(state.view == kind)
        }
    }

    @Test func plusAndMinusDoubleAndHalveKWithin1To128() {
        var state = AppState(size: big)
        #expect(press(&state, "+").isEmpty)
        #expect(WorkerRequest(state).steps == 2)
        _ = press(&state, "+")
        #expect(state.steps == 4)
        for _ in 0..<10 { _ = press(&state, "+") }
        #expect(state.steps == 128 && Sampler.stepRange.upperBound == 128)
        for _ in 0..<10 { _ = press(&state, "-") }
        #expect(state.steps == 1)
    }

    @Test func bracketsScrubTBetween0And1() {
        var state = AppState(size: big)
        #expect(state.t == 1)
        _ = press(&state, "]")
        #expect(state.t == 1)
        _ = press(&state, "[")
        #expect(state.t == 15.0 / 16)
        for _ in 0..<20 { _ = press(&state, "[") }
        #expect(state.t == 0)
    }

    @Test func dAndMStartANewRunWithTheNextDatasetOrMethod() {
        var state = stateWithPictures(method: .fm)
        _ = press(&state, "d")
        #expect(RunKey(state).subject == .method(.fm) && RunKey(state).dataset == "moons")
        #expect(state.snapshot == nil)
        _ = press(&state, "m")
        #expect(RunKey(state).subject == .method(.shortcut) && RunKey(state).dataset == "moons")
        for _ in 0..<(Method.allCases.count - 1) { _ = press(&state, "m") }
        #expect(state.method == .fm)
    }

    @Test func rResetsAndSSavesToTheNamedFile() {
        var state = AppState(size: big, method: .ct, dataset: "moons")
        let before = RunKey(state)
        #expect(press(&state, "r").isEmpty)
        #expect(RunKey(state) != before && RunKey(state).resets == 1)
        #expect(press(&state, "s") == [.worker(.save(path: "flow-explorer-ct-moons.safetensors"))])
    }

    @Test func resizeChangesTheSize() {
        var state = AppState(size: big)
        _ = update(&state, .resize(Size(width: 40, height: 12)))
        #expect(state.size == Size(width: 40, height: 12))
        #expect(!state.isLargeEnough)
    }

    @Test func snapshotsOfAnotherRunAreIgnoredAndMessagesBecomeNotices() {
        var state = AppState(size: big, method: .fm, dataset: "moons")
        _ = update(&state, .snapshot(Snapshot(method: .ct, dataset: "moons", seed: 0)))
        #expect(state.snapshot == nil)
        var snapshot = Snapshot(method: .fm, dataset: "moons", seed: 0)
        snapshot.message = "saved x"
        snapshot.messageSerial = 1
        _ = update(&state, .snapshot(snapshot))
        #expect(state.notice == "saved x")
    }
}

@Suite struct ViewTests {
    @Test func everyViewRendersItsTitleCaptionAndStatusBar() {
        for kind in ViewKind.allCases {
            var state = stateWithPictures()
            state.view = kind
            let text = view(state).text
            #expect(text.contains(FigureBuilder.title(state)), "\(kind)")
            // The caption's first words, on the line under the view (it may wrap or be cut later).
            let caption = FigureBuilder(state: state).build().caption
            let opening = caption.split(separator: " ").prefix(4).joined(separator: " ")
            #expect(opening.count > 8 && text.contains(" " + opening), "\(kind): caption '\(caption)'")
            #expect(text.contains("it 1234"))
            #expect(text.contains("987 it/s"))
            #expect(text.contains("K=4"))
            #expect(text.contains("running"))
            #expect(text.contains(kind == .race ? "the race trains every method" : "bootstrap"))
        }
    }

    @Test func theSamplesViewDrawsBrailleByDefaultAndOnlyASCIIWhenAsked() {
        var state = stateWithPictures()
        #expect(view(state).text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        state.ascii = true
        for kind in ViewKind.allCases {
            state.view = kind
            #expect(view(state).text.unicodeScalars.allSatisfy { $0.isASCII }, "\(kind)")
        }
    }

    @Test func theLayoutAtTheMinimumSizeStillShowsEveryPart() {
        let state = stateWithPictures(AppState.minimumSize)
        let lines = view(state).lines
        #expect(lines.count == 20)
        #expect(lines[0].contains("1 Samples"))
        #expect(lines.contains { $0.contains("Samples: data vs model") })
        #expect(lines.contains { $0.contains("Loss") })
        #expect(lines[19].contains("shortcut"))
    }

    @Test func belowTheMinimumSizeACentredMessageSaysWhatIsNeeded() {
        let state = stateWithPictures(Size(width: 40, height: 12))
        let text = view(state).text
        #expect(text.contains("at least 60x20"))
        #expect(text.contains("too small: 40x12"))
    }

    @Test func theHelpOverlayListsEveryKey() {
        var state = stateWithPictures()
        state.showHelp = true
        let text = view(state).text
        for line in helpLines { #expect(text.contains(line)) }
    }

    /// The frame `bench` times (frame_ms): speed is measured there, not here.
    @Test func aCompareFrameWith4096PointsPerPanelAt200x60ShowsBothPanels() {
        let state = ExplorerApp.benchmarkCompareState()
        let text = view(state).text
        #expect(text.contains("Compare: euler K=2 (2 NFE) vs shortcut K=2 (2 NFE)"))
        let scores = text.components(separatedBy: "SW2 ").dropFirst().filter { $0.first?.isNumber == true }
        #expect(scores.count == 2, "an SW2 number under each panel")
    }
}

@Suite struct RunLoopTests {
    @Test func aShortRunHandlesKeysResizesAndSnapshotsThenQuits() {
        let device = FakeTerminalDevice(
            size: big,
            events: [
                .key(.character("+")), .key(.tab), .key(.character("6")), .resize(Size(width: 80, height: 24)),
                .resize(Size(width: 40, height: 12)), .key(.character("?")), .key(.character("q")),
            ])
        let link = FakeLink()
        var snapshot = Snapshot(method: .shortcut, dataset: "8gaussians", seed: 0)
        snapshot.visuals = sampleVisuals
        link.queued = [snapshot]
        let final = RunLoop(frameInterval: .zero).run(
            AppState(size: .zero, method: .shortcut, dataset: "8gaussians"), device: device, link: link)
        #expect(final.quit)
        #expect(final.steps == 2)
        #expect(final.view == .truth)
        // The first request, then one per change the worker must see: K, then the truth view's
        // heat map (the trajectories view needs no picture the samples view lacks).
        #expect(
            link.posted.map(\.steps) == [1, 2, 2]
                && link.posted.map(\.needs) == [.model(extras: []), .model(extras: []), .model(extras: [.truth])])
        #expect(link.sent.isEmpty)
        #expect(device.presented.first?.size == big)
        #expect(device.presented.contains { $0.text.contains("too small: 40x12") })
        #expect(device.presented.contains { $0.size == Size(width: 80, height: 24) })
    }

    @Test func theLocaleDecidesBetweenUnicodeAndASCII() {
        #expect(localeIsUTF8(["LANG": "en_US.UTF-8"]))
        #expect(localeIsUTF8(["LC_ALL": "C.utf8", "LANG": "C"]))
        #expect(!localeIsUTF8(["LC_ALL": "C", "LANG": "en_US.UTF-8"]))
        #expect(!localeIsUTF8([:]))
    }
}

@Suite struct WorkerTests {
    @Test func theWorkerThreadFollowsThePostedRequestAndPublishesSnapshots() throws {
        var state = AppState(size: big, method: .fm, dataset: "moons", seed: 3)
        state.threads = 1
        var settings = WorkerSettings()
        settings.pictureCount = 256
        let worker = TrainingWorker(settings: settings)
        worker.start()
        defer { worker.stop() }
        worker.post(WorkerRequest(state))
        let s = try #require(firstSnapshot(from: worker, within: 20) { $0.iteration > 50 && $0.visuals != nil })
        #expect(s.run == RunKey(state) && !s.losses.isEmpty)
        state.paused = true
        worker.post(WorkerRequest(state))
        let paused = try #require(firstSnapshot(from: worker, within: 10) { !$0.running })
        sleepSeconds(0.3)
        #expect((worker.takeSnapshot()?.iteration ?? paused.iteration) == paused.iteration)
    }
}

@Suite struct RaceLineupTests {
    @Test("g in the race switches to the flow-map family and restarts it; outside the race it only says so")
    func gSwitchesTheRacers() {
        var state = AppState(size: Size(width: 120, height: 40), method: .fm, dataset: "moons")
        state.view = .race
        #expect(update(&state, .key(.character("g"))).isEmpty)
        #expect(state.raceLineup == .flowMap)
        #expect(RunKey(state).subject == .race(.flowMap))
        state.view = .samples
        #expect(update(&state, .key(.character("g"))).isEmpty)
        #expect(state.raceLineup == .all)
        #expect(state.notice?.contains("every method") == true)
    }

    @Test("the flow-map family is the methods that jump over intervals")
    func theFlowMapFamilyJumpsOverIntervals() {
        #expect(RaceLineup.flowMap.methods == [.shortcut, .meanflow, .psd, .lsd, .alphaflow])
        #expect(RaceLineup.all.methods == Method.allCases)
    }
}

@Suite struct RacePanelSeriesTests {
    @Test("every one of the eight race panels draws its points in a series the canvas keeps")
    func everyRacePanelDrawsItsPoints() {
        var state = AppState(size: Size(width: 160, height: 48), method: .fm, dataset: "8gaussians")
        state.view = .race
        var snapshot = Snapshot(run: RunKey(state), focus: nil)
        let panel = sampleVisuals.compare[0]
        snapshot.race = RaceVisuals(
            steps: 1, bounds: sampleVisuals.bounds, noiseFloor: sampleVisuals.noiseFloor,
            panels: Method.allCases.map {
                .init(method: $0, label: "\($0.rawValue) K=1", points: panel.points, sw2: 0.1, iteration: 10)
            })
        _ = update(&state, .snapshot(snapshot))
        let figure = FigureBuilder(state: state).build()
        #expect(figure.panels.count == Method.allCases.count)
        for p in figure.panels {
            for layer in p.layers {
                if case .points(_, let series, let points) = layer {
                    #expect(series >= 1 && series < PlotCanvas.maxSeries, "\(p.header)")
                    #expect(!points.isEmpty)
                }
            }
        }
    }

    /// At a projector's 160 columns the race has four panels a row; a resting racer's footer says
    /// so in place of the floor, and keeps its iteration count whole.
    @Test func aRestingRacersFooterFitsItsPanelWithItsIteration() {
        var state = AppState(size: Size(width: 160, height: 48), method: .fm, dataset: "8gaussians")
        state.view = .race
        var snapshot = Snapshot(run: RunKey(state), focus: nil)
        let panel = sampleVisuals.compare[0]
        snapshot.race = RaceVisuals(
            steps: 1, bounds: sampleVisuals.bounds, noiseFloor: 0.167,
            panels: Method.allCases.map {
                .init(
                    method: $0, label: "\($0.rawValue) K=1", points: panel.points, sw2: 1.9, iteration: 4288,
                    resting: $0 == .fm)
            })
        _ = update(&state, .snapshot(snapshot))
        let text = view(state).text
        #expect(text.contains("SW2 1.900 resting  it 4288"))
        #expect(text.contains("SW2 1.900 (floor 0.167)  it 4288"))
    }
}
