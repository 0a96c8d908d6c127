import FlowCore

/// A short printable code of what is on screen (issue 16, item 8): the version, dataset, method
/// (or the race and its lineup), seed, K, view, coupling, threads and learning rate, so that
/// `tui --code CODE` (and `tour --code CODE`) reopens the same run, and with the same threads the
/// same bits. Written as Crockford base-32 digits in groups of four, e.g. `1D8A-0P6C`, the last a
/// check digit; a dataset read from a file has no code.
///
/// The bits, first to last: version (4), dataset (4, `ToyDataset.allCases` order), method (4,
/// `Method.allCases` order), racing (1), lineup (1), coupling (1), view (3, tab order),
/// log2 K (3), threads (7, 0 for all cores), whether a learning rate follows (1), the seed in
/// groups of 4 bits each after a bit that says one follows, the learning rate (32, IEEE float
/// bits); then zero bits to a whole digit and a check digit (the sum of the digits mod 32).
public struct RunCode: Equatable, Sendable {
    public var dataset: ToyDataset
    public var method: Method
    public var racing: Bool
    public var lineup: RaceLineup
    public var coupling: Coupling
    public var view: ViewKind
    public var steps: Int
    public var threads: Int?
    public var learningRate: Float?
    public var seed: UInt64

    /// The version the code starts with; a code of another version is refused.
    public static let version = 1
    static let digits = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The code of `state`, nil when its dataset is a file.
    public init?(_ state: AppState) {
        guard let dataset = ToyDataset(rawValue: state.dataset) else { return nil }
        self.dataset = dataset
        method = state.method
        racing = state.racing
        lineup = state.raceLineup
        coupling = state.coupling
        view = state.view
        steps = state.steps
        threads = state.threads
        learningRate = state.learningRate
        seed = state.seed
    }

    /// The code as printed: groups of four digits joined by `-`.
    public var text: String {
        var bits = BitWriter()
        bits.append(Self.version, width: 4)
        bits.append(ToyDataset.allCases.firstIndex(of: dataset)!, width: 4)
        bits.append(Method.allCases.firstIndex(of: method)!, width: 4)
        bits.append(racing ? 1 : 0, width: 1)
        bits.append(lineup == .all ? 0 : 1, width: 1)
        bits.append(coupling == .ot ? 1 : 0, width: 1)
        bits.append(view.rawValue, width: 3)
        bits.append(steps.trailingZeroBitCount, width: 3)
        bits.append(threads ?? 0, width: 7)
        bits.append(learningRate == nil ? 0 : 1, width: 1)
        var rest = seed
        repeat {
            bits.append(1, width: 1)
            bits.append(Int(rest & 15), width: 4)
            rest >>= 4
        } while rest > 0
        bits.append(0, width: 1)
        if let learningRate { bits.append(Int(learningRate.bitPattern), width: 32) }
        var values = bits.digits()
        values.append(values.reduce(0, +) % 32)
        let text = String(values.map { Self.digits[$0] })
        return stride(from: 0, to: text.count, by: 4).map { start in
            let from = text.index(text.startIndex, offsetBy: start)
            return String(text[from..<(text.index(from, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex)])
        }.joined(separator: "-")
    }

    /// Reads a code as `text` prints it (case and dashes do not matter; O reads as 0, I and L as
    /// 1); throws a one-line `FlowError` when it is not one.
    public init(text: String) throws {
        let bad = FlowError.badInput(
            "'\(SafeText.escaped(text, limit: 40))' is not a run code (like 1D8A-0P6C, from the status bar)")
        var values: [Int] = []
        for character in text.uppercased() where character != "-" {
            let c: Character = character == "O" ? "0" : character == "I" || character == "L" ? "1" : character
            guard let value = Self.digits.firstIndex(of: c) else { throw bad }
            values.append(value)
        }
        guard values.count >= 2, let check = values.popLast(), values.reduce(0, +) % 32 == check else { throw bad }
        var bits = BitReader(values)
        guard bits.read(4) == Self.version else {
            throw FlowError.badInput(
                "this run code is of another version of flow-explorer (this one reads version \(Self.version))")
        }
        let datasetIndex = bits.read(4)
        let methodIndex = bits.read(4)
        guard let datasetIndex, let methodIndex, datasetIndex < ToyDataset.allCases.count,
            methodIndex < Method.allCases.count
        else { throw bad }
        dataset = ToyDataset.allCases[datasetIndex]
        method = Method.allCases[methodIndex]
        guard let racing = bits.read(1), let lineup = bits.read(1), let coupling = bits.read(1), let view = bits.read(3),
            let viewKind = ViewKind(rawValue: view), let log2K = bits.read(3), let threads = bits.read(7),
            let hasRate = bits.read(1)
        else { throw bad }
        self.racing = racing == 1 || viewKind.showsRace
        self.lineup = lineup == 1 ? .flowMap : .all
        self.coupling = coupling == 1 ? .ot : .independent
        self.view = viewKind
        steps = 1 << log2K
        self.threads = threads == 0 ? nil : threads
        var seed: UInt64 = 0
        var shift: UInt64 = 0
        while bits.read(1) == 1 {
            guard shift < 64, let group = bits.read(4) else { throw bad }
            seed |= UInt64(group) << shift
            shift += 4
        }
        self.seed = seed
        learningRate = nil
        if hasRate == 1 {
            guard let pattern = bits.read(32) else { throw bad }
            learningRate = Float(bitPattern: UInt32(pattern))
        }
        guard Sampler.stepRange.contains(steps), (self.threads ?? 1) <= TrainingConfig.maximumThreads else { throw bad }
    }

    /// Sets the run, K and view of the code in `state`.
    public func apply(to state: inout AppState) {
        state.dataset = dataset.rawValue
        state.method = method
        state.raceLineup = lineup
        state.coupling = coupling
        state.view = view
        state.racing = racing
        state.steps = steps
        state.threads = threads
        state.learningRate = learningRate
        state.seed = seed
    }
}

/// Bits appended most significant first, read out as 5-bit digits.
private struct BitWriter {
    var bits: [Bool] = []

    mutating func append(_ value: Int, width: Int) {
        for shift in stride(from: width - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    /// The bits in digits of 5, the last padded with zeros.
    func digits() -> [Int] {
        stride(from: 0, to: bits.count, by: 5).map { start in
            (0..<5).reduce(0) { value, i in value << 1 | (start + i < bits.count && bits[start + i] ? 1 : 0) }
        }
    }
}

/// Reads bits back from 5-bit digits; nil past the end.
private struct BitReader {
    let digits: [Int]
    var position = 0

    init(_ digits: [Int]) { self.digits = digits }

    mutating func read(_ width: Int) -> Int? {
        var value = 0
        for _ in 0..<width {
            guard position < 5 * digits.count else { return nil }
            value = value << 1 | (digits[position / 5] >> (4 - position % 5)) & 1
            position += 1
        }
        return value
    }
}
