import FlowCore
import TerminalCanvas

/// One view's picture as a description (docs/architecture.md, "One figure per view"): panels of point sets, polylines,
/// segments and heat cells over world coordinates, a legend and a caption. `FigureBuilder` makes
/// it from the app state; `FigureRenderer` draws it into terminal cells and `SVGExport` writes it
/// as SVG, so the terminal and the slides show the same thing with the same words.
public struct Figure: Sendable {
    /// The title in the view's border (and the SVG heading).
    public var title: String
    /// The legend above the panels: a series and its name.
    public var legend: [LegendEntry]
    /// The plots, in reading order.
    public var panels: [Panel]
    /// Panels per row of the grid.
    public var columns: Int
    /// The one-line caption under the view: what the student is looking at.
    public var caption: String
    /// Set while there is nothing to draw yet: the message shown in place of the panels.
    public var placeholder: [String]?

    /// One named series in the legend.
    public struct LegendEntry: Sendable, Equatable {
        /// The palette series of its marks.
        public var series: Int
        /// Its name.
        public var text: String
        /// The series is drawn as markers (`Layer.markers`): the legend shows a marker.
        public var marker = false
    }

    /// One plot with its own header and footer line.
    public struct Panel: Sendable {
        /// The line above the plot (a sampler or method name), in the colour of `headerSeries`.
        public var header: String?
        /// The series whose colour the header takes.
        public var headerSeries: Int = 0
        /// The line below the plot (its SW2, a probe's read-out).
        public var footer: String?
        /// The world rectangle the plot shows (squared to the plot's shape when drawn).
        public var bounds: PlotBounds
        /// What to draw, bottom layer first.
        public var layers: [Layer]
        /// Whether a world unit has the same length across and down: true for plots of points; a
        /// chart of times (the flow-map triangle) fills the terminal's plot area instead (an SVG
        /// plot area is square either way).
        public var squared = true
    }

    /// One kind of mark, each with the id of its SVG group.
    public enum Layer: Sendable {
        /// Points [N, 2] interleaved.
        case points(id: String, series: Int, [Float])
        /// A few special points [N, 2] interleaved, each drawn as a marker that stands out over
        /// every other mark (a whole cell in the terminal, a larger ringed dot in SVG).
        case markers(id: String, series: Int, [Float])
        /// Paths, each [x, y, x, y, ...]; a non-finite point breaks a path.
        case polylines(id: String, series: Int, [[Float]])
        /// Segments from `from[i]` to `to[i]`, both [N, 2] interleaved.
        case segments(id: String, series: Int, from: [Float], to: [Float])
        /// Cells of a scalar field (the heat map under the other layers).
        case heat(HeatMap)
    }

    /// A figure that only shows `lines` in the middle of the view.
    static func waiting(title: String, caption: String, lines: [String]) -> Figure {
        Figure(title: title, legend: [], panels: [], columns: 1, caption: caption, placeholder: lines)
    }
}

extension Figure.Layer {
    /// The circles of the layer that count towards `SVGExport.maxCircles` (points layers only;
    /// markers are few and always drawn).
    var circleCount: Int {
        if case .points(_, _, let points) = self { return points.count / 2 }
        return 0
    }
}
