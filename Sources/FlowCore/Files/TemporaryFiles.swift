import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files being written right now (by `AtomicFile`), so that a signal handler can
/// remove them before the process ends: `removeAll()` is async-signal-safe.
///
/// A fixed set of slots, each a preallocated buffer holding one path as a C string; a bit per slot
/// says the path is complete. Registering copies the path and then sets the bit; unregistering
/// clears the bit first. The handler reads the bits once and calls unlink(2) on each path: no
/// allocation, no lock, no reference counting.
public enum TemporaryFiles {
    /// How many temporary files can be registered at once (a path that finds no slot is written
    /// anyway, but not removed by a signal).
    public static let slotCount = 16
    /// The longest path (with its terminating zero) a slot holds.
    static let slotSize = 4096
    nonisolated(unsafe) private static let storage: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotSize)
        p.initialize(repeating: 0, count: slotCount * slotSize)
        return p
    }()
    /// Slots taken (guarded by the mutex); `ready` has the bits of the slots whose path is complete.
    private static let claimed = Mutex<UInt64>(0)
    private static let ready = Atomic<UInt64>(0)

    /// Allocates the slots; call before installing a signal handler that calls `removeAll()`, so
    /// that the handler never runs a lazy initialiser.
    public static func prepare() {
        _ = storage
        _ = ready.load(ordering: .relaxed)
        claimed.withLock { _ in }
    }

    /// Records `path`; returns its slot for `unregister`, or nil when no slot is free or the path
    /// is too long.
    public static func register(_ path: String) -> Int? {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < slotSize else { return nil }
        return claimed.withLock { taken -> Int? in
            guard let slot = (0..<slotCount).first(where: { taken & (1 << UInt64($0)) == 0 }) else { return nil }
            taken |= 1 << UInt64(slot)
            let p = storage + slot * slotSize
            bytes.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { p.update(from: $0.baseAddress!, count: bytes.count) }
            }
            p[bytes.count] = 0
            ready.bitwiseOr(1 << UInt64(slot), ordering: .releasing)
            return slot
        }
    }

    /// Forgets the path in `slot` (after the file was renamed or removed).
    public static func unregister(_ slot: Int?) {
        guard let slot else { return }
        ready.bitwiseAnd(~(1 << UInt64(slot)), ordering: .releasing)
        claimed.withLock { $0 &= ~(1 << UInt64(slot)) }
    }

    /// Removes every registered file. Async-signal-safe: for signal handlers (after `prepare()`).
    public static func removeAll() {
        let bits = ready.load(ordering: .acquiring)
        var slot = 0
        while slot < slotCount {
            if bits & (1 << UInt64(slot)) != 0 { unlink(storage + slot * slotSize) }
            slot += 1
        }
    }
}
