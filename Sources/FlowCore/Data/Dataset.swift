import Foundation

/// A source of data points: one of the toy distributions, or a fixed set of points loaded from a
/// CSV file (sampled uniformly with replacement).
public enum Dataset: Sendable {
    /// One of the built-in 2D toy distributions.
    case toy(ToyDataset)
    /// A fixed set of points, drawn uniformly with replacement: `name` is the CSV file's path, `values`
    /// the points as a flat [N, 2] array (x and y of each point in turn).
    case points(name: String, values: [Float])

    /// The name stored in checkpoints: the toy name, or the CSV file's absolute path (so that a
    /// checkpoint can be evaluated from any folder).
    public var name: String {
        switch self {
        case .toy(let toy): toy.rawValue
        case .points(let name, _): name
        }
    }

    /// A toy dataset by name, or else the points of the CSV file at that path (a relative path is
    /// made absolute against the current folder).
    public static func named(_ name: String) throws -> Dataset {
        if let toy = ToyDataset(rawValue: name) { return .toy(toy) }
        if name.hasSuffix(".csv") {
            let values = try PointsCSV.read(path: name)
            return .points(name: URL(fileURLWithPath: name).standardizedFileURL.path, values: values)
        }
        let names = ToyDataset.allCases.map(\.rawValue).joined(separator: ", ")
        throw FlowError.badInput("unknown dataset '\(SafeText.escaped(name))': use one of \(names), or a .csv file of points")
    }

    /// Whether `name` can name a dataset: a toy name, or a path ending in `.csv` without control
    /// characters (checkpoints are checked with this when they are read).
    public static func isValidName(_ name: String) -> Bool {
        if ToyDataset(rawValue: name) != nil { return true }
        return name.hasSuffix(".csv") && name.utf8.count <= 4096 && !SafeText.hasControlCharacters(name)
    }

    /// The largest coordinate magnitude of the data: the points' largest |x| or |y|, or 5 for a
    /// toy dataset (they lie within about [-5, 5]^2).
    public var magnitude: Float {
        switch self {
        case .toy: 5
        case .points(_, let values): values.reduce(0) { max($0, abs($1)) }
        }
    }

    /// Draws `count` points into `out` as [count, 2] (`out` must have room for `2 * count` Floats).
    public func sample(count: Int, rng: inout SplitMix64, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case .toy(let toy):
            toy.sample(count: count, rng: &rng, into: out)
        case .points(_, let values):
            let n = values.count / 2
            for i in 0..<count {
                let j = rng.index(n)
                out[2 * i] = values[2 * j]
                out[2 * i + 1] = values[2 * j + 1]
            }
        }
    }

    /// Draws `count` points as a flat [count, 2] array.
    public func sample(count: Int, rng: inout SplitMix64) -> [Float] {
        var out = [Float](repeating: 0, count: 2 * count)
        out.withUnsafeMutableBufferPointer { sample(count: count, rng: &rng, into: $0.baseAddress!) }
        return out
    }
}
