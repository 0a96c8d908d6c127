import Foundation

/// Writes files so that a reader sees either the old content or the new, never a part: the data
/// goes to a temporary file beside the target, is flushed, and is renamed into place.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FlowError.badInput("\(path): the folder \(directory) does not exist")
        }
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FlowError.badInput("\(path): cannot write (\(String(cString: strerror(errno))))") }
        var ok = true
        data.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                if n <= 0 { ok = false; return }
                written += n
            }
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw FlowError.badInput("\(path): cannot write (\(String(cString: strerror(errno))))")
        }
    }
}
