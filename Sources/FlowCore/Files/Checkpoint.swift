import Foundation

/// A trained model as a safetensors file (``Safetensors``).
///
/// Tensors: `layers.L.weight` [fan_in, fan_out] and `layers.L.bias` [fan_out] for the online
/// weights, and the same names under `ema.` for the EMA weights. (The weight is stored as
/// [fan_in, fan_out], the transpose of PyTorch's `nn.Linear.weight`.) `__metadata__` holds the
/// method, dataset, seed, iteration count and network shape as strings, plus any `extra` entries.
public struct Checkpoint: Sendable {
    /// The training method, which decides the samplers and the meaning of the network.
    public var method: Method
    /// The dataset: a built-in name or the absolute path of a CSV file.
    public var dataset: String
    /// The training seed.
    public var seed: UInt64
    /// The training steps taken.
    public var iterations: Int
    /// The network shape (width, depth, features, step input, feature scale).
    public var shape: NetworkShape
    /// The online weights, flat, in the order of `NetworkShape.weightOffset(_:)`.
    public var parameters: [Float]
    /// The EMA weights (what the samplers use), in the same order.
    public var ema: [Float]
    /// Method options and results worth keeping (e.g. the teacher's path, the final loss).
    public var extra: [String: String]

    /// The reflow round of the model (``TrainingConfig/reflowRound``, from `reflow_round` in the
    /// metadata): 0 for a model trained on independent or OT pairs.
    public var reflowRound: Int { extra["reflow_round"].flatMap { Int($0) } ?? 0 }

    /// The version written to `format_version`.
    public static let formatVersion = "1"

    /// A checkpoint of the given fields.
    public init(
        method: Method, dataset: String, seed: UInt64, iterations: Int, shape: NetworkShape,
        parameters: [Float], ema: [Float], extra: [String: String] = [:]
    ) {
        self.method = method
        self.dataset = dataset
        self.seed = seed
        self.iterations = iterations
        self.shape = shape
        self.parameters = parameters
        self.ema = ema
        self.extra = extra
    }

    /// The safetensors bytes: every tensor under its name, and the metadata.
    public func encoded() -> Data {
        var tensors: [String: Safetensors.Tensor] = [:]
        let w = shape.layerWidths
        for l in 0..<shape.layerCount {
            let o = shape.weightOffset(l)
            let nw = w[l] * w[l + 1]
            let nb = w[l + 1]
            for (prefix, values) in [("", parameters), ("ema.", ema)] {
                tensors["\(prefix)layers.\(l).weight"] = .init(shape: [w[l], w[l + 1]], values: Array(values[o..<(o + nw)]))
                tensors["\(prefix)layers.\(l).bias"] = .init(shape: [nb], values: Array(values[(o + nw)..<(o + nw + nb)]))
            }
        }
        var metadata = extra
        metadata["format"] = "flow-explorer"
        metadata["format_version"] = Self.formatVersion
        metadata["method"] = method.rawValue
        metadata["dataset"] = dataset
        metadata["seed"] = String(seed)
        metadata["iterations"] = String(iterations)
        metadata["width"] = String(shape.width)
        metadata["depth"] = String(shape.depth)
        metadata["embedding_size"] = String(shape.embeddingSize)
        metadata["step_conditioned"] = String(shape.stepConditioned)
        metadata["time_scale"] = String(shape.timeScale)
        return Safetensors.encode(tensors: tensors, metadata: metadata)
    }

    /// Writes to a temporary file and renames it into place (see `AtomicFile`); `inputs` are the
    /// files the command reads, which the checkpoint must not replace.
    public func write(to path: String, inputs: [String] = []) throws {
        try AtomicFile.write(encoded(), to: path, inputs: inputs)
    }

    /// The checkpoint's dataset, loaded; an error names the checkpoint (read from `path`) too, since
    /// a CSV dataset may have moved since training.
    public func loadDataset(path: String) throws -> Dataset {
        do {
            return try Dataset.named(dataset)
        } catch let error as FlowError {
            throw FlowError.badInput("\(SafeText.escaped(path, limit: 240)): its dataset: \(error.description)")
        }
    }

    /// The longest header a checkpoint may have (its JSON: tensor names, shapes and metadata).
    public static let maximumHeaderLength = 1 << 20
    /// The largest file a checkpoint can be: the header and the online and EMA weights of the
    /// largest network (`NetworkShape.maximumParameterCount`).
    public static let maximumFileSize = 8 + maximumHeaderLength + 2 * 4 * NetworkShape.maximumParameterCount
    /// The largest weight magnitude a checkpoint may hold: trained networks stay far below it, and
    /// larger weights overflow Float32 in a forward pass (3e38 gives NaN samples).
    public static let maximumWeightMagnitude: Float = 1e6

