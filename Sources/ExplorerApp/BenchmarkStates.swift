import FlowCore
import TerminalCanvas

// The app states whose frames `flow-explorer bench` times.

/// The frame that `flow-explorer bench` times as frame_ms: the compare view of an untrained
/// shortcut model on moons at 200x60, with 4,096 points per panel, K = 2.
public func benchmarkCompareState() -> AppState {
    let dataset = Dataset.toy(.moons)
    let model = untrainedShortcutModel()
    var snapshot = Snapshot(method: .shortcut, dataset: "moons", seed: 0)
    snapshot.visuals = VisualsBuilder(dataset: dataset, count: 4096, seed: 1).build(
        model: model, method: .shortcut, steps: 2, iteration: 0)
    var state = AppState(size: Size(width: 200, height: 60), method: .shortcut, dataset: "moons")
    state.snapshot = snapshot
    state.steps = 2
    state.view = .compare
    return state
}

/// The truth view of an untrained shortcut model on moons at 120x40, at the first K of `steps`,
/// with its probe read, and for each K the time its heat map took to make from the model (what a
/// new snapshot costs the worker; the exact flow itself is computed once and is not counted).
public func benchmarkTruthState(steps: [Int]) -> (state: AppState, heatMapSeconds: [Double]) {
    let dataset = Dataset.toy(.moons)
    let model = untrainedShortcutModel()
    let builder = VisualsBuilder(dataset: dataset, count: 1024, seed: 0)
    let field = TruthField(dataset: dataset, seed: 0, bounds: builder.bounds)
    var visuals = builder.build(model: model, method: .shortcut, steps: steps[0], iteration: 0)
    var seconds: [Double] = []
    for k in steps {
        let start = ContinuousClock.now
        let truth = builder.truthVisual(field, model: model, sampler: Method.shortcut.definition.mainSampler, steps: k)
        let elapsed = ContinuousClock.now - start
        seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        if k == steps[0] { visuals.truth = truth }
    }
    var snapshot = Snapshot(method: .shortcut, dataset: "moons", seed: 0)
    snapshot.visuals = visuals
    var state = AppState(size: Size(width: 120, height: 40), method: .shortcut, dataset: "moons")
    state.snapshot = snapshot
    state.steps = steps[0]
    state.view = .truth
    state.probeReading = visuals.truth.map { ProbeReading(truth: $0, start: state.probe) }
    return (state, seconds)
}

/// A shortcut network of the default shape with its initial weights (seed 1).
private func untrainedShortcutModel() -> Model {
    let shape = TrainingConfig(method: .shortcut).shape
    var rng = SplitMix64(seed: 1)
    return Model(method: .shortcut, shape: shape, parameters: Network(shape: shape).initialParameters(rng: &rng))
}

/// What one snapshot of the compare view costs the training worker, in milliseconds (medians of
/// `repeats` runs): `snapshot` the whole `VisualsBuilder.build` of an untrained shortcut model on
/// moons at the UI's points per picture (``WorkerSettings/pictureCount``) and K = 1 (both samplers,
/// the paths, the straightness, the SW2 of both panels); `sw2` one panel's SW2 alone (the race
/// computes one per method).
public func benchmarkSnapshotMilliseconds(repeats: Int = 5) -> (snapshot: Double, sw2: Double) {
    let dataset = Dataset.toy(.moons)
    let model = untrainedShortcutModel()
    let count = WorkerSettings().pictureCount
    let builder = VisualsBuilder(dataset: dataset, count: count, seed: 0)
    func milliseconds(_ work: () -> Void) -> Double {
        let times = (0..<repeats).map { _ in
            let start = ContinuousClock.now
            work()
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
        }
        return times.sorted()[times.count / 2]
    }
    var visuals: Visuals?
    let snapshot = milliseconds { visuals = builder.build(model: model, method: .shortcut, steps: 1, iteration: 0) }
    let points = visuals?.compare.first?.points ?? builder.noise
    let sw2 = milliseconds { _ = VisualsBuilder.metric.distance(points, to: builder.dataReference) }
    return (snapshot, sw2)
}
