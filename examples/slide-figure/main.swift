// Writes an SVG figure for slides: the compare view (Euler against the shortcut model at the same
// K, from the same noise) drawn by ExplorerApp's SVG export, the same picture as `e` in the UI.
//
// Usage: slide-figure [CHECKPOINT] [--steps K] [--out FILE.svg]
// Without a checkpoint it trains a shortcut model on moons for 3,000 iterations first.
import ExplorerApp
import FlowCore
import Foundation
import TerminalCanvas

var arguments = Array(CommandLine.arguments.dropFirst())
/// Removes `name VALUE` from the arguments and returns VALUE.
func option(_ name: String, _ arguments: inout [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
let steps = option("--steps", &arguments).flatMap(Int.init) ?? 1
let out = option("--out", &arguments) ?? "slide-figure.svg"

let checkpoint: Checkpoint
if let path = arguments.first {
    checkpoint = try Checkpoint.read(path: path)
} else {
    var config = TrainingConfig(method: .shortcut)
    config.iterations = 3000
    let trainer = try Trainer(config: config, dataset: .toy(.moons))
    for _ in 0..<config.iterations { trainer.step() }
    checkpoint = trainer.checkpoint()
}

// The same Visuals the UI and `render` draw, for K steps, with 2,048 points per picture.
let builder = VisualsBuilder(dataset: try Dataset.named(checkpoint.dataset), count: 2048, seed: 0)
var snapshot = Snapshot(method: checkpoint.method, dataset: checkpoint.dataset, seed: checkpoint.seed)
snapshot.iteration = checkpoint.iterations
snapshot.visuals = builder.build(
    model: Model(checkpoint: checkpoint), method: checkpoint.method, steps: steps, iteration: checkpoint.iterations)
var state = AppState(
    size: Size(width: 120, height: 40), method: checkpoint.method, dataset: checkpoint.dataset, seed: checkpoint.seed)
state.view = .compare
state.steps = steps
state.snapshot = snapshot

guard let svg = SVGExport.document(state) else { fatalError("no pictures were built") }
try AtomicFile.write(Data(svg.utf8), to: out)
print("wrote \(out): \(SVGExport.title(state))")
