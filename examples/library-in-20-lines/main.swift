// The library from Swift in about 20 lines: train a shortcut model briefly on moons, take ONE
// jump from noise (K = 1, step size d = 1), and measure how far the samples are from the data
// with the sliced Wasserstein-2 distance (lower is better; compare it with the noise floor).
import FlowCore

var config = TrainingConfig(method: .shortcut)  // Frans et al. 2024; batch 256, Adam 1e-3, EMA 0.999
config.iterations = 3000
let trainer = try Trainer(config: config, dataset: .toy(.moons))
for _ in 0..<config.iterations { trainer.step() }

let model = Model(checkpoint: trainer.checkpoint())  // samples with the EMA weights
var rng = SplitMix64(seed: 0)
let noise = (0..<(2 * 2048)).map { _ in rng.gaussian() }  // x0 ~ N(0, I), rows [2048, 2]
let samples = ShortcutMethod.sampler.sample(model: model, noise: noise, steps: 1, rng: &rng)
let data = trainer.dataset.sample(count: 2048, rng: &rng)
let other = trainer.dataset.sample(count: 2048, rng: &rng)
let sw2 = SlicedWasserstein()
print("shortcut model, \(config.iterations) iterations, K = 1: SW2 \(sw2.distance(samples, data))")
print("noise floor (two data sets of the same size):  SW2 \(sw2.distance(other, data))")
