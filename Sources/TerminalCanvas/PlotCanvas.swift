/// A scatter / line canvas: maps world coordinates to dots and dots to characters.
///
/// **Coordinates.** The canvas covers `size` cells. In `mode` each cell holds
/// `mode.dotsPerCellX` x `mode.dotsPerCellY` dots, so the dot grid is `dotWidth = size.width *
/// dotsPerCellX` by `dotHeight = size.height * dotsPerCellY`, with dot (0, 0) at the top left. A
/// world point (x, y) inside `bounds` lands on
/// ```
/// column = floor((x - xMin) / (xMax - xMin) * dotWidth)    (x == xMax goes to dotWidth - 1)
/// row    = floor((yMax - y) / (yMax - yMin) * dotHeight)   (y == yMin goes to dotHeight - 1)
/// ```
/// so larger y is drawn higher up. Points outside `bounds`, and NaN or infinite points, are
/// dropped. To keep circles round, choose the bounds with `PlotBounds.squared(toFit:)`.
///
/// **Colour rule.** Up to `maxSeries` series (indices 0...7; others are ignored) share the
/// canvas. Each cell takes the style of the series with the most distinct dots in it; ties go to
/// the series with more hits (points or line dots drawn there, counting repeats), then to the
/// higher series index. In ASCII mode the same winner picks the glyph; in density mode the
/// shade shows all hits in the cell relative to the busiest cell.
///
/// **Markers.** `mark(x:y:series:)` puts a whole-cell marker (`●`, or `@` in ASCII mode) on the
/// cell a point falls in. A marker wins its cell over every dot, so a handful of special points
/// (the noise start of a path, the x_t on a trajectory) stays visible among many line dots; of
/// two markers in one cell the later one wins.
///
/// **Storage.** Two flat arrays indexed by `cell * maxSeries + series`: `UInt8` dot bits (braille
/// bit layout in braille mode, bit 0 = top / bit 1 = bottom in half-block mode, bit 0 otherwise)
/// and saturating `UInt16` hit counts. Plotting allocates nothing.
public struct PlotCanvas: Sendable {
    /// The number of series a canvas keeps apart (indices `0 ..< maxSeries`).
    public static let maxSeries = 8

    /// Size of the canvas in cells.
    public let size: Size
    /// How dots become characters.
    public let mode: PlotMode
    /// Dots across: `size.width * mode.dotsPerCellX`.
    public let dotWidth: Int
    /// Dots down: `size.height * mode.dotsPerCellY`.
    public let dotHeight: Int
    /// The world rectangle shown. Changing it affects later plotting only.
    public var bounds: PlotBounds {
        didSet { updateMapping() }
    }

    private var bits: [UInt8]
    private var hits: [UInt16]
    /// Per cell: the series of its marker plus one, or 0 for none.
    private var markers: [UInt8]
    // World -> dot: column = (x - originX) * scaleX, row = (originY - y) * scaleY.
    private var originX: Float = 0
    private var originY: Float = 0
    private var scaleX: Float = 0
    private var scaleY: Float = 0

    /// Creates an empty canvas of `size` cells showing `bounds`.
    public init(size: Size, mode: PlotMode = .braille, bounds: PlotBounds) {
        self.size = size
        self.mode = mode
        self.bounds = bounds
        dotWidth = size.width * mode.dotsPerCellX
        dotHeight = size.height * mode.dotsPerCellY
        bits = Array(repeating: 0, count: size.area * Self.maxSeries)
        hits = Array(repeating: 0, count: size.area * Self.maxSeries)
        markers = Array(repeating: 0, count: size.area)
        updateMapping()
    }

    private mutating func updateMapping() {
        guard bounds.isValid else {
            scaleX = 0
            scaleY = 0  // every point maps outside: nothing is drawn
            return
        }
        originX = Float(bounds.xMin)
        originY = Float(bounds.yMax)
        scaleX = Float(Double(dotWidth) / bounds.width)
        scaleY = Float(Double(dotHeight) / bounds.height)
    }

