import FlowCore
import Foundation
import TerminalCanvas

/// Records the UI as an asciicast v2 file (`--record FILE.cast`), from the cell buffer rather than
/// the terminal's bytes: a header line (`{"version": 2, "width": W, "height": H, ...}`), then one
/// JSON array per event, `[seconds, "o", text]` for output and `[seconds, "m", label]` for a
/// marker (one at each tour step), so `asciinema play` can jump from step to step.
///
/// The first frame is drawn whole; after it only the rows that changed are written, each as a
/// cursor move to the row and the row's cells with their styles (SGR codes). The file goes
/// through the one safe write path (``AtomicFile/Stream``) and appears when the UI ends.
public final class CastRecorder {
    private let stream: AtomicFile.Stream
    private var previous: CellBuffer?
    private var failure: (any Error)?
    /// The time of the last event written.
    private var lastSeconds = 0.0

    /// Starts `path`: checks it as every output is checked (never over one of `inputs`) and
    /// writes the header for a `size` terminal.
    public init(path: String, size: Size, inputs: [String] = [], now: Date = Date()) throws {
        stream = try AtomicFile.Stream(path: path, inputs: inputs)
        let header =
            "{\"version\": 2, \"width\": \(size.width), \"height\": \(size.height), \"timestamp\": \(Int(now.timeIntervalSince1970)), "
            + "\"title\": \"flow-explorer\", \"env\": {\"TERM\": \"xterm-256color\"}}\n"
        try stream.write(Data(header.utf8))
    }

    /// Records the frame `buffer` shown at `seconds` since the start.
    public func frame(_ buffer: CellBuffer, at seconds: Double) {
        var text = ""
        if previous?.size != buffer.size {
            text += "\u{1B}[8;\(buffer.height);\(buffer.width)t\u{1B}[0m\u{1B}[2J"
            previous = nil
        }
        for y in 0..<buffer.height where previous.map({ !Self.row(y, of: $0, equals: buffer) }) ?? true {
            text += "\u{1B}[\(y + 1);1H" + Self.ansi(row: y, of: buffer)
        }
        previous = buffer
        guard !text.isEmpty else { return }
        event(seconds, "o", text)
    }

    /// Records a marker (a tour step) at `seconds`.
    public func marker(_ label: String, at seconds: Double) { event(seconds, "m", label) }

    /// Writes the file in place; throws the first failed write, if any.
    public func finish() throws {
        if let failure { throw failure }
        try stream.commit()
    }

    /// Writes one event line. The run loop stamps a marker with the time of its last tick and a
    /// frame with the clock when it draws, so a marker can come a few milliseconds before the
    /// frame written ahead of it: an event is never stamped before the one before it.
    private func event(_ seconds: Double, _ kind: String, _ text: String) {
        guard failure == nil else { return }
        lastSeconds = max(lastSeconds, seconds)
        let line = "[\(String(format: "%.3f", lastSeconds)), \"\(kind)\", \(JSONString.quoted(text))]\n"
        do { try stream.write(Data(line.utf8)) } catch { failure = error }
    }

    private static func row(_ y: Int, of a: CellBuffer, equals b: CellBuffer) -> Bool {
        (0..<a.width).allSatisfy { a[$0, y] == b[$0, y] }
    }

    /// Row `y` of `buffer` as text with SGR codes where the style changes, reset at its end.
    static func ansi(row y: Int, of buffer: CellBuffer) -> String {
        var out = ""
        var style: Style?
        for x in 0..<buffer.width {
            let cell = buffer[x, y]
            if cell.style != style {
                out += sgr(cell.style)
                style = cell.style
            }
            out += cell.terminalScalar == cell.character.unicodeScalars.first ? String(cell.character) : "?"
        }
        return out + "\u{1B}[0m"
    }

    /// The SGR sequence that sets `style` from the default.
    static func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.reverse { codes.append("7") }
        if let code = color(style.foreground, base: 30) { codes.append(code) }
        if let code = color(style.background, base: 40) { codes.append(code) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    private static func color(_ color: Color, base: Int) -> String? {
        switch color {
        case .default: nil
        case .named(let named): String(base + Int(named.rawValue))
        case .indexed(let index): "\(base + 8);5;\(index)"
        }
    }
}
