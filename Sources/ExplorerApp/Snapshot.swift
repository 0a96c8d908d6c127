import FlowCore
import TerminalCanvas

/// What the training worker publishes for the UI: an immutable value, newest wins.
///
/// Everything numeric the views need is in here, precomputed on the worker from the EMA weights,
/// so drawing a frame only maps points to cells.
public struct Snapshot: Sendable {
    /// The run this snapshot belongs to.
    public var run: RunKey
    /// In a race, the racer whose model `visuals` and the losses show (nil: the race's panels).
    public var focus: Method?
    /// The method whose model `visuals` and the losses show: the run's, or the focused racer's.
    public var method: Method
    /// The dataset name (a toy name or a CSV path).
    public var dataset: String { run.dataset }
    /// The training seed.
    public var seed: UInt64 { run.seed }
    /// Training iterations done.
    public var iteration: Int
    /// Measured training iterations per second (0 when paused).
    public var iterationsPerSecond: Double
    /// False while paused.
    public var running: Bool
    /// Set while something other than the model trains, e.g. "training the fm teacher 400/2000".
    public var phase: String?
    /// Total loss over the whole run, smoothed (see `LossHistory`), oldest first.
    public var losses: [Float]
    /// The first loss part (``MethodDefinition/lossParts``; shortcut: the flow-matching rows), same
    /// spacing; empty if none.
    public var flowMatchingLosses: [Float]
    /// The second loss part (shortcut: the bootstrap rows), same spacing; empty if none.
    public var bootstrapLosses: [Float]
    /// A one-line message for the status bar (a save, an error) and a serial that changes with it.
    public var message: String?
    /// Increments with every new message.
    public var messageSerial: Int
    /// Set when training stopped because the loss or the EMA weights became non-finite, e.g.
    /// "training diverged at iteration 412 (loss nan): press r to reset (try a lower --lr)".
    public var divergence: String?
    /// Plots, recomputed now and then; nil until the first ones are ready.
    public var visuals: Visuals?
    /// The iterations at which each reflow round (`f`) started, oldest first: the pairs of round k
    /// came from the model at `reflowStarts[k - 1]` (``RunRecipe`` rebuilds the rounds from them).
    public var reflowStarts: [Int] = []
    /// The reflow round of the model (0: trained on independent or OT pairs).
    public var reflowRound: Int { reflowStarts.count }
    /// The race view's panels; nil until ready or when not racing.
    public var race: RaceVisuals?
    /// The pictures show the live weights rather than the EMA weights (after a single step `.`, and
    /// in slow motion; ``TrainingSession``).
    public var liveWeights = false

    /// Creates a snapshot of the run of `method` alone with no history and no visuals.
    public init(method: Method, dataset: String, seed: UInt64) {
        self.init(run: RunKey(subject: .method(method), dataset: dataset, seed: seed), focus: nil)
    }

    /// Creates a snapshot of `run` with no history and no visuals.
    public init(run: RunKey, focus: Method?) {
        self.run = run
        self.focus = focus
        switch run.subject {
        case .method(let method): self.method = method
        case .race(let lineup): self.method = focus ?? lineup.methods[0]
        }
        iteration = 0
        iterationsPerSecond = 0
        running = true
        losses = []
        flowMatchingLosses = []
        bootstrapLosses = []
        messageSerial = 0
    }
}

/// Points and paths for every view, computed from one copy of the EMA weights.
public struct Visuals: Sendable {
    /// Training iteration of the weights used.
    public var iteration: Int
    /// The number of steps K the samplers used.
    public var steps: Int
    /// World rectangle shared by all views of this dataset.
    public var bounds: PlotBounds
    /// The SW2 between two independent data sets of the pictures' size (``VisualsBuilder/noiseFloor``).
    public var noiseFloor: Double
    /// Data points x1 [N, 2] interleaved.
    public var data: [Float]
    /// Independent noise x0 [N, 2] paired with `data`, for the true x_t = (1 - t) x0 + t x1.
    public var dataNoise: [Float]
    /// The method's main sampler (euler, shortcut or consistency).
    public var sampler: Sampler
    /// The main sampler's K + 1 states [N, 2] from t = 0 to t = 1.
    public var frames: [[Float]]
    /// About 64 fine paths from noise to data, each interleaved [x, y, x, y, ...].
    public var paths: [[Float]]
    /// What the fine paths are, for the caption.
    public var pathsSource: String
    /// The same starting points' K-step sampler states, each interleaved (straight jumps).
    public var jumps: [[Float]]
    /// The two panels of the compare view.
    public var compare: [ComparePanel]
    /// The consistency view's points; nil until the exact flow of the data is ready.
    public var consistency: ConsistencyVisual?
    /// The straightness S of the model's own ODE paths (``Straightness``; 128 Euler steps from
    /// 128 of the noise points), nil for a model without a velocity.
    public var straightness: Double?
    /// The truth view's pictures; nil until the exact flow is ready, or while the view is hidden.
    public var truth: TruthVisual?
    /// The flow-map view's cells: the model's flow-map error on the ground truth's exact paths
    /// (``GroundTruth/flowMapError(_:paths:)``); nil until the exact flow is ready, or while the
    /// view is hidden.
    public var flowMap: FlowMapError?

    /// The index of the main sampler's frame nearest time `t` (frame i is at t = i / K).
    public func frameIndex(at t: Double) -> Int {
        let k = frames.count - 1
        return min(k, max(0, Int((t * Double(k)).rounded())))
    }

    /// The data at time `t`: x1 itself at t = 1, else x_t = (1 - t) x0 + t x1 with `dataNoise`.
    public func data(at t: Double) -> [Float] {
        guard t < 1 else { return data }
        let s = Float(t)
        return zip(data, dataNoise).map { (1 - s) * $1 + s * $0 }
    }

    /// The pictures made against the exact flow of the data, each only for a view that shows it.
    public enum Extra: Hashable, Sendable {
        /// ``consistency``: x_t on exact paths joined to the model's jump to the end.
        case consistency
        /// ``truth``: the jump-error heat map over the noise.
        case truth
        /// ``flowMap``: the flow-map error on every (s, t) cell.
        case flowMap
    }

    /// One side of the compare view.
    public struct ComparePanel: Sendable {
        /// The sampler's name with K and its NFE, e.g. "heun K=4 (8 NFE)" (``Sampler/label(steps:)``).
        public var label: String
        /// Final samples [N, 2].
        public var points: [Float]
        /// Sliced Wasserstein-2 distance to the data.
        public var sw2: Double
    }

    /// Points x_t on true ODE paths joined to the model's f(x_t, t).
    public struct ConsistencyVisual: Sendable {
        /// Exact paths of the data's flow (``GroundTruth``), each interleaved.
        public var paths: [[Float]]
        /// Points x_t on those paths at t = 0, 1/16, ..., 15/16, [M, 2].
        public var points: [Float]
        /// The jump to the end from each point (f(x_t, t) for a consistency model), [M, 2].
        public var predictions: [Float]
        /// The self-consistency error on the ground truth's 512 paths (``GroundTruth``), the
        /// number `eval --truth` prints.
        public var error: Double
    }
}
