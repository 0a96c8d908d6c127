import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `flow-explorer` with posix_spawn, for the tests `Process` cannot express: stdout
/// or stderr on a given file (`/dev/full`) or descriptor (a closed pipe), a working folder, signals
/// sent while it runs, and its peak memory (through `/usr/bin/time -f %M`: wait4's ru_maxrss of a
/// child spawned by the test process would include the test process's own peak, which Linux
/// carries across exec). The child starts with every signal at its default disposition and none
/// blocked, as from a shell.
struct ChildProcess {
    /// How a run ended.
    struct Outcome {
        /// The exit code, or 128 + the signal that killed it.
        var status: Int32
        /// True when a signal killed it (rather than a handler's _exit(128 + signal)).
        var killedBySignal: Bool
        var stdout: String
        var stderr: String
        /// Peak resident memory of the child in kilobytes, when measured.
        var peakMemoryKB: Int?
    }

    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    let memoryPath: String?

    /// Starts `flow-explorer arguments`. stdout and stderr go to the given files (default: fresh
    /// files read back by `wait`), or stdout to `stdoutDescriptor`; stdin is /dev/null.
    static func start(
        _ arguments: [String], directory: String? = nil, stdout: String? = nil, stderr: String? = nil,
        stdoutDescriptor: Int32? = nil, measureMemory: Bool = false
    ) throws -> ChildProcess {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fe-child-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let tag = UUID().uuidString
        let outPath = stdout ?? scratch + "/\(tag).out"
        let errPath = stderr ?? scratch + "/\(tag).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdoutDescriptor {
            posix_spawn_file_actions_adddup2(&actions, stdoutDescriptor, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        var none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let binary = CommandLineTests.binary.path
        // A working folder: through sh, which changes to it and then becomes the binary.
        var words = directory.map { ["/bin/sh", "-c", "cd \"$1\" || exit 97; shift; exec \"$@\"", "sh", $0, binary] } ?? [binary]
        let memoryPath = measureMemory ? scratch + "/\(tag).memory" : nil
        if let memoryPath { words = ["/usr/bin/time", "-f", "%M", "-o", memoryPath] + words }
        let argv = (words + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, words[0], &actions, &attributes, argv, environ)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        return ChildProcess(
            pid: pid, stdoutPath: stdoutDescriptor == nil ? outPath : "", stderrPath: errPath,
            memoryPath: memoryPath)
    }

    /// Runs to the end.
    static func run(
        _ arguments: [String], directory: String? = nil, stdout: String? = nil, stderr: String? = nil,
        stdoutDescriptor: Int32? = nil, measureMemory: Bool = false
    ) throws -> Outcome {
        try start(
            arguments, directory: directory, stdout: stdout, stderr: stderr, stdoutDescriptor: stdoutDescriptor,
            measureMemory: measureMemory
        ).wait()
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the child to end and collects what it wrote.
    func wait() -> Outcome {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signaled = status & 0x7F != 0 && status & 0x7F != 0x7F
        let code = signaled ? 128 + (status & 0x7F) : (status >> 8) & 0xFF
        func read(_ path: String) -> String {
            guard path.hasPrefix(FileManager.default.temporaryDirectory.path),
                let data = FileManager.default.contents(atPath: path)
            else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        // GNU time writes "Command exited with non-zero status N" before the number.
        let memory = memoryPath.flatMap { read($0).split(separator: "\n").last.flatMap { Int($0) } }
        return Outcome(
            status: code, killedBySignal: signaled, stdout: read(stdoutPath), stderr: read(stderrPath),
            peakMemoryKB: memory)
    }
}
