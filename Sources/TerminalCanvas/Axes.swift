/// Axis lines, ticks and tick labels drawn around a plot, outside its plot area.
///
/// Given an outer rectangle, the plot area (`plotRect(in:)`) leaves room for
/// ```
///   label │                       y labels right-aligned in the left `yLabelWidth` columns,
///   label ┤   plot area           then one column for the y axis line,
///         └──┬──────┬────         one row for the x axis line under the plot,
///            0     0.5            one row for the x labels.
/// ```
/// Tick values are "nice" numbers, 1, 2 or 5 times a power of ten (`niceTicks`), lying inside the
/// bounds. A tick at world value v sits on the cell that a `PlotCanvas` of the plot area would put
/// v in: column `plot.x + floor((v - xMin) / (xMax - xMin) * plot.width)`, row
/// `plot.y + floor((yMax - v) / (yMax - yMin) * plot.height)` (clamped to the last column / row).
/// Labels never overlap the plot area, so braille dots never merge with text.
public struct Axes: Sendable {
    /// The world rectangle the plot area shows.
    public var bounds: PlotBounds
    /// At most this many ticks on the x axis.
    public var maxXTicks: Int
    /// At most this many ticks on the y axis.
    public var maxYTicks: Int
    /// Draw with `| - +` instead of box-drawing characters.
    public var ascii: Bool
    /// Style of the axis lines and labels.
    public var style: Style

    /// Creates axes for `bounds`.
    public init(
        bounds: PlotBounds, maxXTicks: Int = 5, maxYTicks: Int = 5, ascii: Bool = false,
        style: Style = .plain
    ) {
        self.bounds = bounds
        self.maxXTicks = maxXTicks
        self.maxYTicks = maxYTicks
        self.ascii = ascii
        self.style = style
    }

    /// Axes for bounds that contain `data` and keep one world unit the same physical length across
    /// and down in the plot area these axes leave inside `rect` (see `PlotBounds.squared(toFit:)`).
    ///
    /// The plot area depends on the y-label width, which depends on the bounds, so this repeats
    /// "plot area -> squared bounds" until the bounds stop changing (at most 4 rounds). Then
    /// `spaceYTicksEvenly(in:)` rescales them a little so that the y ticks are evenly spaced on
    /// screen.
    public static func squared(
        fitting data: PlotBounds, in rect: Rect, cellAspect: Double = 2,
        maxXTicks: Int = 5, maxYTicks: Int = 5, ascii: Bool = false, style: Style = .plain
    ) -> Axes {
        var axes = Axes(
            bounds: data, maxXTicks: maxXTicks, maxYTicks: maxYTicks, ascii: ascii, style: style)
        for _ in 0..<4 {
            let next = data.squared(toFit: axes.plotRect(in: rect).size, cellAspect: cellAspect)
            if next == axes.bounds { break }
            axes.bounds = next
        }
        axes.spaceYTicksEvenly(in: rect)
        // New ticks can have wider labels and so a narrower plot: fit the x span to it again.
        let plot = axes.plotRect(in: rect)
        if plot.width > 0, plot.height > 0 {
            let half = axes.bounds.height * Double(plot.width) / (Double(plot.height) * cellAspect) / 2
            let cx = (axes.bounds.xMin + axes.bounds.xMax) / 2
            axes.bounds.xMin = cx - half
            axes.bounds.xMax = cx + half
        }
        return axes
    }

    /// The y tick step when set (`spaceYTicksEvenly(in:)`); nil uses `niceTicks`.
    public var yStep: Double?

    /// Chooses the y tick step and rescales the bounds so that the y ticks fall on evenly spaced rows
    /// of the plot area in `rect`, each in the middle of its row. Among steps m * 10^e (m in 1, 2, 5;
    /// else 2.5, 4) giving 2 to `maxYTicks` ticks, and a whole number of rows r per step, it takes the
    /// one needing the least rescaling s = (step / height * rows) / r, with s in [0.93, 1.15] (the
    /// bounds are padded, so a small shrink loses no data), preferring three ticks or more. Both
    /// axes scale about the centre by s, so the bounds stay square; then they shift up or down by
    /// less than a row. Unchanged when no step fits (a plot of one or two rows).
    public mutating func spaceYTicksEvenly(in rect: Rect) {
        let rows = Double(plotRect(in: rect).height)
        guard rows >= 2, bounds.isValid else { return }
        var best: (bounds: PlotBounds, step: Double, scale: Double, count: Int)?
        let first = Axes.candidateSteps(span: bounds.height, maxCount: maxYTicks).first?.exponent ?? 0
        // The nice steps 1, 2 and 5 first; 2.5 and 4 only where none of those fits.
        for mantissas in [[1.0, 2.0, 5.0], [2.5, 4.0]] where best == nil {
            for exponent in (first - 1)...(first + 3) {
                for mantissa in mantissas {
                    let step = Step(mantissa: mantissa, exponent: exponent).value
                    let rowsPerStep = step / bounds.height * rows
                    for whole in Set([Rounding.floor(rowsPerStep), Rounding.ceil(rowsPerStep)]) where whole >= 1 {
                        let scale = rowsPerStep / whole
                        guard scale >= 0.93, scale <= 1.15 else { continue }
                        let even = evenBounds(step: step, scale: scale, rows: rows)
                        let count = Axes.multiples(of: step, in: even.yMin...even.yMax).count
                        guard count >= 2, count <= maxYTicks else { continue }
                        let better =
                            best.map {
                                (count >= 3) != ($0.count >= 3) ? count >= 3 : abs(log2(scale)) < abs(log2($0.scale))
                            } ?? true
                        if better { best = (even, step, scale, count) }
                    }
                }
            }
        }
        guard let best else { return }
        bounds = best.bounds
        yStep = best.step
    }

