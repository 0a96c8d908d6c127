import FlowCore
import Foundation

/// The commands that reproduce what the UI shows, for a class to share: the `tui` command that
/// starts the same run, and the `train` + `render` pair that rebuilds the current picture
/// headless (shown in the help overlay, and in the status bar when there is room).
///
/// The UI's worker trains with the same `TrainingConfig` as `train` (same seed, same learning
/// rate, the same threads: all cores unless `--threads` says otherwise), so `train --iterations N`
/// reaches the weights of iteration N, and `render --seed S --count 1024` draws the same noise and
/// data as the UI's pictures. Consistency distillation first trains the UI's teacher (the method's
/// `teacherIterations`). The UI's run has no planned end (`TrainingConfig.makeOpenEnded()`), so the
/// train line carries the options that say so (`--ema-warmup true`, `--lr-decay false`,
/// `--curriculum-iterations`) where they differ from `train`'s defaults. A run started with
/// `--load` is described without it. After `f` the train lines are the rounds: the model up to
/// the first reflow, then one `train --reflow` per round from the one before, with the UI's pool
/// (``Snapshot/reflowStarts``).
public struct RunRecipe: Sendable, Equatable {
    /// Starts the same run in the UI, e.g. `flow-explorer tui --method shortcut --dataset moons --seed 0`.
    public var tui: String
    /// Trains the weights of the current iteration (two commands for cd: teacher, then student;
    /// none for the race).
    public var train: [String]
    /// Draws the current view from that checkpoint ("" for the race), with the flow-map view's
    /// highlighted cell when it is not (0, 1).
    public var render: String

    /// The recipe for `state` at the iteration of its newest snapshot.
    public init(_ state: AppState) {
        let seed = "--seed \(state.seed)"
        let lr = state.learningRate.map { " --lr \($0)" } ?? ""
        let threads = state.threads.map { " --threads \($0)" } ?? ""
        // A drawn set is trained from the file `W` writes.
        let name = state.dataset == AppState.drawnName ? AppState.drawnFileName : state.dataset
        let dataset = "--dataset \(Self.shellQuoted(SafeText.escaped(name, limit: 240)))"
        let method = state.method.rawValue
        let coupling = !state.racing && state.coupling == .ot && state.method.definition.supportsCoupling ? " --coupling ot" : ""
        tui = "flow-explorer tui --method \(method) \(dataset) \(seed)\(lr)\(threads)\(coupling)"
        if state.racing {
            // The race is what `tui` opens without --method; its view trains no single checkpoint,
            // and a racer trains as the method alone would (the lines below).
            let racers = state.raceLineup == .all ? "" : " --racers \(state.raceLineup.rawValue)"
            tui = "flow-explorer tui \(dataset) \(seed)\(lr)\(threads)\(racers)"
        }
        if state.view.showsRace {
            train = []
            render = ""
            return
        }
        let iteration = state.snapshot?.iteration ?? 0
        let file = state.checkpointFileName
        var lines: [String] = []
        var teacher = ""
        if let teacherMethod = state.method.definition.teacher {
            var teacherState = state
            teacherState.method = teacherMethod
            let teacherFile = teacherState.checkpointFileName
            lines.append(
                "flow-explorer train --method \(teacherMethod.rawValue) \(dataset) \(seed) --iterations "
                    + "\(state.method.definition.teacherIterations)\(threads)\(Self.openEnded(teacherMethod, learningRateGiven: false, asTeacher: true))"
                    + " --out \(teacherFile)")
            teacher = " --teacher \(teacherFile)"
        }
        let openEnded = Self.openEnded(state.method, learningRateGiven: state.learningRate != nil)
        let starts = state.method.definition.supportsReflow ? state.snapshot?.reflowStarts ?? [] : []
        // Round k's file; the last round's is the checkpoint `s` saves.
        func round(_ k: Int) -> String {
            k == starts.count ? file : file.replacingOccurrences(of: ".safetensors", with: "-round\(k).safetensors")
        }
        lines.append(
            "flow-explorer train --method \(method) \(dataset) \(seed) --iterations \(starts.first ?? iteration)\(lr)\(threads)"
                + "\(coupling)\(openEnded)\(teacher) --out \(round(0))")
        for k in starts.indices {
            let end = k + 1 < starts.count ? starts[k + 1] : iteration
            lines.append(
                "flow-explorer train --method \(method) --reflow \(round(k)) \(seed) --iterations \(end - starts[k])\(lr)\(threads)"
                    + "\(openEnded) --reflow-pairs \(TrainingWorker.reflowPairs) --out \(round(k + 1))")
        }
        train = lines
        let view = state.view.slug
        render = "flow-explorer render \(file) --view \(view) --steps \(state.steps) \(seed) --count 1024"
        if state.view == .flowMap, (state.flowMapStart, state.flowMapEnd) != (0, FlowMapError.divisions) {
            render += " --cell \(Self.gridTime(state.flowMapStart)),\(Self.gridTime(state.flowMapEnd))"
        }
    }

    /// A time of the flow-map grid as `render --cell` takes it: "0", "0.125", ..., "1".
    static func gridTime(_ index: Int) -> String {
        let value = Double(index) / Double(FlowMapError.divisions)
        return value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The train options that make `train` an open-ended run like the UI's ("" when none differ),
    /// as the teacher a student waits for when `asTeacher`.
    static func openEnded(_ method: Method, learningRateGiven: Bool, asTeacher: Bool = false) -> String {
        let planned = TrainingConfig(method: method)
        var open = planned
        open.makeOpenEnded(asTeacher: asTeacher)
        var options = ""
        if !learningRateGiven && open.learningRate != planned.learningRate { options += " --lr \(open.learningRate)" }
        if open.warmupIterations != planned.warmupIterations { options += " --warmup \(open.warmupIterations)" }
        if open.emaWarmup != planned.emaWarmup { options += " --ema-warmup \(open.emaWarmup)" }
        if open.emaDecay != planned.emaDecay { options += " --ema-decay \(open.emaDecay)" }
        if open.adamBeta2 != planned.adamBeta2 { options += " --adam-beta2 \(open.adamBeta2)" }
        if open.learningRateDecay != planned.learningRateDecay { options += " --lr-decay \(open.learningRateDecay)" }
        if let falloff = open.learningRateFalloff, falloff != planned.learningRateFalloff {
            options += " --lr-falloff \(falloff)"
        }
        if open.effectiveTargetWeights != planned.effectiveTargetWeights {
            options += " --target \(open.effectiveTargetWeights.rawValue)"
        }
        if open.velocityTarget != planned.velocityTarget { options += " --velocity-target \(open.velocityTarget.rawValue)" }
        if open.bootstrapFraction != planned.bootstrapFraction { options += " --bootstrap-fraction \(open.bootstrapFraction)" }
        if open.curriculumStart != planned.curriculumStart { options += " --curriculum-start \(open.curriculumStart)" }
        if let length = open.curriculumIterations, length != planned.curriculumIterations {
            options += " --curriculum-iterations \(length)"
        }
        if let length = open.alphaIterations, length != planned.alphaIterations { options += " --alpha-iterations \(length)" }
        return options
    }

    /// Every command in the order to run them (the race: its `tui` line alone).
    public var lines: [String] { [tui] + train + (render.isEmpty ? [] : [render]) }

    /// `text` as one shell word: unchanged when it holds only safe characters, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let safe = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./=+,:".contains($0) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
