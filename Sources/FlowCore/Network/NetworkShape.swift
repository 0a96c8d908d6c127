/// The shape of the MLP every method trains (``Network``): input [x (2), emb(t), emb(d) if step-conditioned],
/// `depth` hidden layers of `width` units with SiLU, and a linear output of 2.
///
/// Parameters live in one flat Float buffer, layer after layer: W_l as [fan_in][fan_out] (row =
/// input unit), then b_l [fan_out].
public struct NetworkShape: Sendable, Equatable, Codable {
    /// Units per hidden layer, 1...4096 (default 128).
    public var width: Int
    /// Number of hidden layers, 1...16 (default 3).
    public var depth: Int
    /// E, the number of sinusoidal features per scalar input (t, d): even, 2...512 (default 32).
    public var embeddingSize: Int
    /// Whether the network takes the step size d (shortcut models) as an input.
    public var stepConditioned: Bool
    /// The scale of the sinusoidal features: emb(s) = [sin(scale s f_k), cos(scale s f_k)]
    /// (default 1000; a gentler scale keeps the features' derivative in s small: docs/recipes.md,
    /// "MeanFlow").
    public var timeScale: Float

    /// A shape; the defaults: 3 hidden layers of 128 units, 32 features of t, feature scale 1000.
    public init(width: Int = 128, depth: Int = 3, embeddingSize: Int = 32, stepConditioned: Bool = false, timeScale: Float = 1000)
    {
        self.width = width
        self.depth = depth
        self.embeddingSize = embeddingSize
        self.stepConditioned = stepConditioned
        self.timeScale = timeScale
    }

    /// 2 + E (+ E when step-conditioned).
    public var inputWidth: Int { 2 + embeddingSize * (stepConditioned ? 2 : 1) }

    /// Widths of every layer boundary: [inputWidth, width x depth, 2].
    public var layerWidths: [Int] { [inputWidth] + Array(repeating: width, count: depth) + [2] }

    /// Number of linear layers (depth + 1).
    public var layerCount: Int { depth + 1 }

    /// Offset of W_l in the flat buffer; b_l follows it at `weightOffset(l) + fanIn * fanOut`.
    public func weightOffset(_ layer: Int) -> Int {
        let w = layerWidths
        var offset = 0
        for l in 0..<layer { offset += w[l] * w[l + 1] + w[l + 1] }
        return offset
    }

    /// The length of the flat parameter buffer: the sum over layers of fan_in x fan_out + fan_out.
    public var parameterCount: Int { weightOffset(layerCount) }

    /// The most parameters a network may have (2^24, 64 MB of Float32 weights; width 2048 at
    /// depth 4 has 12.7 million): this bounds a checkpoint's size, and so what a reader accepts.
    public static let maximumParameterCount = 1 << 24

    /// A readable error if the shape cannot be built, else nil.
    public var problem: String? {
        if width < 1 || width > 4096 { return "width must be between 1 and 4096" }
        if depth < 1 || depth > 16 { return "depth must be between 1 and 16" }
        if !(timeScale > 0 && timeScale <= 100_000) { return "the time scale of the features must be in (0, 100000]" }
        if embeddingSize < 2 || embeddingSize > 512 || embeddingSize % 2 != 0 {
            return "embedding size must be an even number between 2 and 512"
        }
        if parameterCount > Self.maximumParameterCount {
            return "the network would have \(parameterCount) parameters, "
                + "more than \(Self.maximumParameterCount): lower the width or depth"
        }
        return nil
    }

    /// Multiply-adds x 2 of one forward pass per row (matrix products only).
    public var forwardFlopsPerRow: Int {
        let w = layerWidths
        return (0..<layerCount).reduce(0) { $0 + 2 * w[$1] * w[$1 + 1] }
    }

    /// FLOPs per row of one backward pass: the weight gradients (same as forward) and the input
    /// gradients of every layer but the first.
    public var backwardFlopsPerRow: Int {
        let w = layerWidths
        return forwardFlopsPerRow + (1..<layerCount).reduce(0) { $0 + 2 * w[$1] * w[$1 + 1] }
    }
}
