import FlowCore
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// A UI state and a training session wired as the run loop and the worker thread wire them, on a
/// clock the test moves: no threads, no sleeps.
struct SessionDriver {
    var state: AppState
    let session: TrainingSession
    var now = 0.0
    /// The newest snapshot the session published.
    var last: Snapshot?

    init(_ state: AppState, pictureCount: Int = 128) {
        var state = state
        state.threads = 1
        self.state = state
        var settings = WorkerSettings()
        settings.pictureCount = pictureCount
        session = TrainingSession(settings: settings, truths: TruthCache(synchronous: true))
    }

    /// `count` turns of the worker, `seconds` apart on the test's clock; each published snapshot
    /// goes through `update` as the run loop's would.
    mutating func advance(_ count: Int, seconds: Double = 0.01) {
        for _ in 0..<count {
            if let snapshot = session.advance(request: WorkerRequest(state), now: now) { receive(snapshot) }
            now += seconds
        }
    }

    mutating func press(_ c: Character) { _ = update(&state, .key(.character(c))) }

    mutating func receive(_ snapshot: Snapshot) {
        last = snapshot
        _ = update(&state, .snapshot(snapshot))
    }

    /// The iterations the session has trained in its current run.
    var iteration: Int { session.snapshot.iteration }
}

@Suite struct TrainingSessionTests {
    @Test func eachTurnTrainsOneIterationAndThePicturesFollow() throws {
        var driver = SessionDriver(AppState(size: big, method: .fm, dataset: "moons"))
        driver.advance(40)
        #expect(driver.iteration == 40)
        driver.advance(2, seconds: 1)
        let visuals = try #require(driver.state.snapshot?.visuals)
        #expect(visuals.iteration > 0 && visuals.steps == 1 && !driver.state.snapshot!.losses.isEmpty)
    }

    @Test func plusReachesTheWorkerAsTheNextPicturesK() throws {
        var driver = SessionDriver(AppState(size: big, method: .shortcut, dataset: "moons"))
        driver.advance(3)
        driver.press("+")
        driver.press("+")
        driver.advance(2, seconds: 0.2)
        #expect(try #require(driver.state.snapshot?.visuals).steps == 4)
    }

    @Test func aNewRunKeyRestartsTheRunAndNothingElseDoes() {
        var driver = SessionDriver(AppState(size: big, method: .fm, dataset: "moons"))
        driver.advance(30)
        // A view, K, the speed: the same run trains on.
        driver.press("2")
        driver.press("+")
        driver.advance(10)
        #expect(driver.iteration == 40)
        // r: a new reset count, so a new run from iteration 0 with the same seed.
        driver.press("r")
        driver.advance(5)
        #expect(driver.iteration == 5 && driver.session.snapshot.run.resets == 1)
        // d: the next dataset.
        driver.press("d")
        driver.advance(3)
        #expect(driver.iteration == 3 && driver.session.snapshot.dataset == "checkerboard")
        #expect(driver.state.snapshot?.dataset == "checkerboard")
    }

    @Test func pausedItTrainsNothingAndFivePressesOfDotTrainExactlyFive() throws {
        var driver = SessionDriver(AppState(size: big, method: .fm, dataset: "8gaussians"))
        driver.advance(20)
        driver.press(" ")
        driver.advance(10)
        let paused = driver.iteration
        #expect(paused == 20 && driver.state.snapshot?.running == false)
        for _ in 0..<5 { driver.press(".") }
        driver.advance(20)
        #expect(driver.iteration == paused + 5)
        // The pictures are the live weights', made after the steps.
        let snapshot = try #require(driver.state.snapshot)
        #expect(snapshot.liveWeights && snapshot.visuals?.iteration == paused + 5)
        #expect(statusText(driver.state).contains("live weights"))
        // Resumed at full speed, they are the EMA weights' again.
        driver.press(" ")
        driver.advance(30, seconds: 0.02)
        #expect(driver.state.snapshot?.liveWeights == false)
    }

    @Test func theDotPausesARunningRunAndTakesOneStep() {
        var driver = SessionDriver(AppState(size: big, method: .fm, dataset: "8gaussians"))
        driver.advance(10)
        driver.press(".")
        driver.advance(10)
        #expect(driver.state.paused && driver.iteration == 11)
    }