    /// Removes every dot; keeps size, mode and bounds.
    public mutating func clear() {
        bits.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        hits.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        markers.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    // MARK: - World to dots

    /// The dot (column, row) that world point (`x`, `y`) falls on, or nil when it is outside
    /// `bounds` or not finite. See the type's discussion for the formula.
    public func dot(x: Float, y: Float) -> (column: Int, row: Int)? {
        let fx = (x - originX) * scaleX
        let fy = (originY - y) * scaleY
        let w = Float(dotWidth)
        let h = Float(dotHeight)
        // NaN fails every comparison, so NaN and infinities are rejected here.
        guard fx >= 0, fx <= w, fy >= 0, fy <= h, scaleX > 0, scaleY > 0 else { return nil }
        return (min(Int(fx), dotWidth - 1), min(Int(fy), dotHeight - 1))
    }

    /// Turns on dot (`column`, `row`) for `series`; ignored outside the dot grid or for a series
    /// outside `0 ..< maxSeries`.
    public mutating func setDot(column: Int, row: Int, series: Int) {
        guard column >= 0, column < dotWidth, row >= 0, row < dotHeight,
            series >= 0, series < Self.maxSeries
        else { return }
        let cellX = column / mode.dotsPerCellX
        let cellY = row / mode.dotsPerCellY
        let index = (cellY * size.width + cellX) * Self.maxSeries + series
        bits[index] |= Self.bit(mode, column % mode.dotsPerCellX, row % mode.dotsPerCellY)
        if hits[index] < UInt16.max { hits[index] += 1 }
    }

    /// The dot bit for sub-position (`dx`, `dy`) inside a cell (braille: ISO/TR 11548-1 order).
    @inline(__always)
    static func bit(_ mode: PlotMode, _ dx: Int, _ dy: Int) -> UInt8 {
        switch mode {
        case .braille: brailleBits[dx &* 4 &+ dy]
        case .halfBlock: dy == 0 ? 0x01 : 0x02
        case .density, .ascii: 0x01
        }
    }

    /// Braille dot bits indexed by `column * 4 + row` within a cell:
    /// column 0 = dots 1, 2, 3, 7 = 0x01, 0x02, 0x04, 0x40; column 1 = dots 4, 5, 6, 8 = 0x08,
    /// 0x10, 0x20, 0x80.
    static let brailleBits: [UInt8] = [0x01, 0x02, 0x04, 0x40, 0x08, 0x10, 0x20, 0x80]

    // MARK: - Plotting

    /// Plots one world point for `series`; dropped when outside `bounds` or not finite.
    public mutating func plot(x: Float, y: Float, series: Int) {
        guard let (column, row) = dot(x: x, y: y) else { return }
        setDot(column: column, row: row, series: series)
    }

    /// Plots interleaved points `[x0, y0, x1, y1, ...]` (a row-major `[N, 2]` buffer) for
    /// `series`. An odd trailing value is ignored; points outside `bounds` or not finite are
    /// dropped.
    public mutating func plot(points: UnsafeBufferPointer<Float>, series: Int) {
        guard series >= 0, series < Self.maxSeries, scaleX > 0, scaleY > 0, size.area > 0 else {
            return
        }
        let pointCount = points.count / 2
        let w = Float(dotWidth)
        let h = Float(dotHeight)
        let perX = mode.dotsPerCellX
        let perY = mode.dotsPerCellY
        let cellsWide = size.width
        let (ox, oy, sx, sy) = (originX, originY, scaleX, scaleY)
        let mode = self.mode
        let lastColumn = dotWidth - 1
        let lastRow = dotHeight - 1
        bits.withUnsafeMutableBufferPointer { bits in
            hits.withUnsafeMutableBufferPointer { hits in
                for i in 0..<pointCount {
                    let fx = (points[2 &* i] - ox) * sx
                    let fy = (oy - points[2 &* i &+ 1]) * sy
                    guard fx >= 0, fx <= w, fy >= 0, fy <= h else { continue }
                    let column = min(Int(fx), lastColumn)
                    let row = min(Int(fy), lastRow)
                    let cellX = column / perX
                    let cellY = row / perY
                    let index = (cellY &* cellsWide &+ cellX) &* Self.maxSeries &+ series
                    bits[index] |= Self.bit(mode, column &- cellX &* perX, row &- cellY &* perY)
                    if hits[index] < UInt16.max { hits[index] &+= 1 }
                }
            }
        }
    }

    /// Plots interleaved points `[x0, y0, x1, y1, ...]` for `series`; see
    /// `plot(points: UnsafeBufferPointer<Float>, series:)`.
    public mutating func plot(points: [Float], series: Int) {
        points.withUnsafeBufferPointer { plot(points: $0, series: series) }
    }

    /// Puts a marker of `series` on the cell that world point (`x`, `y`) falls in (see the type's
    /// discussion); dropped when outside `bounds`, not finite, or for a series outside
    /// `0 ..< maxSeries`.
    public mutating func mark(x: Float, y: Float, series: Int) {
        guard series >= 0, series < Self.maxSeries, let (column, row) = dot(x: x, y: y) else { return }
        markers[(row / mode.dotsPerCellY) * size.width + column / mode.dotsPerCellX] = UInt8(series + 1)
    }

    /// Marks every point of interleaved `points` `[x0, y0, x1, y1, ...]`; see `mark(x:y:series:)`.
    public mutating func mark(points: [Float], series: Int) {
        for i in 0..<(points.count / 2) { mark(x: points[2 * i], y: points[2 * i + 1], series: series) }
    }

    /// The glyph of a marker: `●`, or `@` when `ascii`.
    public static func markerGlyph(ascii: Bool) -> Character { ascii ? "@" : "●" }

    /// Draws a straight segment between two world points for `series` (Bresenham in dot space).
    ///
    /// The segment is first clipped to `bounds` (Liang-Barsky), so a segment leaving the plot is
    /// cut at the edge; a segment with a NaN or infinite end is skipped.
    public mutating func line(from start: SIMD2<Float>, to end: SIMD2<Float>, series: Int) {
        guard scaleX > 0, scaleY > 0, dotWidth > 0, dotHeight > 0 else { return }
        // Continuous dot coordinates.
        var x0 = Double((start.x - originX) * scaleX)
        var y0 = Double((originY - start.y) * scaleY)
        var x1 = Double((end.x - originX) * scaleX)
        var y1 = Double((originY - end.y) * scaleY)
        guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite else { return }
        guard Self.clip(&x0, &y0, &x1, &y1, width: Double(dotWidth), height: Double(dotHeight))
        else { return }
        let c0 = min(Int(x0), dotWidth - 1)
        let r0 = min(Int(y0), dotHeight - 1)
        let c1 = min(Int(x1), dotWidth - 1)
        let r1 = min(Int(y1), dotHeight - 1)
        bresenham(c0, r0, c1, r1, series: series)
    }

    /// Draws segments through interleaved world points `[x0, y0, x1, y1, ...]` in order
    /// (a trajectory); a non-finite point breaks the line on both sides.
    public mutating func polyline(points: [Float], series: Int) {
        guard points.count >= 4 else {
            if points.count >= 2 { plot(x: points[0], y: points[1], series: series) }
            return
        }
        for i in 0..<(points.count / 2 - 1) {
            line(
                from: SIMD2(points[2 * i], points[2 * i + 1]),
                to: SIMD2(points[2 * i + 2], points[2 * i + 3]), series: series)
        }
    }

    private mutating func bresenham(_ c0: Int, _ r0: Int, _ c1: Int, _ r1: Int, series: Int) {
        let dx = abs(c1 - c0)
        let dy = -abs(r1 - r0)
        let stepX = c0 < c1 ? 1 : -1
        let stepY = r0 < r1 ? 1 : -1
        var error = dx + dy
        var column = c0
        var row = r0
        while true {
            setDot(column: column, row: row, series: series)
            if column == c1 && row == r1 { return }
            let twice = 2 * error
            if twice >= dy {
                error += dy
                column += stepX
            }
            if twice <= dx {
                error += dx
                row += stepY
            }
        }
    }

    /// Liang-Barsky: clips the segment to `[0, width] x [0, height]`; false when nothing is left.
    private static func clip(
        _ x0: inout Double, _ y0: inout Double, _ x1: inout Double, _ y1: inout Double,
        width: Double, height: Double
    ) -> Bool {
        let dx = x1 - x0
        let dy = y1 - y0
        var t0 = 0.0
        var t1 = 1.0
        for (p, q) in [(-dx, x0), (dx, width - x0), (-dy, y0), (dy, height - y0)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let t = q / p
                if p < 0 {
                    if t > t1 { return false }
                    t0 = max(t0, t)
                } else {
                    if t < t0 { return false }
                    t1 = min(t1, t)
                }
            }
        }
        let (sx, sy) = (x0, y0)
        x0 = sx + t0 * dx
        y0 = sy + t0 * dy
        x1 = sx + t1 * dx
        y1 = sy + t1 * dy
        return true
    }

