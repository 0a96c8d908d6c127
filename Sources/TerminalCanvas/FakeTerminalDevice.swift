/// A scripted terminal for tests: keys and resizes come from a list, presented frames are kept.
///
/// ```swift
/// let device = FakeTerminalDevice(size: Size(width: 80, height: 24), keys: [.character("q")])
/// runApp(on: device)
/// #expect(device.presented.last?.lines.first == "…")
/// ```
/// When the script is used up, `nextKey` returns `whenExhausted` (`.none` by default); end app
/// scripts with a quit key so that a run loop stops.
public final class FakeTerminalDevice: TerminalDevice {
    /// One scripted step.
    public enum Event: Hashable, Sendable {
        /// `nextKey` returns this key.
        case key(Key)
        /// The size changes to this one and `nextKey` returns `.resize`.
        case resize(Size)
    }

    /// The current size; changed by `.resize` events or directly by a test.
    public var size: Size
    /// Steps not yet consumed, first next.
    public private(set) var pending: [Event]
    /// What `nextKey` returns once `pending` is empty.
    public var whenExhausted: Key
    /// Every frame passed to `present`, oldest first.
    public private(set) var presented: [CellBuffer] = []
    /// Every timeout passed to `nextKey`, oldest first.
    public private(set) var requestedTimeouts: [Duration] = []

    /// Creates a device of `size` that plays `events` in order.
    public init(size: Size, events: [Event], whenExhausted: Key = .none) {
        self.size = size
        self.pending = events
        self.whenExhausted = whenExhausted
    }

    /// Creates a device of `size` that returns `keys` in order.
    public convenience init(size: Size, keys: [Key] = [], whenExhausted: Key = .none) {
        self.init(size: size, events: keys.map { .key($0) }, whenExhausted: whenExhausted)
    }

    /// Records `buffer`.
    public func present(_ buffer: CellBuffer) {
        presented.append(buffer)
    }

    /// Returns the next scripted key (applying a scripted resize first), without waiting.
    public func nextKey(timeout: Duration) -> Key {
        requestedTimeouts.append(timeout)
        guard !pending.isEmpty else { return whenExhausted }
        switch pending.removeFirst() {
        case .key(let key):
            return key
        case .resize(let newSize):
            size = newSize
            return .resize
        }
    }

    /// Adds steps to the end of the script.
    public func enqueue(_ events: [Event]) {
        pending.append(contentsOf: events)
    }

    /// The text of the last presented frame (`CellBuffer.lines`), or `[]` before any frame.
    public var lastFrameLines: [String] { presented.last?.lines ?? [] }
}
