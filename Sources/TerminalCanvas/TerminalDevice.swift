/// The only interface between the app and a real terminal: its size, showing a frame, and
/// reading keys.
///
/// Implementations: `NcursesDevice` (in the `NcursesTerminal` target) and `FakeTerminalDevice`
/// (here, for tests). A device is used from one thread only, the UI thread; ncurses is not
/// thread-safe.
public protocol TerminalDevice: AnyObject {
    /// The current size in cells (columns x rows). It changes after a `.resize` key.
    var size: Size { get }

    /// Shows `buffer` on the terminal, replacing the previous frame. A buffer whose size differs
    /// from `size` is clipped or padded with blanks.
    func present(_ buffer: CellBuffer)

    /// Waits at most `timeout` for a key and returns it, or `.none` when none came.
    /// A zero timeout polls without waiting.
    func nextKey(timeout: Duration) -> Key
}
