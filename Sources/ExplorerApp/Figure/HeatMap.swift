import TerminalCanvas

/// A scalar field sampled on a grid of cells over a world rectangle, drawn under a plot's other
/// marks with a colour scale from 0 (dark) to `scale` (light).
public struct HeatMap: Sendable {
    /// Cells per row and rows of cells.
    public var columns: Int
    /// Rows of cells; row 0 is at `bounds.yMin`.
    public var rows: Int
    /// The rectangle the cells tile.
    public var bounds: PlotBounds
    /// One value per cell, row-major [rows, columns].
    public var values: [Float]
    /// The value of the lightest shade; larger values are drawn as it.
    public var scale: Float
    /// The darkest shade a finite value gets: 0 draws values near 0 like the empty background
    /// (a blank in ASCII); 1 keeps every cell visible, so the shape of the cells shows (the
    /// flow-map triangle).
    public var minimumLevel = 0

    /// The shade level 0..<levels of the value at world point (x, y), from `minimumLevel` at 0 to
    /// the last at `scale`, or nil outside the grid or where the value is not finite.
    public func level(x: Double, y: Double, levels: Int) -> Int? {
        let column = Int(((x - bounds.xMin) / bounds.width * Double(columns)).rounded(.down))
        let row = Int(((y - bounds.yMin) / bounds.height * Double(rows)).rounded(.down))
        guard (0..<columns).contains(column), (0..<rows).contains(row) else { return nil }
        let value = values[row * columns + column]
        guard value.isFinite, scale > 0 else { return nil }
        let floor = min(max(0, minimumLevel), levels - 1)
        return min(levels - 1, max(floor, floor + Int(Float(levels - floor) * value / scale)))
    }

    /// The centre of cell (column, row) in world coordinates.
    public func centre(column: Int, row: Int) -> (x: Double, y: Double) {
        (
            bounds.xMin + (Double(column) + 0.5) / Double(columns) * bounds.width,
            bounds.yMin + (Double(row) + 0.5) / Double(rows) * bounds.height
        )
    }
}

/// The shades of a heat map, from 0 (first) to the scale (last).
enum HeatShades {
    /// xterm-256 greys, dark to light (232 is nearly black, 250 light grey).
    static let greys: [UInt8] = [232, 234, 236, 238, 240, 242, 244, 246, 248, 250]
    /// Characters for terminals without 256 colours, light to dense.
    static let glyphs: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
    /// The SVG fill of `level` (0..<greys.count): the xterm grey's RGB.
    static func svgColor(level: Int) -> String {
        SVGExport.hex(SVGExport.xtermRGB(greys[min(max(level, 0), greys.count - 1)]))
    }
}
