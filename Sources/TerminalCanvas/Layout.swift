/// Splits a rectangle into consecutive bands (rows or columns) by fixed lengths, percentages and
/// flexible fill.
///
/// Along the split direction the usable length is `L = length - spacing * (n - 1)` (at least 0),
/// where `n` is the number of constraints. Lengths are handed out in three passes:
///
/// 1. `.fixed(k)` gets `k`, in order, while length remains;
/// 2. `.percent(p)` gets `floor(L * p / 100)`, in order, while length remains;
/// 3. `.fill(w)` bands share what is left in proportion to their weights `w`; the rounding
///    remainder goes one cell each to the first fill bands.
///
/// So when there is at least one `.fill`, the band lengths plus the spacing add up to the
/// rectangle's length exactly. Without one, any slack stays unused at the end. When the rectangle
/// is too small, later bands shrink first, down to 0: no length is ever negative. Across the split
/// direction every band has the rectangle's full extent. Every band lies inside the rectangle
/// (bands that get no room are empty and sit at its far edge).
public enum Layout {
    /// How long one band should be.
    public enum Constraint: Hashable, Sendable {
        /// Exactly this many cells (or what remains, if less).
        case fixed(Int)
        /// This percentage (0...100) of the usable length, rounded down.
        case percent(Int)
        /// A share of the remaining length proportional to the weight (default 1).
        case fill(Int = 1)
    }

    /// The direction along which bands are laid out.
    public enum Direction: Sendable {
        /// Bands side by side, left to right (columns).
        case horizontal
        /// Bands stacked top to bottom (rows).
        case vertical
    }

    /// The band lengths for `constraints` over `length` cells with `spacing` cells between bands.
    ///
    /// Every result is >= 0 and their sum is <= `max(0, length - spacing * (n - 1))`, with equality
    /// when some constraint is `.fill`.
    public static func lengths(_ constraints: [Constraint], total length: Int, spacing: Int = 0)
        -> [Int]
    {
        let count = constraints.count
        guard count > 0 else { return [] }
        let usable = max(0, length - max(0, spacing) * (count - 1))
        var result = Array(repeating: 0, count: count)
        var remaining = usable
        for (index, constraint) in constraints.enumerated() {
            if case .fixed(let k) = constraint {
                result[index] = min(max(0, k), remaining)
                remaining -= result[index]
            }
        }
        for (index, constraint) in constraints.enumerated() {
            if case .percent(let p) = constraint {
                result[index] = min(usable * min(max(0, p), 100) / 100, remaining)
                remaining -= result[index]
            }
        }
        // Weight of each band in the fill pass (0 for fixed and percent bands).
        var weights = constraints.map { constraint -> Int in
            if case .fill(let w) = constraint { return max(0, w) } else { return 0 }
        }
        let fillIndices = constraints.indices.filter {
            if case .fill = constraints[$0] { return true } else { return false }
        }
        guard !fillIndices.isEmpty else { return result }
        if weights.reduce(0, +) == 0 {
            for index in fillIndices { weights[index] = 1 }  // all weights 0: share equally
        }
        let totalWeight = weights.reduce(0, +)
        let pool = remaining
        var given = 0
        for index in fillIndices {
            result[index] = pool * weights[index] / totalWeight
            given += result[index]
        }
        var leftover = pool - given
        for index in fillIndices where leftover > 0 && weights[index] > 0 {
            result[index] += 1
            leftover -= 1
        }
        return result
    }

    /// Splits `rect` into one band per constraint, in order, along `direction`.
    ///
    /// Band `i` starts where band `i - 1` ends plus `spacing`; see the type's discussion for how the
    /// lengths are chosen.
    public static func split(
        _ rect: Rect, direction: Direction, _ constraints: [Constraint], spacing: Int = 0
    ) -> [Rect] {
        let along = direction == .horizontal ? rect.width : rect.height
        let sizes = lengths(constraints, total: along, spacing: spacing)
        let start = direction == .horizontal ? rect.x : rect.y
        let end = direction == .horizontal ? rect.maxX : rect.maxY
        var offset = start
        var rects: [Rect] = []
        rects.reserveCapacity(sizes.count)
        for size in sizes {
            offset = min(offset, end)  // spacing alone may not fit: keep empty bands inside `rect`
            switch direction {
            case .horizontal:
                rects.append(Rect(x: offset, y: rect.y, width: size, height: rect.height))
            case .vertical:
                rects.append(Rect(x: rect.x, y: offset, width: rect.width, height: size))
            }
            offset += size + max(0, spacing)
        }
        return rects
    }
}
