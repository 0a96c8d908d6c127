import Foundation

/// The one way the package writes an output file (checkpoints, samples, renders, SVG pictures,
/// recordings):
/// a reader sees either the old content or the new, never a part, and nothing but the target
/// changes.
///
/// Steps: check the target (below); create a temporary file `.NAME.tmp-RANDOM` in the target's
/// folder with `O_CREAT | O_EXCL | O_NOFOLLOW` and mode 0600 (a link or file already at that name
/// is never followed or reused); register it with `TemporaryFiles` (so a handled signal removes
/// it); write; give it the target's permission mode (an existing target keeps its mode, a new one
/// gets 0644 minus the umask); fsync; rename it over the target. Any failure removes the temporary
/// file and throws a one-line `FlowError`.
///
/// Refused targets: a folder that does not exist or cannot be written; a target that exists and
/// is not a regular file (a device, a FIFO, a socket, a folder); a symbolic link (renaming over it
/// would replace the link, not the file it points to: give that file's path instead); and a
/// target that is the same file (device and inode, so also a hard link) as one of `inputs`, the
/// files the command reads.
public enum AtomicFile {
    /// Checks, before any work, that `write(_:to:inputs:)` to `path` can succeed: the folder exists
    /// and is writable, and the target is absent or a regular file that is none of `inputs`.
    /// Returns the existing target's permission bits, or nil when there is no target yet.
    @discardableResult
    public static func checkTarget(_ path: String, inputs: [String] = []) throws -> mode_t? {
        let shown = SafeText.escaped(path, limit: 240)
        let (folder, name) = split(path)
        guard !name.isEmpty, name != ".", name != ".." else { throw FlowError.badInput("\(shown): is a folder, not a file name") }
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0, folderInfo.st_mode & S_IFMT == S_IFDIR else {
            throw FlowError.badInput("\(shown): the folder \(SafeText.escaped(folder, limit: 240)) does not exist")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw FlowError.badInput("\(shown): the folder \(SafeText.escaped(folder, limit: 240)) is not writable")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT else { throw FlowError.badInput("\(shown): cannot write (\(DescriptorWriter.message(errno)))") }
            return nil
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: throw FlowError.badInput("\(shown): is a symbolic link; give the path of the file it points to")
        case S_IFDIR: throw FlowError.badInput("\(shown): is a folder, not a file")
        default: throw FlowError.badInput("\(shown): is not a regular file (a device, FIFO or socket); refusing to replace it")
        }
        if let input = matchingInput(info, in: inputs) {
            let input = SafeText.escaped(input, limit: 240)
            throw FlowError.badInput("\(shown): is an input of this command (\(input)); choose another output file")
        }
        return info.st_mode & 0o777
    }

    /// The first of `inputs` that is the file `info` describes (same device and inode), or nil.
    public static func matchingInput(_ info: stat, in inputs: [String]) -> String? {
        inputs.first { input in
            var inputInfo = stat()
            return stat(input, &inputInfo) == 0 && inputInfo.st_dev == info.st_dev && inputInfo.st_ino == info.st_ino
        }
    }

    /// Writes `data` to `path` as described above; `inputs` are the files the command reads.
    public static func write(_ data: Data, to path: String, inputs: [String] = []) throws {
        let stream = try Stream(path: path, inputs: inputs)
        try stream.write(data)
        try stream.commit()
    }

    /// An output written in pieces (a recording that grows as the UI runs) through the same
    /// steps: the temporary file is created at `init`, each `write` appends to it, and `commit`
    /// renames it over the target. A stream dropped without a commit removes its temporary file.
    public final class Stream {
        private let path: String
        private let shown: String
        private let existingMode: mode_t?
        private let temporary: String
        private let slot: Int?
        private var descriptor: Int32
        private var done = false

        /// Checks the target and creates the temporary file beside it.
        public init(path: String, inputs: [String] = []) throws {
            existingMode = try checkTarget(path, inputs: inputs)
            self.path = path
            shown = SafeText.escaped(path, limit: 240)
            let (folder, name) = split(path)
            var descriptor: Int32 = -1
            var temporary = ""
            var slot: Int?
            for _ in 0..<8 {
                temporary =
                    folder + "/." + String(name.prefix(100)) + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
                slot = TemporaryFiles.register(temporary)
                descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                if descriptor >= 0 { break }
                let code = errno
                TemporaryFiles.unregister(slot)
                if code != EEXIST { throw FlowError.badInput("\(shown): cannot write (\(DescriptorWriter.message(code)))") }
            }
            guard descriptor >= 0 else {
                throw FlowError.badInput("\(shown): cannot write (\(DescriptorWriter.message(EEXIST)))")
            }
            self.descriptor = descriptor
            self.temporary = temporary
            self.slot = slot
        }

        deinit { if !done { abandon() } }

        /// Appends `data`; a failed write removes the temporary file and throws.
        public func write(_ data: Data) throws {
            guard !done else { return }
            let code = data.withUnsafeBytes { DescriptorWriter.write($0, to: descriptor) }
            if code != 0 { throw fail(code) }
        }

        /// Gives the file the target's mode, syncs it and renames it over the target.
        public func commit() throws {
            guard !done else { return }
            var code: Int32 = 0
            if fchmod(descriptor, existingMode ?? (0o644 & ~creationMask)) != 0 { code = errno }
            if code == 0, fsync(descriptor) != 0 { code = errno }
            if close(descriptor) != 0, code == 0 { code = errno }
            descriptor = -1
            if code == 0, rename(temporary, path) != 0 { code = errno }
            if code != 0 { throw fail(code) }
            done = true
            TemporaryFiles.unregister(slot)
            // Make the rename itself durable (best effort: some file systems cannot sync a folder).
            let folderDescriptor = open(split(path).folder, O_RDONLY | O_CLOEXEC)
            if folderDescriptor >= 0 {
                fsync(folderDescriptor)
                close(folderDescriptor)
            }
        }

        private func fail(_ code: Int32) -> FlowError {
            abandon()
            return .badInput("\(shown): cannot write (\(DescriptorWriter.message(code)))")
        }

        private func abandon() {
            done = true
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
            unlink(temporary)
            TemporaryFiles.unregister(slot)
        }
    }

    /// Reads the umask and allocates the `TemporaryFiles` slots: call once at start, before other
    /// threads run and before signal handlers that call `TemporaryFiles.removeAll()` are installed.
    public static func prepare() {
        _ = creationMask
        TemporaryFiles.prepare()
    }

    /// The process's umask, read once (umask(2) can only be read by setting it, so it is set back
    /// at once; `prepare()` does this before other threads start).
    static let creationMask: mode_t = {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }()

    /// The folder and the last component of `path` ("." for a bare name).
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = path[..<slash]
        return (folder.isEmpty ? "/" : String(folder), String(path[path.index(after: slash)...]))
    }
}
