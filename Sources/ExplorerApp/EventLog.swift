import Foundation

/// Appends one line per UI event to a file (`--event-log FILE`): keys handled, resizes, frames
/// drawn with their build time, snapshots received. Lines look like
/// `12.345 frame build_ms=0.82 size=120x40`, the first field being seconds since start.
public final class EventLog {
    private let handle: FileHandle
    private let start = ContinuousClock.now

    /// Opens `path` for appending, creating it when missing.
    public init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission)
            }
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
    }

    deinit { try? handle.close() }

    /// Writes `text` after a timestamp.
    public func write(_ text: String) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        handle.write(Data((String(format: "%.3f", seconds) + " " + text + "\n").utf8))
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
