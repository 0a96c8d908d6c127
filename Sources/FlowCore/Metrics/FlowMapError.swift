/// The flow-map error of a model against the exact flow, the referee of the flow-map lab
/// (DESIGN.md 3.7; `eval --truth`, the UI's flow-map view): for start and end times s < t on a grid
/// of `divisions` equal parts of [0, 1] (eighths: 8 * 9 / 2 = 36 cells),
/// ```
/// error(s, t) = E |X_model(x_s, s, t) - X*(x_s, s, t)|   over x_s on exact paths,
/// ```
/// where x_s is an exact path's state at s and X*(x_s, s, t) the same path's state at t (the exact
/// map composes along its paths). The model's map is ``Model/flowMap(_:from:to:rows:into:)``: one
/// Euler step for a velocity, x + (t - s) u(x, s, t - s) for an interval network, and f(x, s) for
/// a consistency model, which has the cells with t = 1 only. At (0, 1) the cell is the one-jump
/// (K = 1) error of the main sampler, on these paths' noise; at (s, 1) it is the self-consistency
/// error at time s.
public struct FlowMapError: Sendable, Equatable {
    /// One (s, t) cell: s = start / divisions, t = end / divisions.
    public struct Cell: Sendable, Equatable {
        /// The index of s on the grid, 0..<divisions.
        public var start: Int
        /// The index of t on the grid, start + 1...divisions.
        public var end: Int
        /// Mean |X_model(x_s, s, t) - X*(x_s, s, t)| over the paths.
        public var error: Double
    }

    /// The parts of [0, 1] the times lie on.
    public var divisions: Int
    /// The exact paths the errors are averaged over.
    public var paths: Int
    /// The cells the model has, by s, then t: every s < t on the grid, or only t = 1.
    public var cells: [Cell]

    /// Eighths: the grid of `eval --truth` and the flow-map view.
    public static let divisions = 8

    /// The error of `map` along exact paths: `frames` are their states [paths, 2] at
    /// t = i / divisions, i = 0...divisions (``GroundTruth/flowMapFrames``).
    public static func evaluate(_ map: some FlowMapping, frames: [[Float]]) -> FlowMapError {
        let divisions = frames.count - 1
        precondition(divisions >= 1)
        let rows = frames[0].count / 2
        var cells: [Cell] = []
        var out = [Float](repeating: 0, count: 2 * rows)
        for i in 0..<divisions {
            for j in (i + 1)...divisions {
                let s = Float(i) / Float(divisions)
                let t = Float(j) / Float(divisions)
                guard map.hasFlowMap(from: s, to: t) else { continue }
                frames[i].withUnsafeBufferPointer { x in
                    out.withUnsafeMutableBufferPointer { o in
                        map.flowMap(x.baseAddress!, from: s, to: t, rows: rows, into: o.baseAddress!)
                    }
                }
                cells.append(Cell(start: i, end: j, error: meanDistance(out, frames[j])))
            }
        }
        return FlowMapError(divisions: divisions, paths: rows, cells: cells)
    }

    /// s of a cell, start / divisions.
    public func s(_ cell: Cell) -> Double { Double(cell.start) / Double(divisions) }

    /// t of a cell, end / divisions.
    public func t(_ cell: Cell) -> Double { Double(cell.end) / Double(divisions) }

    /// The cell from grid time `start` to `end`, if the model has it.
    public func cell(from start: Int, to end: Int) -> Cell? {
        cells.first { $0.start == start && $0.end == end }
    }

    /// Whether every error is finite.
    public var isFinite: Bool { cells.allSatisfy { $0.error.isFinite } }
}