    @Test func slowMotionTrainsAtItsRate() {
        var driver = SessionDriver(AppState(size: big, method: .fm, dataset: "8gaussians"))
        driver.press("<")
        driver.press("<")
        #expect(driver.state.speed == .ten && statusText(driver.state).contains("slow motion 10 it/s"))
        driver.advance(200, seconds: 0.01)  // two seconds
        #expect((19...21).contains(driver.iteration))
        driver.press(">")
        driver.press(">")
        #expect(driver.state.speed == .full)
        let before = driver.iteration
        driver.advance(50, seconds: 0.01)
        #expect(driver.iteration == before + 50)
    }

    @Test func theViewAsksOnlyForItsOwnPictures() throws {
        var driver = SessionDriver(AppState(size: big, method: .shortcut, dataset: "8gaussians"))
        driver.advance(2, seconds: 1)
        let samples = try #require(driver.state.snapshot?.visuals)
        #expect(samples.truth == nil && samples.consistency == nil && samples.flowMap == nil)
        driver.press("6")
        driver.advance(2, seconds: 1)
        let truth = try #require(driver.state.snapshot?.visuals)
        #expect(truth.truth != nil && truth.consistency == nil && truth.flowMap == nil)
        driver.press("7")
        driver.advance(2, seconds: 1)
        let flowMap = try #require(driver.state.snapshot?.visuals)
        #expect(flowMap.truth == nil && flowMap.flowMap != nil)
    }

    @Test func leavingTheRaceWithOneAndComingBackWithFiveKeepsEveryRacersIterations() throws {
        var race = AppState(size: big, method: .fm, dataset: "8gaussians")
        race.view = .race
        var driver = SessionDriver(race)
        driver.advance(20, seconds: 0.05)
        let panels = try #require(driver.state.snapshot?.race?.panels)
        #expect(panels.filter { !$0.points.isEmpty }.allSatisfy { $0.iteration > 0 })
        driver.press("1")
        driver.advance(10, seconds: 0.05)
        // The samples view of the fm racer, its model as it trains on (Race.teacherSteps a round while
        // cd waits for it as its teacher).
        #expect(driver.state.racing && driver.state.snapshot?.focus == .fm)
        #expect(driver.iteration == 30 * Race.teacherSteps && driver.state.snapshot?.visuals != nil)
        #expect(statusText(driver.state).hasPrefix(" race: fm"))
        driver.press("m")  // the next racer
        driver.advance(1)
        #expect(driver.state.snapshot?.method == .shortcut && driver.iteration == 31)
        driver.press("5")
        driver.advance(10, seconds: 0.05)
        #expect(driver.iteration == 41 * Race.teacherSteps && driver.session.snapshot.run.isRace)
        let after = try #require(driver.state.snapshot?.race?.panels)
        #expect(after.filter { !$0.points.isEmpty }.allSatisfy { $0.iteration > 30 })
        // m in the race view trains the method alone: a new run.
        driver.press("m")
        driver.advance(2)
        #expect(!driver.state.racing && driver.iteration == 2)
    }

    @Test func aDivergedRunStaysStoppedUntilAReset() throws {
        var state = AppState(size: big, method: .fm, dataset: "8gaussians")
        state.learningRate = 1e5  // diverges within a few iterations
        var driver = SessionDriver(state)
        driver.advance(200)
        let message = try #require(driver.state.snapshot?.divergence)
        let stopped = driver.iteration
        #expect(message.hasPrefix("training diverged at iteration \(stopped) (loss "))
        #expect(message.hasSuffix("press r to reset (try a lower --lr)"))
        #expect(driver.state.paused && driver.state.snapshot?.running == false)
        #expect(driver.state.snapshot?.losses.allSatisfy(\.isFinite) == true)
        // Space is refused with the message; the session trains nothing.
        driver.press(" ")
        driver.advance(20)
        #expect(driver.state.paused && driver.state.notice == message && driver.iteration == stopped)
        // A reset trains again from scratch: the same seed and rate diverge at the same iteration.
        driver.press("r")
        driver.advance(200)
        #expect(driver.state.snapshot?.divergence == message)
    }

    @Test func saveInTheRaceViewSaysToStudyOneRacerFirst() {
        var race = AppState(size: big, method: .fm, dataset: "8gaussians")
        race.view = .race
        var driver = SessionDriver(race)
        driver.advance(2)
        if let snapshot = driver.session.perform(.save(path: "unused.safetensors"), now: driver.now) { driver.receive(snapshot) }
        #expect(driver.state.notice == "s saves one method's run: press 1-4 to study one racer first")
    }
}
