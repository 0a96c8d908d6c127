/// One input event from a terminal, as a `TerminalDevice` reports it.
public enum Key: Hashable, Sendable {
    /// A printable character (letters, digits, space, `?`, `+`, `[` and so on).
    case character(Character)
    /// The Escape key on its own.
    case escape
    /// Tab.
    case tab
    /// Shift-Tab.
    case backTab
    /// Return / Enter.
    case enter
    /// Backspace or Delete-left.
    case backspace
    /// Arrow up.
    case up
    /// Arrow down.
    case down
    /// Arrow left.
    case left
    /// Arrow right.
    case right
    /// The terminal changed size; read `TerminalDevice.size` again.
    case resize
    /// Ctrl-C (delivered as a key when the device puts the terminal in raw mode).
    case ctrlC
    /// A mouse report (``Mouse``).
    case mouse(Mouse)
    /// No key arrived before the timeout.
    case none
    /// A key this enum has no case for, with the device's raw code.
    case other(Int32)
}
