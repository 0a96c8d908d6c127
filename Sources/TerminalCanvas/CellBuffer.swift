/// The screen in memory: `width` x `height` cells stored row-major.
///
/// Cell (x, y) lives at `cells[y * width + x]`, x = column from the left, y = row from the top.
/// Every write is clipped: reads outside the buffer return `Cell.blank`, writes outside it are
/// ignored, and text is cut at the buffer's (or the given rectangle's) edge. Nothing wraps.
///
/// Tests read a buffer back with `lines` (one `String` per row, full width, trailing spaces kept).
public struct CellBuffer: Hashable, Sendable {
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// Row-major cells, `width * height` of them.
    public private(set) var cells: [Cell]

    /// Creates a `size.width` x `size.height` buffer filled with `fill` (spaces by default).
    public init(size: Size, fill: Cell = .blank) {
        width = size.width
        height = size.height
        cells = Array(repeating: fill, count: size.area)
    }

    /// Creates a `width` x `height` buffer filled with `fill` (spaces by default).
    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.init(size: Size(width: width, height: height), fill: fill)
    }

    /// The buffer's size.
    public var size: Size { Size(width: width, height: height) }
    /// The whole buffer as a rectangle at (0, 0).
    public var bounds: Rect { Rect(size: size) }

    /// The cell at column `x`, row `y`. Reading outside returns `Cell.blank`; writing outside is
    /// ignored.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, x < width, y >= 0, y < height else { return .blank }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, x < width, y >= 0, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// The cell at `point`, with the same clipping as `self[x, y]`.
    public subscript(point: Point) -> Cell {
        get { self[point.x, point.y] }
        set { self[point.x, point.y] = newValue }
    }

    /// Writes `text` left to right starting at `point`, one character per column, clipped to the
    /// buffer and to `clip` when given. Newlines are not interpreted.
    ///
    /// Returns the column just after the last character (`point.x + text.count`), whether or not
    /// every character was visible, so callers can continue a line.
    @discardableResult
    public mutating func write(
        _ text: some StringProtocol, at point: Point, style: Style = .plain, clip: Rect? = nil
    ) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        let end = point.x + text.count
        guard point.y >= area.y, point.y < area.maxY else { return end }
        var column = point.x
        for character in text {
            if column >= area.maxX { break }
            if column >= area.x { cells[point.y * width + column] = Cell(character, style: style) }
            column += 1
        }
        return end
    }

    /// Writes one line of `text` inside `rect`'s first row, aligned as asked and cut to
    /// `rect.width` characters.
    public mutating func write(
        _ text: some StringProtocol, in rect: Rect, alignment: Alignment, style: Style = .plain
    ) {
        guard !rect.isEmpty else { return }
        let shown = text.count > rect.width ? String(text.prefix(rect.width)) : String(text)
        let slack = rect.width - shown.count
        let offset: Int
        switch alignment {
        case .left: offset = 0
        case .center: offset = slack / 2
        case .right: offset = slack
        }
        write(shown, at: Point(x: rect.x + offset, y: rect.y), style: style, clip: rect)
    }

    /// Horizontal placement of a line of text inside a rectangle.
    public enum Alignment: Sendable {
        /// Flush with the left edge.
        case left
        /// Centred; odd slack goes to the right.
        case center
        /// Flush with the right edge.
        case right
    }

    /// Sets every cell of `rect` (clipped to the buffer) to `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.y..<area.maxY {
            let start = row * width
            for column in area.x..<area.maxX { cells[start + column] = cell }
        }
    }

    /// Sets every cell of the buffer to `cell` (a space by default).
    public mutating func clear(with cell: Cell = .blank) {
        for index in cells.indices { cells[index] = cell }
    }

    /// Copies `other` into this buffer with its top-left corner at `origin`, clipped.
    public mutating func draw(_ other: CellBuffer, at origin: Point) {
        for row in 0..<other.height {
            for column in 0..<other.width {
                self[origin.x + column, origin.y + row] = other.cells[row * other.width + column]
            }
        }
    }

    /// The characters of each row as a string, full width (trailing spaces kept), styles dropped.
    public var lines: [String] {
        (0..<height).map { row in
            String(cells[(row * width)..<(row * width + width)].map(\.character))
        }
    }

    /// `lines` with trailing spaces removed from each row; handy for readable test expectations.
    public var trimmedLines: [String] {
        lines.map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// All rows joined with "\n" (full width, no trailing newline).
    public var text: String { lines.joined(separator: "\n") }
}

extension CellBuffer: CustomStringConvertible {
    /// The rows, each quoted on its own line, so a failing test shows the buffer legibly.
    public var description: String {
        lines.map { "\"\($0)\"" }.joined(separator: "\n")
    }
}
