import CNcurses
import TerminalCanvas

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real terminal, through ncursesw: the only type in the package that calls ncurses.
///
/// Lifecycle: `init` sets the locale (`setlocale(LC_CTYPE, "")`, so wide characters such as
/// braille print), installs signal handlers that restore the terminal on SIGTERM, SIGHUP, SIGINT,
/// SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF (exit status
/// 128 + signal) and crashes (see `shim.h`), then enters curses mode: raw input (Ctrl-C and Ctrl-Z arrive
/// as keys), no echo, keypad on, cursor hidden, and unless told otherwise mouse reports on (SGR,
/// presses, releases and drags; ``Mouse``). `shutdown()` (also run at exit, and the signal
/// handlers) switches them off and restores the terminal. Use from one thread only: ncurses is not thread-safe.
///
/// Colours: 256 colours when the terminal has them, else the 8 basic ones, else none; `NO_COLOR`
/// (set and non-empty) turns colour off. `colorTier` says which, so the app can pick a `Palette`.
public final class NcursesDevice: TerminalDevice {
    /// How many colours frames are drawn with.
    public enum ColorTier: Sendable { case color256, color8, monochrome }

    /// The colour tier chosen at start.
    public let colorTier: ColorTier
    private let window: UnsafeMutablePointer<WINDOW>
    private var pairs: [PairKey: Int16] = [:]
    private var nextPair: Int16 = 1
    private let maxPairs: Int
    private var closed = false
    private let boldAttr = cn_a_bold(), dimAttr = cn_a_dim(), reverseAttr = cn_a_reverse()

    private struct PairKey: Hashable {
        var foreground: Int16
        var background: Int16
    }

    /// The largest terminal the app draws on: a bigger one (or `LINES` / `COLUMNS` beyond it)
    /// is used up to this size, so that no frame buffer grows past 500,000 cells.
    public static let maximumSize = Size(width: 1000, height: 500)

    /// Installs the signal handlers of `shim.h` without entering curses mode, for the command
    /// line: each handled signal runs `cleanup` (which must be async-signal-safe, e.g. remove
    /// temporary files) and exits with 128 + signal, quietly; after `init` they also restore the
    /// terminal. With `keepIgnored`, signals the parent process ignores (nohup) stay ignored.
    public static func installSignalHandlers(cleanup: (@convention(c) () -> Void)?, keepIgnored: Bool) {
        cn_set_cleanup(cleanup)
        cn_install_signal_handlers(keepIgnored ? 1 : 0)
    }

