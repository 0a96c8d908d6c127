import CKernels
import Foundation
import Synchronization

/// A fixed set of threads that run the parts of a parallel loop: the data-parallel training step
/// (one part per row shard, then one per slice of the parameters).
///
/// docs/architecture.md keeps threads out of FlowCore; issue 8 ("both cores") makes this type the
/// one exception. A training step takes about a millisecond at one thread and splits into two
/// parallel loops, so waking threads through the system's work queues on every loop would cost a
/// noticeable share of it; the pool's threads instead wait for the next loop by spinning for
/// `spinLimit` pauses (about 50 microseconds) before they sleep. Only the training step uses it:
/// the numbers stay deterministic because each part writes its own buffers and the caller combines
/// them in a fixed order.
///
/// The caller is thread 0: ``run(_:_:)`` gives part `i` to thread `i % threads` and returns when
/// every part is done. A pool is for one caller at a time (not reentrant, not shared between
/// threads); its threads end when it is released.
public final class WorkerPool {
    /// The threads that run a loop, the caller included.
    public let threads: Int
    private let state: State

    /// How many pauses a waiting thread spins before it sleeps.
    static let spinLimit = Int(ProcessInfo.processInfo.environment["FE_SPIN"] ?? "") ?? 2_000
    static let useDispatch = ProcessInfo.processInfo.environment["FE_DISPATCH"] != nil

    /// A pool of `threads` threads in all: the caller of ``run(_:_:)`` and `threads - 1` started here.
    public init(threads: Int) {
        precondition(threads >= 1, "a pool needs at least one thread")
        self.threads = threads
        state = State(threads: threads)
        for index in 1..<threads where !Self.useDispatch {
            let state = self.state
            let thread = Thread { state.work(index: index) }
            thread.name = "flow-explorer worker \(index)"
            thread.start()
        }
    }

    deinit { state.stop() }

    /// Runs `body(0)`, ..., `body(count - 1)` spread over the threads (part `i` on thread
    /// `i % threads`) and returns when all are done. The parts run at the same time, so each must
    /// write only memory of its own.
    public func run(_ count: Int, _ body: (Int) -> Void) {
        if threads == 1 || count <= 1 {
            for part in 0..<count { body(part) }
            return
        }
        if Self.useDispatch {
            withoutActuallyEscaping(body) { body in
                let box = Box(body: body)
                DispatchQueue.concurrentPerform(iterations: count) { box.body($0) }
            }
            return
        }
        withoutActuallyEscaping(body) { body in
            state.start(body, count: count)
            var part = 0
            while part < count {
                body(part)
                part += threads
            }
            state.waitForWorkers()
        }
    }

    private final class Box: @unchecked Sendable {
        let body: (Int) -> Void
        init(body: @escaping (Int) -> Void) { self.body = body }
    }

    /// What the caller and the pool's threads share. The job and its count are written before
    /// `generation` is raised (releasing) and read after it is seen (acquiring); the caller clears
    /// nothing until every thread has reported through `finished`.
    private final class State: @unchecked Sendable {
        let threads: Int
        /// Raised once per loop, and once more to stop.
        let generation = Atomic<Int>(0)
        /// Threads (other than the caller) done with the current loop.
        let finished = Atomic<Int>(0)
        /// Guards `sleepers` and `callerWaiting`, and carries the wake-ups.
        let condition = NSCondition()
        var sleepers = 0
        var callerWaiting = false
        var stopping = false
        var job: ((Int) -> Void)?
        var count = 0

        init(threads: Int) { self.threads = threads }

        func start(_ body: @escaping (Int) -> Void, count: Int) {
            job = body
            self.count = count
            finished.store(0, ordering: .relaxed)
            condition.lock()
            generation.add(1, ordering: .releasing)
            if sleepers > 0 { condition.broadcast() }
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopping = true
            generation.add(1, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
        }

        /// The caller's wait: spin, then sleep until the last thread reports.
        func waitForWorkers() {
            var spins = 0
            while finished.load(ordering: .acquiring) < threads - 1 {
                if spins < WorkerPool.spinLimit {
                    spins += 1
                    fe_spin_pause()
                    continue
                }
                condition.lock()
                callerWaiting = true
                while finished.load(ordering: .acquiring) < threads - 1 { condition.wait() }
                callerWaiting = false
                condition.unlock()
            }
            job = nil
        }

        /// A pool thread's life: wait for a loop, run its parts, report, until stopped.
        func work(index: Int) {
            var seen = 0
            while true {
                seen = nextGeneration(after: seen)
                if stopping { return }
                var part = index
                while part < count {
                    job!(part)
                    part += threads
                }
                if finished.add(1, ordering: .acquiringAndReleasing).newValue == threads - 1 {
                    condition.lock()
                    if callerWaiting { condition.broadcast() }
                    condition.unlock()
                }
            }
        }

        /// Waits until `generation` moves past `seen`: spinning first, then asleep.
        func nextGeneration(after seen: Int) -> Int {
            for _ in 0..<WorkerPool.spinLimit {
                let now = generation.load(ordering: .acquiring)
                if now != seen { return now }
                fe_spin_pause()
            }
            condition.lock()
            sleepers += 1
            while generation.load(ordering: .acquiring) == seen { condition.wait() }
            sleepers -= 1
            condition.unlock()
            return generation.load(ordering: .acquiring)
        }
    }
}