    /// These bounds scaled about their centre by `scale`, then shifted by less than a row so that
    /// the multiples of `step` sit in the middle of their rows (of `rows`).
    private func evenBounds(step: Double, scale: Double, rows: Double) -> PlotBounds {
        let (cx, cy) = ((bounds.xMin + bounds.xMax) / 2, (bounds.yMin + bounds.yMax) / 2)
        let (halfWidth, halfHeight) = (bounds.width / 2 * scale, bounds.height / 2 * scale)
        var even = PlotBounds(xMin: cx - halfWidth, xMax: cx + halfWidth, yMin: cy - halfHeight, yMax: cy + halfHeight)
        // The row of the lowest multiple of the step, as a real number, moved to the middle of its row.
        let lowest = Rounding.ceil(even.yMin / step) * step
        let position = (even.yMax - lowest) / even.height * rows
        let shift = (Rounding.floor(position) + 0.5 - position) * even.height / rows
        even.yMax += shift
        even.yMin += shift
        return even
    }

    /// The multiples of `step` in `range`.
    static func multiples(of step: Double, in range: ClosedRange<Double>) -> [Double] {
        let first = Int(Rounding.ceil(range.lowerBound / step - 1e-9))
        let last = Int(Rounding.floor(range.upperBound / step + 1e-9))
        return first <= last ? (first...last).map { Double($0) * step } : []
    }

    /// `log2` from the stdlib only, precise enough to compare scales.
    private func log2(_ value: Double) -> Double { Double(value.exponent) + (value.significand - 1) }

    /// Tick values on the x axis.
    public var xTicks: [Double] { Axes.niceTicks(bounds.xMin, bounds.xMax, maxCount: maxXTicks) }
    /// Tick values on the y axis.
    public var yTicks: [Double] {
        guard let yStep, yStep > 0 else { return Axes.niceTicks(bounds.yMin, bounds.yMax, maxCount: maxYTicks) }
        return Axes.multiples(of: yStep, in: bounds.yMin...bounds.yMax)
    }

    /// The x tick labels, in tick order.
    public var xLabels: [String] { Axes.labels(for: xTicks) }
    /// The y tick labels, in tick order.
    public var yLabels: [String] { Axes.labels(for: yTicks) }

    /// Columns reserved left of the y axis for labels: the longest y label (at least 1).
    public var yLabelWidth: Int { max(1, yLabels.map(\.count).max() ?? 1) }

    /// The plot area inside `rect`: `rect` minus `yLabelWidth + 1` columns on the left and 2 rows at
    /// the bottom (never negative).
    public func plotRect(in rect: Rect) -> Rect {
        rect.inset(left: yLabelWidth + 1, bottom: 2)
    }

    /// Draws the axes and labels into `buffer` around the plot area of `rect`, and returns that
    /// plot area (the same as `plotRect(in:)`). Nothing is drawn inside the plot area.
    @discardableResult
    public func render(into buffer: inout CellBuffer, in rect: Rect) -> Rect {
        let plot = plotRect(in: rect)
        guard !plot.isEmpty else { return plot }
        let vertical: Character = ascii ? "|" : "│"
        let horizontal: Character = ascii ? "-" : "─"
        let yTick: Character = ascii ? "+" : "┤"
        let xTick: Character = ascii ? "+" : "┬"
        let corner: Character = ascii ? "+" : "└"
        let axisX = plot.x - 1
        let axisY = plot.maxY
        for row in plot.y..<plot.maxY { buffer[axisX, row] = Cell(vertical, style: style) }
        for column in plot.x..<plot.maxX { buffer[column, axisY] = Cell(horizontal, style: style) }
        buffer[axisX, axisY] = Cell(corner, style: style)

        for (value, label) in zip(yTicks, yLabels) {
            let row =
                plot.y + Axes.cellIndex(bounds.yMax - value, span: bounds.height, count: plot.height)
            buffer[axisX, row] = Cell(yTick, style: style)
            let labelArea = Rect(x: rect.x, y: row, width: axisX - rect.x, height: 1)
            buffer.write(label, in: labelArea, alignment: .right, style: style)
        }

        var freeFrom = rect.x  // first column a new x label may use
        let labelRow = axisY + 1
        for (value, label) in zip(xTicks, xLabels) {
            let column =
                plot.x + Axes.cellIndex(value - bounds.xMin, span: bounds.width, count: plot.width)
            buffer[column, axisY] = Cell(xTick, style: style)
            let start = min(max(column - (label.count - 1) / 2, rect.x), rect.maxX - label.count)
            guard start >= freeFrom, labelRow < rect.maxY else { continue }
            buffer.write(label, at: Point(x: start, y: labelRow), style: style, clip: rect)
            freeFrom = start + label.count + 1
        }
        return plot
    }

