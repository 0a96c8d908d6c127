import FlowCore
import TerminalCanvas

/// The `i` panel: what the network on screen is minimising, from the method's own definition
/// (``MethodDefinition/lossFormula``, the text `train --help` prints), and what the numbers on
/// screen mean (issue 16).
enum InfoPanel {
    /// The panel's lines at `width` columns: the method (every method's summary in the race), its
    /// loss and sampler, then the numbers the screen shows.
    static func lines(_ state: AppState, width: Int) -> [String] {
        func paragraph(_ text: String, indent: String = "") -> [String] {
            wrapped(text, width: width - indent.count, lines: 8).map { indent + $0 }
        }
        var lines: [String] = []
        if state.view.showsRace {
            lines += paragraph("The race: every method of the lineup, trained in turn, sampled from the same noise at K.")
            for method in state.raceLineup.methods { lines += paragraph(method.definition.summary, indent: "  ") }
        } else {
            let d = state.method.definition
            lines += paragraph(d.summary)
            lines.append("")
            lines.append("Loss it minimises (sg: no gradient through it):")
            for line in d.lossFormula { lines += paragraph(line, indent: "  ") }
            // The run on screen: a racer another racer distils from is a teacher; the race takes independent pairs.
            var run = TrainingConfig.openEnded(
                state.method, seed: state.seed, learningRate: nil, threads: nil,
                asTeacher: state.racing && state.raceLineup.teaches(state.method))
            if !state.racing { run.coupling = state.coupling }
            if run.usesBatchVelocity {
                lines += paragraph(
                    "This run puts the batch's own velocity at x_t in place of x1 - x0: the mean of x1 - x0 over the batch's"
                        + " data points, weighted by how likely each made x_t (the stable target field; train --velocity-target batch)."
                )
            }
            lines += paragraph("Sampler: \(d.samplerFormula)")
            if let parts = d.lossParts {
                lines += paragraph("The loss panel draws the total and its two parts, \(parts.first) and \(parts.second).")
            }
        }
        lines.append("")
        lines += paragraph(
            "SW2: the sliced Wasserstein-2 distance from the samples to the data, lower is better. The floor is the SW2 between two"
                + " data sets of the same size: a perfect model reads about that, so 0.10 beside a floor of 0.07 is good.")
        lines += paragraph(
            "S: straightness, the mean squared gap between a path's velocity and its straight line from start to end; 0 means"
                + " every path is straight and one Euler step is exact.")
        lines += paragraph(
            "A flow-matching loss does not fall to 0: its target x1 - x0 is random given x_t, so the least loss is that spread"
                + " (about 2.8 on 8gaussians), and a good model sits on that floor. The batch's velocity averages most of that"
                + " spread away first: the same field, a loss near 0.1.")
        return lines
    }

    /// Draws the panel centred over `screen`.
    static func draw(_ state: AppState, into buffer: inout CellBuffer, in screen: Rect) {
        let width = min(screen.width, 100)
        let lines = Array(Self.lines(state, width: width - 6).prefix(max(1, screen.height - 4)))
        let rect = screen.centered(Size(width: width, height: lines.count + 4))
        buffer.fill(rect)
        let title = "What is being trained: \(state.view.showsRace ? "the race" : state.method.definition.title) (i closes)"
        let inner = Panel(title: title, ascii: state.ascii, borderStyle: state.palette.frame, titleStyle: state.palette.title)
            .render(into: &buffer, in: rect)
        for (i, line) in lines.enumerated() {
            buffer.write(line, at: Point(x: inner.x + 2, y: inner.y + 1 + i), clip: inner)
        }
    }
}
