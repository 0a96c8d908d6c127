/// A one-row chart of a series of values, one character per column.
///
/// With `n` values and `width` columns: if `n <= width` each value gets one column, left-aligned;
/// otherwise the values are split into `width` consecutive buckets (bucket `c` holds values
/// `floor(c * n / width) ..< floor((c + 1) * n / width)`) and each column shows its bucket's mean.
/// Non-finite values (and values <= 0 when `logarithmic`) are skipped; a column with nothing left
/// is a space. Columns are scaled to the min and max over all columns:
/// ```
/// level = round((v - min) / (max - min) * (levels.count - 1))     (level 0 when max == min)
/// ```
/// with levels `▁▂▃▄▅▆▇█`, or `_.-=#` in ASCII mode. Several sparklines that should be read on
/// one scale (the parts of one loss) take a shared `scale` instead (`sharedScale(_:width:)`).
public struct Sparkline: Sendable {
    /// The series, oldest first.
    public var values: [Float]
    /// Use ASCII levels `_.-=#`.
    public var ascii: Bool
    /// Scale by `log10(v)`; useful for losses spanning several orders of magnitude.
    public var logarithmic: Bool

    /// The column values that map to the lowest and the highest level (in log10 when
    /// `logarithmic`); nil scales to this sparkline's own columns.
    public var scale: ClosedRange<Float>?

    /// Creates a sparkline of `values`.
    public init(_ values: [Float], ascii: Bool = false, logarithmic: Bool = false, scale: ClosedRange<Float>? = nil) {
        self.values = values
        self.ascii = ascii
        self.logarithmic = logarithmic
        self.scale = scale
    }

    /// The range of the columns of all `lines` at `width` columns: one scale on which they are
    /// comparable (nil when none has a usable value).
    public static func sharedScale(_ lines: [Sparkline], width: Int) -> ClosedRange<Float>? {
        let finite = lines.flatMap { $0.columns(width: width).compactMap { $0 } }.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low...high
    }

    /// Unicode levels, lowest first.
    public static let blockLevels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// ASCII levels, lowest first.
    public static let asciiLevels: [Character] = ["_", ".", "-", "=", "#"]

    /// The column values: bucket means (nil where a bucket has no usable value); at most `width`.
    public func columns(width: Int) -> [Float?] {
        guard width > 0, !values.isEmpty else { return [] }
        let n = values.count
        let count = min(n, width)
        var result: [Float?] = []
        result.reserveCapacity(count)
        for column in 0..<count {
            let start = n <= width ? column : column * n / width
            let end = n <= width ? column + 1 : (column + 1) * n / width
            var sum: Float = 0
            var used = 0
            for value in values[start..<end] {
                guard value.isFinite, !logarithmic || value > 0 else { continue }
                sum += logarithmic ? Sparkline.log10(value) : value
                used += 1
            }
            result.append(used > 0 ? sum / Float(used) : nil)
        }
        return result
    }

    /// The sparkline as text, at most `width` characters (fewer when there are fewer values).
    public func text(width: Int) -> String {
        let columns = columns(width: width)
        guard let range = scale ?? Sparkline.sharedScale([self], width: width) else {
            return String(repeating: " ", count: columns.count)
        }
        let (low, high) = (range.lowerBound, range.upperBound)
        let levels = ascii ? Sparkline.asciiLevels : Sparkline.blockLevels
        let top = Float(levels.count - 1)
        return String(
            columns.map { value -> Character in
                guard let value, value.isFinite else { return " " }
                let fraction = high > low ? Double((value - low) / (high - low)) : 0
                guard fraction.isFinite else { return levels[0] }  // only when high - low overflows
                let level = Int(Rounding.round(fraction * Double(top)))
                return levels[min(max(level, 0), levels.count - 1)]
            })
    }

    /// Writes `text(width: rect.width)` into the first row of `rect`.
    public func render(into buffer: inout CellBuffer, in rect: Rect, style: Style = .plain) {
        guard !rect.isEmpty else { return }
        buffer.write(text(width: rect.width), at: rect.origin, style: style, clip: rect)
    }

    /// Base-10 logarithm from the stdlib only: exponent from the binary representation plus a
    /// short series for the mantissa (accurate to about 1e-6, plenty for a chart).
    static func log10(_ value: Float) -> Float {
        let exponent = Float(value.exponent)  // value = significand * 2^exponent, significand in [1, 2)
        let m = value.significand
        // ln(m) = 2 atanh(z), z = (m - 1) / (m + 1) in [0, 1/3)
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var term = z
        var series: Float = 0
        for k in stride(from: 1, through: 15, by: 2) {
            series += term / Float(k)
            term *= z2
        }
        let ln2: Float = 0.693_147_18
        let ln10: Float = 2.302_585_1
        return (exponent * ln2 + 2 * series) / ln10
    }
}