    // MARK: - Rendering

    /// Draws the canvas into `buffer` with its top-left cell at `rect.origin`, covering at most
    /// `rect.size` (and at most `size`) cells, clipped to the buffer.
    ///
    /// Only cells holding at least one dot or a marker are written; empty cells keep what the buffer had, so
    /// clear or fill the area first when redrawing. A written cell keeps the background colour the
    /// buffer had there (a heat map under the dots) unless its series style sets one. Styles come from `palette.style(forSeries:)`,
    /// ASCII glyphs from `palette.glyph(forSeries:)`.
    public func render(into buffer: inout CellBuffer, at rect: Rect, palette: Palette) {
        let columns = min(rect.width, size.width)
        let rows = min(rect.height, size.height)
        guard columns > 0, rows > 0 else { return }
        let maxHits = mode == .density ? maxCellHits() : 0
        for cellY in 0..<rows {
            for cellX in 0..<columns {
                let cell = cellY * size.width + cellX
                if markers[cell] > 0 {
                    var style = palette.style(forSeries: Int(markers[cell]) - 1)
                    style.bold = true
                    if style.background == .default { style.background = buffer[rect.x + cellX, rect.y + cellY].style.background }
                    buffer[rect.x + cellX, rect.y + cellY] = Cell(Self.markerGlyph(ascii: mode.isASCII), style: style)
                    continue
                }
                let base = cell * Self.maxSeries
                var union: UInt8 = 0
                var totalHits = 0
                var winner = -1
                var winnerDots = 0
                var winnerHits = 0
                for series in 0..<Self.maxSeries {
                    let b = bits[base + series]
                    guard b != 0 else { continue }
                    let dots = b.nonzeroBitCount
                    let h = Int(hits[base + series])
                    union |= b
                    totalHits += h
                    if dots > winnerDots || (dots == winnerDots && h >= winnerHits) {
                        winner = series
                        winnerDots = dots
                        winnerHits = h
                    }
                }
                guard winner >= 0 else { continue }
                let glyph: Character
                switch mode {
                case .braille: glyph = Self.brailleGlyphs[Int(union)]
                case .halfBlock: glyph = union == 0x01 ? "▀" : union == 0x02 ? "▄" : "█"
                case .density:
                    let level = (4 * totalHits + maxHits - 1) / max(1, maxHits)
                    glyph = Self.shades[min(max(level, 1), 4)]
                case .ascii: glyph = palette.glyph(forSeries: winner)
                }
                var style = palette.style(forSeries: winner)
                if style.background == .default { style.background = buffer[rect.x + cellX, rect.y + cellY].style.background }
                buffer[rect.x + cellX, rect.y + cellY] = Cell(glyph, style: style)
            }
        }
    }

    /// The largest total hit count of any cell (for density shading).
    private func maxCellHits() -> Int {
        var best = 0
        for cell in 0..<size.area {
            var total = 0
            for series in 0..<Self.maxSeries { total += Int(hits[cell * Self.maxSeries + series]) }
            best = max(best, total)
        }
        return best
    }

    /// Density shades by level 0...4: ` ░▒▓█`; level = ceil(4 * cellHits / maxCellHits).
    static let shades: [Character] = [" ", "░", "▒", "▓", "█"]

    /// The 256 braille patterns, `U+2800 + bits`.
    static let brailleGlyphs: [Character] = (0..<256).map {
        Unicode.Scalar(UInt32(0x2800 + $0)).map(Character.init) ?? " "
    }
}
