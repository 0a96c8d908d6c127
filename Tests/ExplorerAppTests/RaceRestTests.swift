import FlowCore
import Testing

@testable import ExplorerApp

/// Resting in the race (issue 18): a racer whose panel stopped getting better gives its rounds to
/// the others, and wakes when it gets better again.
@Suite struct RaceRestTests {
    func racer() throws -> Race.Racer {
        var config = TrainingConfig(method: .shortcut)
        config.width = 8
        config.threads = 1
        return Race.Racer(method: .shortcut, trainer: try Trainer(config: config, dataset: .toy(.moons)))
    }

    @Test func aRacerRestsOnlyAfterTwoWindowsWithoutGainAndWakesWhenItImproves() throws {
        let racer = try racer()
        let window = Race.restWindow
        // Falling fast: awake.
        for i in 0...(2 * window / 100) { racer.observe(iteration: 100 * i, sw2: 1 / Double(1 + i), steps: 1) }
        #expect(!racer.resting)
        // Flat for a whole window after that: resting.
        let flat = 1 / Double(1 + 2 * window / 100)
        for i in 1...(window / 100) { racer.observe(iteration: 2 * window + 100 * i, sw2: flat, steps: 1) }
        #expect(racer.resting)
        // Better by more than restGain: awake again.
        racer.observe(iteration: 3 * window + 100, sw2: flat * (1 - 2 * Race.restGain), steps: 1)
        #expect(!racer.resting)
        // A new K starts afresh, awake, and needs two windows of its own before it may rest.
        for i in 1...(window / 100) { racer.observe(iteration: 3 * window + 100 + 100 * i, sw2: flat, steps: 1) }
        #expect(racer.resting)
        racer.observe(iteration: 4 * window + 200, sw2: flat, steps: 4)
        #expect(!racer.resting)
        for i in 1...(window / 100) { racer.observe(iteration: 4 * window + 200 + 100 * i, sw2: flat, steps: 4) }
        #expect(!racer.resting)
    }

    @Test func aRestingRacerTrainsOneRoundInRestPeriodAndATeacherNeverRests() throws {
        let race = try Race(dataset: .toy(.moons), seed: 0, learningRate: nil, threads: 1, joinAfter: 1_000_000)
        for _ in 0..<3 { try race.step() }
        let shortcut = try #require(race.racer(.shortcut))
        let fm = try #require(race.racer(.fm))
        // Flat SW2 over two windows puts both to rest, but cd waits for fm as its teacher.
        for racer in [shortcut, fm] {
            for i in 0...(2 * Race.restWindow / 100) { racer.observe(iteration: 100 * i, sw2: 0.5, steps: 1) }
            #expect(racer.resting)
        }
        #expect(race.rests(shortcut) && !race.rests(fm))
        let (shortcutBefore, fmBefore) = (shortcut.trainer.iteration, fm.trainer.iteration)
        for _ in 0..<(4 * Race.restPeriod) { try race.step() }
        #expect(shortcut.trainer.iteration - shortcutBefore == 4)
        // fm is the teacher cd waits for: it keeps every round, with its extra steps.
        #expect(fm.trainer.iteration - fmBefore == 4 * Race.restPeriod * Race.teacherSteps)
    }

    @Test func noRacerRestsBeforeItsCurriculumEnds() throws {
        var config = TrainingConfig(method: .alphaflow)
        config.makeOpenEnded()
        config.width = 8
        config.threads = 1
        let racer = Race.Racer(method: .alphaflow, trainer: try Trainer(config: config, dataset: .toy(.moons)))
        let end = Method.alphaflow.definition.curriculumIterations(config)
        #expect(end == 2000)
        for i in 0..<(end / 100) { racer.observe(iteration: 100 * i, sw2: 0.5, steps: 1) }
        #expect(!racer.resting)
        racer.observe(iteration: end, sw2: 0.5, steps: 1)
        #expect(racer.resting)
    }
}