    /// Enters curses mode on the controlling terminal. Returns nil when the terminal cannot be
    /// initialised (for example `TERM` is unset or unknown). `LINES` and `COLUMNS` beyond
    /// `maximumSize` are lowered to it before ncurses reads them.
    public init?(environment: [String: String], mouse: Bool = true) {
        setlocale(LC_CTYPE, "")
        cn_install_signal_handlers(0)
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb" else { return nil }
        for (name, limit) in [("LINES", Self.maximumSize.height), ("COLUMNS", Self.maximumSize.width)] {
            if let value = environment[name], let number = Int(value), number > limit {
                setenv(name, String(limit), 1)
            }
        }
        // newterm fails softly where initscr would exit the process.
        guard let window = cn_start() else { return nil }
        self.window = window
        cn_set_active(1)
        raw()
        noecho()
        nonl()
        keypad(window, true)
        _ = curs_set(0)
        _ = set_escdelay(25)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            colorTier = cn_colors() >= 256 ? .color256 : cn_colors() >= 8 ? .color8 : .monochrome
        } else {
            colorTier = .monochrome
        }
        maxPairs = colorTier == .monochrome ? 0 : Int(min(cn_color_pairs(), 32767))
        if mouse { cn_mouse(1) }
    }

    deinit { shutdown() }

    /// Leaves curses mode and restores the terminal (idempotent).
    public func shutdown() {
        guard !closed else { return }
        closed = true
        cn_restore()
    }

    /// The terminal size in cells, at most `maximumSize`.
    public var size: Size {
        Size(
            width: min(Int(getmaxx(window)), Self.maximumSize.width),
            height: min(Int(getmaxy(window)), Self.maximumSize.height))
    }

    /// Copies `buffer` onto the screen and sends only the changed cells (one `wrefresh`).
    public func present(_ buffer: CellBuffer) {
        let size = self.size
        let rows = min(size.height, buffer.height)
        let columns = min(size.width, buffer.width)
        for y in 0..<size.height {
            for x in 0..<size.width {
                let cell = (y < rows && x < columns) ? buffer[x, y] : Cell.blank
                let scalar = cell.terminalScalar.value
                var attrs = cn_a_normal()
                if cell.style.bold { attrs |= boldAttr }
                if cell.style.dim { attrs |= dimAttr }
                if cell.style.reverse { attrs |= reverseAttr }
                // The bottom-right cell returns ERR (the cursor cannot advance); the cell is still drawn.
                _ = cn_put(window, Int32(y), Int32(x), wchar_t(scalar), attrs, pair(for: cell.style))
            }
        }
        wrefresh(window)
    }

    /// Waits up to `timeout` for one key.
    public func nextKey(timeout: Duration) -> Key {
        let ms = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        wtimeout(window, Int32(clamping: max(0, ms)))
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        if status == cn_err() { return .none }
        if status == cn_key_code_yes() {
            switch Int32(code) {
            case KEY_RESIZE: return .resize
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_MOUSE: return mouseReport(after: "") ?? .other(Int32(code))
            default: return .other(Int32(code))
            }
        }
        switch code {
        case 3: return .ctrlC
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 26:
            // Ctrl-Z: suspend like a shell job; on resume report a resize so the app redraws.
            cn_suspend()
            return .resize
        case 27: return mouseReport(after: "[<") ?? .escape
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return .other(Int32(bitPattern: UInt32(code))) }
            if scalar.value < 32 { return .other(Int32(scalar.value)) }
            return .character(Character(scalar))
        }
    }

    /// The SGR mouse report that follows (`ESC [ < b;x;yM`): after an Escape, `prefix` is `[<`;
    /// after ncurses's KEY_MOUSE (a terminfo whose mouse key is `ESC [ <`) it is empty. Each
    /// character must come within 50 ms (a report can arrive in pieces, later than ncurses waits
    /// for a key's sequence). Nil when no report follows, with the characters read put back.
    private func mouseReport(after prefix: String) -> Key? {
        wtimeout(window, 50)
        var read: [wint_t] = []
        defer { for code in read.reversed() { unget_wch(wchar_t(code)) } }
        let prefix = Array(prefix.unicodeScalars)
        var body = ""
        while read.count < 24 {
            var code: wint_t = 0
            guard wget_wch(window, &code) == cn_ok() else { return nil }
            read.append(code)
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            if read.count <= prefix.count {
                guard scalar == prefix[read.count - 1] else { return nil }
            } else {
                body.unicodeScalars.append(scalar)
                if scalar == "M" || scalar == "m" {
                    guard let mouse = Mouse.sgr(body) else { return nil }
                    read = []
                    return .mouse(mouse)
                }
                guard scalar == ";" || ("0"..."9").contains(scalar) else { return nil }
            }
        }
        return nil
    }

    /// The colour pair of a style's colours, created on first use; 0 (default colours) without
    /// colour or when the terminal's pairs run out.
    private func pair(for style: Style) -> Int16 {
        guard colorTier != .monochrome else { return 0 }
        let key = PairKey(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let existing = pairs[key] { return existing }
        guard Int(nextPair) < maxPairs else { return 0 }
        let number = nextPair
        nextPair += 1
        init_pair(number, key.foreground, key.background)
        pairs[key] = number
        return number
    }

    /// The ncurses colour number: -1 for the default; 256-colour indices are mapped to the nearest
    /// basic colour on an 8-colour terminal.
    private func colorNumber(_ color: Color) -> Int16 {
        switch color {
        case .default: return -1
        case .named(let named): return Int16(named.rawValue)
        case .indexed(let index):
            if colorTier == .color256 { return Int16(index) }
            return Int16(Self.basic(index))
        }
    }

    /// Nearest of the 8 basic colours to an xterm-256 index.
    static func basic(_ index: UInt8) -> UInt8 {
        let i = Int(index)
        if i < 16 { return UInt8(i % 8) }
        if i >= 232 { return i < 244 ? 0 : 7 }
        let c = i - 16
        let r = c / 36
        let g = (c / 6) % 6
        let b = c % 6
        let bit = { (v: Int) in v >= 3 ? 1 : 0 }
        let value = bit(r) | bit(g) << 1 | bit(b) << 2
        // Dark greys and pure black map to white on a dark terminal only when bright; keep black.
        return UInt8(value)
    }
}
