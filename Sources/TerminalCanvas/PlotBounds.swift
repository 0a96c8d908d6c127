/// The world rectangle a plot shows: x in `xMin...xMax` (left to right), y in `yMin...yMax`
/// (bottom to top, so larger y is drawn higher up).
public struct PlotBounds: Hashable, Sendable {
    /// World x at the left edge.
    public var xMin: Double
    /// World x at the right edge.
    public var xMax: Double
    /// World y at the bottom edge.
    public var yMin: Double
    /// World y at the top edge.
    public var yMax: Double

    /// Creates bounds from the four edges.
    public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
        self.xMin = xMin
        self.xMax = xMax
        self.yMin = yMin
        self.yMax = yMax
    }

    /// Creates bounds from two closed ranges.
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>) {
        self.init(xMin: x.lowerBound, xMax: x.upperBound, yMin: y.lowerBound, yMax: y.upperBound)
    }

    /// `xMax - xMin`.
    public var width: Double { xMax - xMin }
    /// `yMax - yMin`.
    public var height: Double { yMax - yMin }

    /// True when all edges are finite and both spans are positive: only then can points be mapped.
    public var isValid: Bool {
        xMin.isFinite && xMax.isFinite && yMin.isFinite && yMax.isFinite && xMax > xMin && yMax > yMin
    }

    /// The smallest bounds holding every finite point of an interleaved `[x0, y0, x1, y1, ...]`
    /// buffer, grown by `padding` times the span on each side. Returns nil when no point is finite.
    ///
    /// A zero span (all x equal, or all y equal) is widened to 1 around the value.
    public static func enclosing(_ points: [Float], padding: Double = 0) -> PlotBounds? {
        var xMin = Double.infinity
        var xMax = -Double.infinity
        var yMin = Double.infinity
        var yMax = -Double.infinity
        var index = 0
        while index + 1 < points.count {
            let x = Double(points[index])
            let y = Double(points[index + 1])
            index += 2
            guard x.isFinite, y.isFinite else { continue }
            xMin = min(xMin, x)
            xMax = max(xMax, x)
            yMin = min(yMin, y)
            yMax = max(yMax, y)
        }
        guard xMin <= xMax else { return nil }
        if xMax == xMin {
            xMin -= 0.5
            xMax += 0.5
        }
        if yMax == yMin {
            yMin -= 0.5
            yMax += 0.5
        }
        let padX = (xMax - xMin) * padding
        let padY = (yMax - yMin) * padding
        return PlotBounds(xMin: xMin - padX, xMax: xMax + padX, yMin: yMin - padY, yMax: yMax + padY)
    }

    /// Bounds holding `self`, centred on it and widened along one axis, so that one world unit
    /// spans the same physical distance across and down when shown in `size` cells.
    ///
    /// A cell is `1` wide and `cellAspect` tall (default 2: a terminal cell is about twice as tall as
    /// wide). With `W = size.width`, `H = size.height`, the world units per physical unit are
    /// ```
    /// s = max(width / W, height / (H * cellAspect))
    /// ```
    /// and the result has `width = s * W`, `height = s * H * cellAspect`. Then a circle stays round:
    /// in braille a cell holds 2 x 4 dots, so a dot is `1/2` wide and `cellAspect/4 = 1/2` tall.
    /// An empty size or invalid bounds return `self` unchanged.
    public func squared(toFit size: Size, cellAspect: Double = 2) -> PlotBounds {
        guard size.width > 0, size.height > 0, isValid, cellAspect > 0, cellAspect.isFinite else {
            return self
        }
        let physicalWidth = Double(size.width)
        let physicalHeight = Double(size.height) * cellAspect
        let scale = max(width / physicalWidth, height / physicalHeight)
        let halfWidth = scale * physicalWidth / 2
        let halfHeight = scale * physicalHeight / 2
        let centerX = (xMin + xMax) / 2
        let centerY = (yMin + yMax) / 2
        return PlotBounds(
            xMin: centerX - halfWidth, xMax: centerX + halfWidth,
            yMin: centerY - halfHeight, yMax: centerY + halfHeight)
    }
}
