import Foundation

/// The one way the package opens a file it reads (checkpoints, CSV datasets): a FIFO, device,
/// socket or folder is refused with a one-line error instead of blocking or being read.
public enum ReadableFile {
    /// Opens `path` for reading and returns the descriptor (the caller closes it), or throws a
    /// one-line `FlowError`: the file cannot be opened, or it is not a regular file.
    ///
    /// The open is non-blocking, so a FIFO without a writer returns at once instead of waiting
    /// for one; `fstat` then refuses everything but a regular file, and the flag is cleared again
    /// for the reads.
    public static func open(_ path: String) throws -> Int32 {
        let shown = SafeText.escaped(path, limit: 240)
        let descriptor = Foundation.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FlowError.badInput("\(shown): cannot read the file (\(DescriptorWriter.message(errno)))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw FlowError.badInput("\(shown): not a regular file")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }

    /// Reads the file at `path` (opened as ``open(_:)`` does) in chunks of 64 KB, handing each to
    /// `body`, which may throw to stop; a failed read throws a one-line `FlowError`.
    public static func forEachChunk(_ path: String, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        let descriptor = try open(path)
        defer { close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let shown = SafeText.escaped(path, limit: 240)
                throw FlowError.badInput("\(shown): cannot read the file (\(DescriptorWriter.message(errno)))")
            }
            if n == 0 { return }
            try body(chunk[0..<n])
        }
    }

    /// The text of the file at `path` (opened as ``open(_:)`` does), or a one-line `FlowError`
    /// when it cannot be read, is longer than `limit` bytes or is not UTF-8.
    public static func text(_ path: String, limit: Int) throws -> String {
        let shown = SafeText.escaped(path, limit: 240)
        var bytes: [UInt8] = []
        try forEachChunk(path) { chunk in
            bytes += chunk
            guard bytes.count <= limit else { throw FlowError.badInput("\(shown): longer than \(limit) bytes") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FlowError.badInput("\(shown): not UTF-8 text")
        }
        return text
    }
}
