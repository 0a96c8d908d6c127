import FlowCore
import Foundation
import Synchronization
import TerminalCanvas

/// Builds each data set's ``TruthField`` once, on a thread of its own, and keeps it: the first
/// request starts the work and returns nil, later ones get the field once it is ready. A
/// synchronous cache builds it in the caller's thread and returns it at once (for tests).
public final class TruthCache: Sendable {
    private enum Entry: Sendable {
        case computing
        case ready(TruthField)
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let synchronous: Bool

    /// An empty cache; `synchronous` builds each field in the thread that first asks for it.
    public init(synchronous: Bool = false) { self.synchronous = synchronous }

    /// The field of the data set named `name`, or nil while it is being computed.
    func field(name: String, dataset: Dataset, seed: UInt64, bounds: PlotBounds) -> TruthField? {
        let key = "\(name)\u{0}\(seed)"
        let start = entries.withLock { entries -> Bool in
            if entries[key] != nil { return false }
            entries[key] = .computing
            return true
        }
        if start && synchronous {
            let field = TruthField(dataset: dataset, seed: seed, bounds: bounds)
            entries.withLock { $0[key] = .ready(field) }
            return field
        }
        if start {
            let thread = Thread { [self] in
                let field = TruthField(dataset: dataset, seed: seed, bounds: bounds)
                entries.withLock { $0[key] = .ready(field) }
            }
            thread.name = "flow-explorer truth"
            thread.qualityOfService = .utility
            thread.start()
            return nil
        }
        return entries.withLock { entries in
            if case .ready(let field) = entries[key] { return field }
            return nil
        }
    }
}