    /// Reads and validates the checkpoint at `path` (see `decode`). The size is checked before
    /// anything is read: a file larger than `maximumFileSize` (or not a regular file) is refused
    /// without reading it.
    public static func read(path: String) throws -> Checkpoint {
        let shown = SafeText.escaped(path, limit: 240)
        let descriptor = try ReadableFile.open(path)
        defer { close(descriptor) }
        func cannotRead(_ code: Int32) -> FlowError {
            .badInput("\(shown): cannot read the file (\(DescriptorWriter.message(code)))")
        }
        var info = stat()
        fstat(descriptor, &info)
        let size = Int(info.st_size)
        guard size <= maximumFileSize else {
            throw FlowError.badInput(
                "\(shown): not a flow-explorer checkpoint: "
                    + "the file has \(size) bytes, more than any checkpoint (\(maximumFileSize))")
        }
        // The header length comes first: a header over the limit is refused before the file is read.
        var prefix = [UInt8](repeating: 0, count: 8)
        if size >= 8, pread(descriptor, &prefix, 8, 0) == 8 {
            let length = Safetensors.headerLength(prefix)
            guard length <= UInt64(maximumHeaderLength) else {
                throw FlowError.badInput(
                    "\(shown): not a flow-explorer checkpoint: header length \(length) is too large "
                        + "(a checkpoint's is at most \(maximumHeaderLength) bytes)")
            }
        }
        var data = Data(count: size)
        var done = 0
        let failure: Int32 = data.withUnsafeMutableBytes { buffer in
            while done < size {
                let n = Foundation.read(descriptor, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { return errno }
                if n == 0 { break }
                done += n
            }
            return 0
        }
        guard failure == 0 else { throw cannotRead(failure) }
        return try decode(data.prefix(done), name: path)
    }

    /// Validates a file fully: the format, the metadata, every tensor's name and shape, and that
    /// every weight is finite.
    public static func decode(_ data: Data, name: String) throws -> Checkpoint {
        let (tensors, meta) = try Safetensors.decode(data, name: name, maximumHeaderLength: maximumHeaderLength)
        func fail(_ why: String) -> FlowError {
            .badInput("\(SafeText.escaped(name, limit: 240)): not a flow-explorer checkpoint: \(why)")
        }
        guard meta["format"] == "flow-explorer" else { throw fail("no flow-explorer metadata") }
        guard let methodName = meta["method"], let method = Method(rawValue: methodName) else { throw fail("unknown method") }
        guard let dataset = meta["dataset"], !dataset.isEmpty else { throw fail("no dataset") }
        guard Dataset.isValidName(dataset) else { throw fail("bad dataset name '\(SafeText.escaped(dataset))'") }
        guard let seed = meta["seed"].flatMap({ UInt64($0) }) else { throw fail("bad seed") }
        guard let iterations = meta["iterations"].flatMap({ Int($0) }), iterations >= 0 else { throw fail("bad iteration count") }
        guard let width = meta["width"].flatMap({ Int($0) }), let depth = meta["depth"].flatMap({ Int($0) }),
            let embeddingSize = meta["embedding_size"].flatMap({ Int($0) }),
            let stepConditioned = meta["step_conditioned"].flatMap({ Bool($0) })
        else { throw fail("bad network shape") }
        // Files written before the time scale was a setting used 1000.
        guard let timeScale = meta["time_scale"].map({ Float($0) }) ?? 1000 else { throw fail("bad network shape") }
        let shape = NetworkShape(
            width: width, depth: depth, embeddingSize: embeddingSize, stepConditioned: stepConditioned, timeScale: timeScale)
        if let problem = shape.problem { throw fail(problem) }
        guard stepConditioned == method.isStepConditioned else { throw fail("the network shape does not fit the method") }

        let w = shape.layerWidths
        // Filled tensor by tensor in the flat order (W_0, b_0, W_1, ...): memory grows with the
        // tensors the file holds, not with the network size its metadata claims.
        var parameters: [Float] = []
        var ema: [Float] = []
        var expectedNames = Set<String>()
        for l in 0..<shape.layerCount {
            for prefix in ["", "ema."] {
                for (suffix, tensorShape) in [("weight", [w[l], w[l + 1]]), ("bias", [w[l + 1]])] {
                    let key = "\(prefix)layers.\(l).\(suffix)"
                    expectedNames.insert(key)
                    guard let t = tensors[key] else { throw fail("tensor \(key) is missing") }
                    guard t.shape == tensorShape else {
                        let shown = t.shape.count <= 4 ? "\(t.shape)" : "\(t.shape.count) dimensions"
                        throw fail("tensor \(key) has shape \(shown), expected \(tensorShape)")
                    }
                    guard t.values.allSatisfy(\.isFinite) else { throw fail("tensor \(key) holds NaN or infinite values") }
                    if let big = t.values.first(where: { abs($0) > maximumWeightMagnitude }) {
                        throw fail("tensor \(key) holds the weight \(big), beyond the largest allowed magnitude 1e6")
                    }
                    if prefix.isEmpty { parameters += t.values } else { ema += t.values }
                }
            }
        }
        if let unexpected = Set(tensors.keys).subtracting(expectedNames).sorted().first {
            throw fail("unexpected tensor \(SafeText.escaped(unexpected))")
        }
        var extra = meta
        for key in [
            "format", "format_version", "method", "dataset", "seed", "iterations", "width", "depth", "embedding_size",
            "step_conditioned",
            "time_scale",
        ] {
            extra[key] = nil
        }
        let checkpoint = Checkpoint(
            method: method, dataset: dataset, seed: seed, iterations: iterations, shape: shape,
            parameters: parameters, ema: ema, extra: extra)
        do {
            _ = try TrainingConfig(checkpoint: checkpoint)
        } catch let error as FlowError {
            throw fail(error.description)
        }
        return checkpoint
    }
}
