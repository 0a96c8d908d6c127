import FlowCore
import Foundation

/// Appends one line per UI event to a file (`--event-log FILE`): keys handled, resizes, frames
/// drawn with their build time, snapshots received. Lines look like
/// `12.345 frame build_ms=0.82 size=120x40`, the first field being seconds since start. A tour's
/// speaker notes (`--notes FILE`) are appended the same way, as they are (``append(_:)``).
///
/// Writes go through `DescriptorWriter`: the first that fails (a full disk, `/dev/full`) stops
/// the log and is kept in `failure`, and the UI goes on.
public final class EventLog {
    private let descriptor: Int32
    private let start = ContinuousClock.now
    /// Why logging stopped (the first failed write), or nil while it works.
    public private(set) var failure: String?
    private let shownPath: String
    /// What the file is in messages: "the event log", "the notes file".
    private let name: String

    /// Opens `path` for appending, creating it (mode 0644 minus the umask) when missing. Throws a
    /// one-line `FlowError` when it cannot be opened (a folder, no permission) or when it is one
    /// of `inputs` (the files the UI reads: appending would change them).
    /// The open is non-blocking (a FIFO never waits for a reader), and a FIFO or socket is refused
    /// (a device such as `/dev/null` or a terminal is kept); `check(path:inputs:)` tells the same
    /// without creating anything.
    public init(path: String, inputs: [String] = [], name: String = "the event log") throws {
        try Self.check(path: path, inputs: inputs, name: name)
        self.name = name
        shownPath = SafeText.escaped(path, limit: 240)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FlowError.badInput("\(shownPath): cannot open \(name) (\(DescriptorWriter.message(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, [S_IFREG, S_IFCHR].contains(info.st_mode & S_IFMT) else {
            close(fd)
            throw FlowError.badInput("\(shownPath): \(name) is a FIFO or socket; give a file")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        descriptor = fd
    }

    /// Checks, creating nothing, that `init(path:inputs:)` can open `path`: it is a regular file
    /// (or a device) that is none of `inputs` (the files the UI reads: appending would change them), or it does
    /// not exist yet in a writable folder. Throws a one-line `FlowError` otherwise.
    public static func check(path: String, inputs: [String] = [], name: String = "the event log") throws {
        let shown = SafeText.escaped(path, limit: 240)
        func cannotOpen(_ code: Int32) -> FlowError {
            .badInput("\(shown): cannot open \(name) (\(DescriptorWriter.message(code)))")
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            guard errno == ENOENT else { throw cannotOpen(errno) }
            let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            guard access(folder.isEmpty ? "/" : folder, W_OK | X_OK) == 0 else { throw cannotOpen(errno) }
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFCHR: break
        case S_IFDIR: throw cannotOpen(EISDIR)
        default: throw FlowError.badInput("\(shown): \(name) is a FIFO or socket; give a file")
        }
        guard access(path, W_OK) == 0 else { throw cannotOpen(errno) }
        if AtomicFile.matchingInput(info, in: inputs) != nil {
            throw FlowError.badInput("\(shown): is an input of this command; choose another file for \(name)")
        }
    }

    deinit { close(descriptor) }

    /// Writes `text` after a timestamp; after a failed write, nothing.
    public func write(_ text: String) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        append(String(format: "%.3f", seconds) + " " + text + "\n")
    }

    /// Writes `text` as it is; after a failed write, nothing.
    public func append(_ text: String) {
        guard failure == nil else { return }
        let code = DescriptorWriter.write(text, to: descriptor)
        if code != 0 { failure = "\(shownPath): \(name) stopped: \(DescriptorWriter.message(code))" }
    }
}

/// Whether the locale asks for UTF-8: the first of LC_ALL, LC_CTYPE, LANG that is set and
/// non-empty decides; without any, the C locale is ASCII.
public func localeIsUTF8(_ environment: [String: String]) -> Bool {
    for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
        if let value = environment[name], !value.isEmpty {
            let lower = value.lowercased()
            return lower.contains("utf-8") || lower.contains("utf8")
        }
    }
    return false
}
