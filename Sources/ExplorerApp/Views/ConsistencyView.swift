/// Consistency: points x_t on exact paths of the data's flow, each joined to the model's jump to
/// the end from it (f(x_t, t) for a consistency model), with the self-consistency error.
struct ConsistencyView: ModelViewDefinition {
    let name = "Consistency"
    let needs = ViewNeeds.model(extras: [.consistency])

    func title(_ state: AppState, steps: Int) -> String { "Consistency: x_t -> f(x_t, t)" }

    func figure(_ context: FigureBuilder, _ v: Visuals, title: String, stale: String) -> Figure {
        guard let c = v.consistency else { return context.computingExactFlow(title) }
        let error = format(c.error, 3)
        let method = context.state.method
        let caption: String
        switch method.definition.jumpToEnd {
        case .consistencyFunction:
            caption = "self-consistency error mean|f(x_t,t)-x_1| = \(error); a perfect model maps every x_t on a path to its end"
        case .interval:
            caption = "one jump to the end x+(1-t)u(x,t,1-t) from every x_t; error mean|jump-x_1| = \(error)"
        case .eulerStep:
            caption =
                "\(method.rawValue) has no f(x_t,t): shown is the one-step jump x+(1-t)v, error \(error); press m for cd or ct"
        }
        return Figure(
            title: title,
            legend: [
                .init(series: 0, text: "exact path"), .init(series: 2, text: "x_t (t=0..15/16)", marker: true),
                .init(series: 1, text: "f(x_t, t)"),
            ],
            panels: context.single(
                v,
                [
                    .polylines(id: "true-paths", series: 0, c.paths),
                    .segments(id: "mappings", series: 1, from: c.points, to: c.predictions),
                    .points(id: "predictions", series: 1, c.predictions), .markers(id: "points", series: 2, c.points),
                ]),
            columns: 1, caption: caption)
    }
}
