// Trains flow matching on 8gaussians for a few thousand steps and prints how the Euler sampler's
// quality depends on the number of steps: one step collapses onto the data mean.
import FlowCore

var config = TrainingConfig(method: .fm)
config.iterations = 3000
let trainer = try Trainer(config: config, dataset: .toy(.eightGaussians))
for _ in 0..<config.iterations { trainer.step() }

let model = Model(checkpoint: trainer.checkpoint())
let result = Evaluation.run(
    model: model, dataset: trainer.dataset, steps: [1, 4, 16, 128], samples: 2048, seed: 0,
    samplers: [.euler])
print("Euler steps   SW2 (noise floor \(result.floorSW2))")
for row in result.rows { print("\(row.steps)\t\(row.sw2)") }
