import CKernels
import Foundation
import Synchronization

/// A fixed set of threads that run the parts of a parallel loop: the data-parallel training step
/// (one part per row shard, plus the next batch's OT pairing, then one per slice of the parameters).
///
/// docs/architecture.md keeps threads out of FlowCore; issue 8 ("both cores")
/// makes this type the one exception, for the training step alone, because the step is where the
/// time goes and only FlowCore can split it. A step takes about 0.4 ms at one thread and runs two
/// parallel loops, so the pool's threads wait for the next loop by spinning for a short while
/// (`spinLimit` pauses, some tens of microseconds) before they sleep, instead of being woken
/// through the system for every loop: measured on 2 cores, `DispatchQueue.concurrentPerform` made
/// a flow-matching step at two threads about 75 microseconds slower than this pool (2,970 against
/// 3,850 steps per second, 2,400 at one thread). The numbers stay deterministic whichever thread
/// runs a part: each part writes buffers of its own and the caller combines them in a fixed order.
///
/// The caller takes part in ``run(_:_:)``: every thread claims the next unclaimed part until none
/// is left, so a loop finishes even while a pool thread is descheduled on a busy machine. A pool
/// is for one caller at a time (not reentrant, not shared between threads); its threads end when
/// it is released.
public final class WorkerPool {
    /// The threads that run a loop, the caller included.
    public let threads: Int
    private let state: State

    /// How many pauses a waiting thread spins before it sleeps.
    static let spinLimit = 2_000

    /// A pool of `threads` threads in all: the caller of ``run(_:_:)`` and `threads - 1` started here.
    public init(threads: Int) {
        precondition(threads >= 1, "a pool needs at least one thread")
        self.threads = threads
        state = State()
        for index in 1..<threads {
            let state = self.state
            let thread = Thread { state.work() }
            thread.name = "flow-explorer worker \(index)"
            thread.start()
        }
    }

    deinit { state.stop() }

    /// Runs `body(0)`, ..., `body(count - 1)` on the pool's threads and the caller's (each part
    /// once, on whichever thread claims it first) and returns when all are done. The parts run at
    /// the same time, so each must write only memory of its own. `count` is below 65,536.
    public func run(_ count: Int, _ body: (Int) -> Void) {
        precondition(count >= 0 && count < 1 << 16, "0 to 65,535 parts")
        if threads == 1 || count <= 1 {
            for part in 0..<count { body(part) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let generation = state.start(body, count: count)
            state.runParts(generation: generation)
            state.waitForParts(count)
        }
    }

    /// What the caller and the pool's threads share.
    ///
    /// `ticket` packs the loop's generation (bits 32 and up), its part count (bits 16 to 31) and
    /// the next unclaimed part (bits 0 to 15), so a claim (one compare-and-exchange) can only take
    /// a part of the loop it saw: a thread that wakes late finds the loop's parts all taken, or a
    /// new generation. The job is written before the ticket is published (releasing) and read only
    /// by a thread holding a claimed part, which the caller waits for (`done`) before it returns.
    private final class State: @unchecked Sendable {
        let ticket = Atomic<Int>(0)
        /// Parts of the current loop that have finished.
        let done = Atomic<Int>(0)
        /// Guards `sleepers` and `callerWaiting`, and carries the wake-ups.
        let condition = NSCondition()
        var sleepers = 0
        var callerWaiting = false
        var stopping = false
        var job: ((Int) -> Void)?

        static func generation(_ ticket: Int) -> Int { ticket >> 32 }

        /// Publishes a loop of `count` parts and wakes sleeping threads; returns its generation.
        func start(_ body: @escaping (Int) -> Void, count: Int) -> Int {
            job = body
            done.store(0, ordering: .relaxed)
            let generation = Self.generation(ticket.load(ordering: .relaxed)) + 1
            condition.lock()
            ticket.store(generation << 32 | count << 16, ordering: .releasing)
            if sleepers > 0 { condition.broadcast() }
            condition.unlock()
            return generation
        }

        func stop() {
            condition.lock()
            stopping = true
            ticket.store((Self.generation(ticket.load(ordering: .relaxed)) + 1) << 32, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
        }

        /// Claims and runs parts of loop `generation` until none is left.
        func runParts(generation: Int) {
            while true {
                let current = ticket.load(ordering: .acquiring)
                let count = current >> 16 & 0xFFFF
                let part = current & 0xFFFF
                guard Self.generation(current) == generation, part < count else { return }
                guard
                    ticket.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
                        .exchanged
                else { continue }
                job!(part)
                if done.add(1, ordering: .acquiringAndReleasing).newValue == count {
                    condition.lock()
                    if callerWaiting { condition.broadcast() }
                    condition.unlock()
                }
            }
        }

        /// The caller's wait for the last part: spin, then sleep until it is done.
        func waitForParts(_ count: Int) {
            var spins = 0
            while done.load(ordering: .acquiring) < count {
                if spins < WorkerPool.spinLimit {
                    spins += 1
                    fe_spin_pause()
                    continue
                }
                condition.lock()
                callerWaiting = true
                while done.load(ordering: .acquiring) < count { condition.wait() }
                callerWaiting = false
                condition.unlock()
            }
            job = nil
        }

        /// A pool thread's life: wait for a loop, run parts of it, until stopped.
        func work() {
            var seen = 0
            while true {
                seen = nextGeneration(after: seen)
                if stopping { return }
                runParts(generation: seen)
            }
        }

        /// Waits until the ticket's generation moves past `seen`: spinning first, then asleep.
        func nextGeneration(after seen: Int) -> Int {
            for _ in 0..<WorkerPool.spinLimit {
                let now = Self.generation(ticket.load(ordering: .acquiring))
                if now != seen { return now }
                fe_spin_pause()
            }
            condition.lock()
            sleepers += 1
            while Self.generation(ticket.load(ordering: .acquiring)) == seen { condition.wait() }
            sleepers -= 1
            condition.unlock()
            return Self.generation(ticket.load(ordering: .acquiring))
        }
    }
}
