/// A bordered box with an optional title in its top border.
///
/// ```
/// ┌─ Samples ────┐      +- Samples ----+     (ascii: true)
/// │              │      |              |
/// └──────────────┘      +--------------+
/// ```
/// The title starts at column `rect.x + 2`, with one space either side, and is cut to its first
/// `rect.width - 6` characters so that at least one border cell stays on each side; a rectangle
/// narrower than 7 columns shows no title. The inner rectangle is `rect` inset by
/// one cell on every side.
public struct Panel: Sendable {
    /// Text shown in the top border; nil or empty for none.
    public var title: String?
    /// Draw with `+ - |` instead of box-drawing characters.
    public var ascii: Bool
    /// Style of the border.
    public var borderStyle: Style
    /// Style of the title.
    public var titleStyle: Style

    /// Creates a panel description.
    public init(
        title: String? = nil, ascii: Bool = false, borderStyle: Style = .plain,
        titleStyle: Style = Style(bold: true)
    ) {
        self.title = title
        self.ascii = ascii
        self.borderStyle = borderStyle
        self.titleStyle = titleStyle
    }

    /// The area inside the border: `rect.inset(by: 1)`.
    public func innerRect(of rect: Rect) -> Rect { rect.inset(by: 1) }

    /// Draws the border and title into `buffer` (clipped) and returns the inner rectangle.
    ///
    /// A rectangle narrower or shorter than 2 cells gets no border and an empty inner rectangle.
    /// The inside is not cleared.
    @discardableResult
    public func render(into buffer: inout CellBuffer, in rect: Rect) -> Rect {
        let inner = innerRect(of: rect)
        guard rect.width >= 2, rect.height >= 2 else { return inner }
        let horizontal: Character = ascii ? "-" : "─"
        let vertical: Character = ascii ? "|" : "│"
        let corners: [Character] = ascii ? ["+", "+", "+", "+"] : ["┌", "┐", "└", "┘"]
        let right = rect.maxX - 1
        let bottom = rect.maxY - 1
        for column in (rect.x + 1)..<right {
            buffer[column, rect.y] = Cell(horizontal, style: borderStyle)
            buffer[column, bottom] = Cell(horizontal, style: borderStyle)
        }
        for row in (rect.y + 1)..<bottom {
            buffer[rect.x, row] = Cell(vertical, style: borderStyle)
            buffer[right, row] = Cell(vertical, style: borderStyle)
        }
        buffer[rect.x, rect.y] = Cell(corners[0], style: borderStyle)
        buffer[right, rect.y] = Cell(corners[1], style: borderStyle)
        buffer[rect.x, bottom] = Cell(corners[2], style: borderStyle)
        buffer[right, bottom] = Cell(corners[3], style: borderStyle)

        // The title with its two spaces fits in columns x + 2 ..< maxX - 2 (room = width - 4).
        let room = rect.width - 4
        if let title, !title.isEmpty, room >= 3 {
            let shown = " " + String(title.prefix(room - 2)) + " "
            buffer.write(shown, at: Point(x: rect.x + 2, y: rect.y), style: titleStyle)
        }
        return inner
    }
}
