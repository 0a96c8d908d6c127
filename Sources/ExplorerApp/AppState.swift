import FlowCore
import TerminalCanvas

/// Everything the UI shows, in one value. `update` changes it, `view` draws it.
public struct AppState: Sendable {
    /// The smallest terminal the layout supports.
    public static let minimumSize = Size(width: 60, height: 20)
    /// The t scrubber moves in steps of 1/`tDivisions`.
    public static let tDivisions = 16

    /// Terminal size in cells.
    public var size: Size
    /// The view on screen.
    public var view: ViewKind = .samples
    /// The run is a race of `raceLineup`: always in the race view, and in the views of one racer
    /// (`method`) that `1`..`4`, `6` and `7` open from it without stopping the race; else `method`
    /// trains alone.
    public var racing: Bool {
        get { view.showsRace || raceGoesOn }
        set { raceGoesOn = newValue }
    }
    /// The race trains on while another view studies one racer.
    var raceGoesOn = false
    /// Number of sampling steps K (a power of two in ``Sampler/stepRange``).
    public var steps: Int = 1
    /// How many times `r` asked for a fresh start (part of the ``RunKey``).
    public var resets = 0
    /// How many single steps `.` asked for (``WorkerRequest/singleSteps``).
    public var singleSteps = 0
    /// Slow motion (`<`, `>`) or full speed.
    public var speed: TrainingSpeed = .full
    /// t = tIndex / tDivisions (0...1); 1 shows the finished samples.
    public var tIndex: Int = AppState.tDivisions
    /// The help overlay is open.
    public var showHelp = false
    /// The `i` panel (what is being trained) is open.
    public var showInfo = false
    /// The guided tour (`tour [FILE]`, or the built-in one that `t` opens), nil until one is open.
    public var tour: Tour?
    /// The tour's current step, an index into `tour.steps`.
    public var tourStep = 0
    /// The tour panel is on screen (`t` shows or hides it).
    public var showTour = false
    /// Training is paused (the app's wish; the worker follows).
    public var paused = false
    /// The method the app asked for.
    public var method: Method
    /// The dataset the app asked for (toy name or CSV path).
    public var dataset: String
    /// The points drawn with `w` (interleaved [N, 2]), trained on while `dataset` is
    /// ``drawnName``.
    public var drawnPoints: [Float] = []
    /// Draw mode (`w`), nil when off.
    public var drawing: Drawing?
    /// The dataset name of a drawn set.
    public static let drawnName = "drawn"
    /// The file `W` writes a drawn set to (a CSV that `--dataset` reads back).
    public static let drawnFileName = "flow-explorer-drawn.csv"
    /// The training seed.
    public var seed: UInt64
    /// The Adam learning rate given with `--lr`, or nil for the method's default.
    public var learningRate: Float?
    /// The training threads given with `--threads`, or nil for all cores.
    public var threads: Int?
    /// How training batches pair noise with data (`--coupling`; `c` switches it).
    public var coupling: Coupling = .independent
    /// The methods the race trains (`g`).
    public var raceLineup: RaceLineup = .all
    /// The truth view's probe: a starting noise point x0 that arrow keys or h/j/k/l move.
    public var probe = SIMD2<Float>(0.5, 0.5)
    /// The exact path and the model's jumps from the probe, for the newest snapshot.
    public var probeReading: ProbeReading?
    /// The flow-map view's highlighted cell, in grid steps of 1/`FlowMapError.divisions`:
    /// s = flowMapStart / 8 and t = flowMapEnd / 8, s < t (the arrow keys or h/j/k/l move it;
    /// the caption reads out its error). It starts on (0, 1), the one-jump error.
    public var flowMapStart = 0
    /// t of the highlighted cell, in grid steps.
    public var flowMapEnd = FlowMapError.divisions
    /// Draw ASCII only (`--ascii` or a non-UTF-8 locale).
    public var ascii: Bool
    /// How plots turn points into characters (`--plot`): braille dots by default, half blocks or
    /// density shades for fonts without braille; `ascii` overrides it.
    public var plotMode: PlotMode = .braille
    /// Colours for series and frames.
    public var palette: Palette
    /// The newest snapshot from the worker for this method and dataset.
    public var snapshot: Snapshot?
    /// A short notice for the status bar ("saved ..."); `update` clears it `noticeLifetime` seconds
    /// after it was set (on a `tick`).
    public var notice: String? {
        didSet { noticeSince = now }
    }
    /// How long a notice stays on the status bar, in seconds.
    public static let noticeLifetime = 6.0
    /// When `notice` was last set, on the clock of `now`.
    public var noticeSince = 0.0
    /// Seconds since the UI started, as of the last `tick`.
    public var now = 0.0
    /// The serial of the last worker message shown as a notice.
    public var seenMessageSerial = 0
    /// A frame drawn from a checkpoint by `render`, not a live run: the status bar says so.
    public var rendered = false
    /// The iteration from which the status bar shows the straightness S: before it the network is
    /// near its random start, whose almost constant velocity gives straight paths (S near 0) that
    /// say nothing of what the model learns.
    public static let straightnessFrom = 500
    /// Set by `q` or Ctrl-C: the run loop stops.
    public var quit = false

    /// Creates the state for a run.
    public init(
        size: Size, method: Method = .fm, dataset: String = "8gaussians", seed: UInt64 = 0,
        ascii: Bool = false, palette: Palette = .color256
    ) {
        self.size = size
        self.method = method
        self.dataset = dataset
        self.seed = seed
        self.ascii = ascii
        self.palette = palette
    }

    /// In a race, the racer whose views are open (nil in the race view and outside a race).
    public var focus: Method? { racing && !view.showsRace ? method : nil }

    /// t as a number in [0, 1].
    public var t: Double { Double(tIndex) / Double(Self.tDivisions) }

    /// True when the terminal is at least `minimumSize`.
    public var isLargeEnough: Bool {
        size.width >= Self.minimumSize.width && size.height >= Self.minimumSize.height
    }

    /// The dataset as shown on screen and in pictures: control characters and characters not one
    /// column wide escaped, at most 60 characters (a CSV path comes from the command line or a
    /// checkpoint).
    public var displayDataset: String {
        dataset == Self.drawnName
            ? "drawn (\(drawnPoints.count / 2) points)" : SafeText.escaped(dataset, limit: 60, oneColumn: true)
    }

    /// The file `s` saves to: flow-explorer-<method>-<dataset>.safetensors in the current directory
    /// (a CSV dataset contributes its file name without directory and extension).
    public var checkpointFileName: String {
        "flow-explorer-\(method.rawValue)-\(fileSafeDatasetName).safetensors"
    }

    /// The dataset as part of a file name: a CSV path gives its file name without directory and
    /// extension; characters other than letters, digits, `-` and `_` become `_`; at most
    /// `maximumFileNameDataset` bytes of UTF-8, so that every name `s` and `e` write stays far
    /// below the 255 bytes a file name may have (a 235-character CSV name made `s` fail).
    public var fileSafeDatasetName: String {
        var name = dataset.split(separator: "/").last.map(String.init) ?? dataset
        if name.hasSuffix(".csv") { name.removeLast(4) }
        var safe = ""
        for character in name {
            let kept: Character =
                character.isLetter || character.isNumber || character == "-" || character == "_" ? character : "_"
            guard safe.utf8.count + kept.utf8.count <= Self.maximumFileNameDataset else { break }
            safe.append(kept)
        }
        return safe
    }

    /// The most bytes (UTF-8) of the dataset's name in a file name.
    public static let maximumFileNameDataset = 64
}
