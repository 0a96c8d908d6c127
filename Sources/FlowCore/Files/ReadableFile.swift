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
}
