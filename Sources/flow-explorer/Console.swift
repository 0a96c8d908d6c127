import FlowCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// stdout and stderr of the command line, written with `DescriptorWriter` (write(2)): a failed
/// write to stdout is an error the command reports (exit 1), a failed write to stderr is ignored;
/// neither traps.
enum Console {
    /// A write to stdout failed with `code` (an errno).
    struct OutputFailure: Error {
        var code: Int32
    }

    /// Writes `text` to stdout, or throws `OutputFailure`.
    static func out(_ text: String) throws {
        let code = DescriptorWriter.write(text, to: STDOUT_FILENO)
        if code != 0 { throw OutputFailure(code: code) }
    }

    /// Writes `text` and a newline to stdout, or throws `OutputFailure`.
    static func line(_ text: String) throws {
        try out(text + "\n")
    }

    /// Writes `text` to stderr; returns false when that failed (the caller may stop writing).
    @discardableResult
    static func error(_ text: String) -> Bool {
        DescriptorWriter.write(text, to: STDERR_FILENO) == 0
    }
}
