import FlowCore
import Foundation
import TerminalCanvas

/// The tour panel (`t`): the step's place and title on its frame, its narration, and what it
/// waits for with the progress so far. It takes the loss panel's place on screens under 40 rows.
enum TourPanel {
    /// The panel's title: "Tour, step 3 of 12: 2. One Euler step lands on the mean (4 minutes)".
    static func title(_ state: AppState) -> String {
        guard let tour = state.tour else { return "" }
        return "Tour, step \(state.tourStep + 1) of \(tour.steps.count): \(tour.steps[state.tourStep].title)"
    }

    /// The keys, right-aligned on the panel's last row.
    static let keys = "n next · p back · t hides"

    /// The narration wrapped to `width` in at most `maximum` lines, then the progress of the
    /// step's `until:` line.
    static func lines(_ state: AppState, width: Int, maximum: Int) -> [String] {
        guard let tour = state.tour else { return [] }
        let step = tour.steps[state.tourStep]
        var lines =
            step.narration.isEmpty
            ? ["(no narration: press n for the next step)"]
            : wrapped(SafeText.escaped(step.narration, limit: Int.max, oneColumn: true), width: width, lines: maximum)
        if let until = step.until { lines.append(until.progress(at: state.snapshot?.iteration ?? 0)) }
        return lines
    }

    /// The most narration lines on `screen`: 6 from 40 rows, else 4.
    static func maximumLines(_ screen: Rect) -> Int { screen.height >= 40 ? 6 : 4 }

    /// Draws the panel with its `lines` (``lines(_:width:maximum:)`` at the panel's inner width
    /// less 2) in `rect`.
    static func draw(_ state: AppState, lines: [String], into buffer: inout CellBuffer, in rect: Rect) {
        let inner = Panel(
            title: SafeText.escaped(title(state), limit: Int.max, oneColumn: true), ascii: state.ascii,
            borderStyle: state.palette.frame, titleStyle: state.palette.title
        )
        .render(into: &buffer, in: rect)
        let shown = lines.prefix(inner.height)
        for (i, line) in shown.enumerated() {
            buffer.write(line, at: Point(x: inner.x + 1, y: inner.y + i), clip: inner)
        }
        // The keys on the last row where they fit beside its text.
        let last = Rect(x: inner.x, y: inner.y + inner.height - 1, width: inner.width - 1, height: 1)
        let keys = state.ascii ? Self.keys.replacingOccurrences(of: "·", with: "|") : Self.keys
        if (shown.last?.count ?? 0) + keys.count + 4 <= inner.width {
            buffer.write(keys, in: last, alignment: .right, style: Style(dim: state.palette != .monochrome))
        }
    }
}