    /// `floor(offset / span * count)` clamped to `0 ..< count`.
    static func cellIndex(_ offset: Double, span: Double, count: Int) -> Int {
        guard span > 0, count > 0 else { return 0 }
        let index = Rounding.floor(offset / span * Double(count))
        guard index.isFinite else { return 0 }
        return min(max(Int(index), 0), count - 1)
    }

    // MARK: - Nice numbers

    /// Evenly spaced "nice" values inside `lower...upper`: multiples of a step `m * 10^e` with
    /// `m` in {1, 2, 5}, using the smallest such step that gives at most `maxCount` values.
    ///
    /// Examples: `0...1` with 6 ticks gives 0, 0.2, 0.4, 0.6, 0.8, 1; `-3.7...4.2` with 5 gives
    /// -2, 0, 2, 4. Non-finite or reversed bounds give `[]`; equal bounds give that one value.
    public static func niceTicks(_ lower: Double, _ upper: Double, maxCount: Int = 5) -> [Double] {
        guard lower.isFinite, upper.isFinite, lower <= upper, maxCount >= 1 else { return [] }
        if lower == upper { return [lower] }
        for step in candidateSteps(span: upper - lower, maxCount: maxCount) {
            let first = Rounding.ceil(lower / step.value - 1e-9)
            let last = Rounding.floor(upper / step.value + 1e-9)
            guard last - first + 1 <= Double(maxCount) else { continue }
            guard first <= last else { return [] }
            // Integer loop: a floating-point stride uses fma, which is in libm.
            return (Int(first)...Int(last)).map { step.multiple(Double($0)) }
        }
        return []
    }

    /// A step `mantissa * 10^exponent`, with `multiple(k) = k * step` computed so that negative
    /// exponents divide by an exact power of ten (0.2 * 3 gives 0.6, not 0.6000000000000001).
    struct Step {
        var mantissa: Double
        var exponent: Int
        var value: Double { exponent >= 0 ? mantissa * power(exponent) : mantissa / power(-exponent) }
        func multiple(_ k: Double) -> Double {
            exponent >= 0 ? k * mantissa * power(exponent) : k * mantissa / power(-exponent)
        }
    }

    /// Steps 1, 2, 5, 10, 20, 50, ... times `10^e`, starting at the largest power of ten not above
    /// `span / maxCount`.
    static func candidateSteps(span: Double, maxCount: Int) -> [Step] {
        let target = span / Double(max(1, maxCount))
        var exponent = 0
        while power(exponent) > target && exponent > -300 { exponent -= 1 }
        while power(exponent + 1) <= target && exponent < 300 { exponent += 1 }
        var steps: [Step] = []
        for e in exponent...(exponent + 3) {
            for m in [1.0, 2.0, 5.0] { steps.append(Step(mantissa: m, exponent: e)) }
        }
        return steps
    }

    /// `10^e` for `e` of either sign, by repeated multiplication.
    static func power(_ e: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(e) { result *= 10 }
        return e >= 0 ? result : 1 / result
    }

    /// Labels for evenly spaced `ticks`, all with the same number of decimals (enough for the
    /// spacing): `[0, 0.5, 1]` gives `["0.0", "0.5", "1.0"]`, `[-2, 0, 2]` gives `["-2", "0", "2"]`.
    public static func labels(for ticks: [Double]) -> [String] {
        guard ticks.count >= 2 else { return ticks.map { format($0, decimals: 0) } }
        let spacing = abs(ticks[1] - ticks[0])
        var decimals = 0
        while decimals < 12 {
            let scaled = spacing * power(decimals)
            if abs(scaled - Rounding.round(scaled)) < 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        return ticks.map { format($0, decimals: decimals) }
    }

    /// `value` with exactly `decimals` digits after the point, rounded half away from zero; never
    /// "-0". Falls back to Swift's description for magnitudes beyond 1e15.
    public static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        let scaled = Rounding.round(value * power(decimals))
        guard abs(scaled) < 1e15 else { return "\(value)" }
        let magnitude = Int(abs(scaled))
        var digits = String(magnitude)
        if decimals > 0 {
            if digits.count <= decimals {
                digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (scaled < 0 ? "-" : "") + digits
    }
}
