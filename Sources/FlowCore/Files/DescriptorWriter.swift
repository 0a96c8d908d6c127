#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way the package writes bytes to an open file descriptor (stdout, stderr, a log, a
/// temporary file): write(2) in a loop that retries after EINTR and short writes, and returns the
/// failure instead of trapping (Foundation's `FileHandle.write` traps on EIO or ENOSPC).
public enum DescriptorWriter {
    /// Writes all of `bytes` to `descriptor`. Returns 0, or the `errno` of the write that failed
    /// (EPIPE on a closed pipe when SIGPIPE is ignored, EIO on a terminal that went away, ENOSPC).
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32 {
        guard var next = bytes.baseAddress else { return 0 }
        var left = bytes.count
        while left > 0 {
            let n = systemWrite(descriptor, next, left)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            next += n
            left -= n
        }
        return 0
    }

    /// Writes the UTF-8 bytes of `text` to `descriptor`; 0 or the `errno` of the failure.
    @discardableResult
    public static func write(_ text: String, to descriptor: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { write(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    /// The system's message for `code`, e.g. "No space left on device".
    public static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    private static func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(fd, p, n)
        #else
            Darwin.write(fd, p, n)
        #endif
    }
}
