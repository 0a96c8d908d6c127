/// Samples: the data against the model's samples after K steps of its main sampler; `[` and `]`
/// scrub t, showing the data's x_t against the sampler's state at that time.
struct SamplesView: ModelViewDefinition {
    let name = "Samples"
    let needs = ViewNeeds.model(extras: [])

    func title(_ state: AppState, steps: Int) -> String { "Samples: data vs model" }

    func figure(_ context: FigureBuilder, _ v: Visuals, title: String, stale: String) -> Figure {
        let state = context.state
        let frameIndex = v.frameIndex(at: state.t)
        let modelT = Double(frameIndex) / Double(max(1, v.frames.count - 1))
        let end = state.tIndex == AppState.tDivisions
        let n = v.data.count / 2
        let caption =
            end
            ? "\(n) data points vs \(n) samples of the model after K=\(v.steps) \(v.sampler.name) steps from noise (it \(v.iteration))"
            : "t=\(format(state.t, 2)): data x_t=(1-t)x0+t*x1 vs the model's \(v.sampler.name) state at t=\(format(modelT, 2)) (K=\(v.steps))"
        return Figure(
            title: title,
            legend: [
                .init(series: 0, text: end ? "data" : "data x_t"),
                .init(series: 1, text: "model (\(v.sampler.name) K=\(v.steps))"),
            ],
            panels: context.single(
                v, [.points(id: "data", series: 0, v.data(at: state.t)), .points(id: "model", series: 1, v.frames[frameIndex])]),
            columns: 1, caption: caption + stale)
    }
}
