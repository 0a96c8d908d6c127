/// How fast the UI trains: slow motion for a class to watch single steps (`<` slower, `>` faster),
/// or as fast as the cores go.
public enum TrainingSpeed: Int, CaseIterable, Sendable {
    case one = 1
    case ten = 10
    case hundred = 100
    case full = 0

    /// Iterations per second, or nil at full speed.
    public var iterationsPerSecond: Int? { self == .full ? nil : rawValue }

    /// The next slower speed (`<`); one a second is the slowest.
    public var slower: TrainingSpeed {
        switch self {
        case .full: .hundred
        case .hundred: .ten
        case .ten, .one: .one
        }
    }

    /// The next faster speed (`>`); full speed is the fastest.
    public var faster: TrainingSpeed {
        switch self {
        case .one: .ten
        case .ten: .hundred
        case .hundred, .full: .full
        }
    }

    /// The status bar's words, "slow motion 10 it/s", or nil at full speed.
    public var label: String? { iterationsPerSecond.map { "slow motion \($0) it/s" } }
}
