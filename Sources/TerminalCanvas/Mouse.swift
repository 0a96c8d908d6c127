/// A mouse report: what happened, with which button, at which cell (0-based, from the top left).
///
/// Terminals send them as SGR reports (mode 1006) once asked to report presses, releases and
/// drags (mode 1002): `ESC [ < b ; x ; y M` for a press or drag and `... m` for a release, x and y
/// 1-based, b the button (0 left, 1 middle, 2 right) plus 32 while dragging, 64 and 65 for the wheel.
public struct Mouse: Hashable, Sendable {
    /// What the mouse did.
    public enum Action: Hashable, Sendable { case press, release, drag, wheelUp, wheelDown }

    public var action: Action
    /// 0 left, 1 middle, 2 right (0 for the wheel).
    public var button: Int
    /// The cell, 0-based.
    public var point: Point

    public init(action: Action, button: Int = 0, point: Point) {
        self.action = action
        self.button = button
        self.point = point
    }

    /// The report whose text after `ESC [ <` is `body` (e.g. "0;40;12M"), or nil when it is not one.
    public static func sgr(_ body: String) -> Mouse? {
        guard let last = body.last, last == "M" || last == "m" else { return nil }
        let numbers = body.dropLast().split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        guard numbers.count == 3, let b = numbers[0], let x = numbers[1], let y = numbers[2], x >= 1, y >= 1, b >= 0
        else { return nil }
        let point = Point(x: x - 1, y: y - 1)
        if b & 64 != 0 { return Mouse(action: b & 1 == 0 ? .wheelUp : .wheelDown, point: point) }
        let action: Action = last == "m" ? .release : b & 32 != 0 ? .drag : .press
        return Mouse(action: action, button: b & 3, point: point)
    }
}
