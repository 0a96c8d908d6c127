/// The self-consistency error of a consistency model (DESIGN.md section 3.3): how far f(x_t, t)
/// lands from the data end of the true PF-ODE trajectory through x_t.
///
/// True trajectories: the teacher's (a flow-matching model's) PF-ODE, integrated with RK4 in
/// `steps` steps (at least 128) from `trajectories` noise points. On each, the states x_t at the
/// times t = i / `points` (i = 0..<points; `steps` must be a multiple of `points`) are mapped by f;
/// the error is the mean Euclidean distance |f(x_t, t) - x_1| to that trajectory's end x_1. A
/// perfect consistency model sends every point of a trajectory to its end, error 0.
public enum SelfConsistency {
    public struct Result: Sendable {
        /// Mean |f(x_t, t) - x_1| over trajectories and times.
        public var error: Double
        /// The same mean at each time t_i, from noise (t = 0) towards data.
        public var errorAtTime: [Double]
    }

    public static func evaluate(model: some VelocityField, teacher: some VelocityField, trajectories: Int = 512,
                                points: Int = 16, steps: Int = 128, seed: UInt64 = 0) -> Result {
        precondition(steps >= points && steps % points == 0)
        var rng = SplitMix64.stream(seed: seed, 13)
        let noise = (0..<(2 * trajectories)).map { _ in rng.gaussian() }
        let frames = Sampler.rk4.run(model: teacher, noise: noise, steps: steps, trajectory: true, rng: &rng)
        let end = frames[steps]
        var f = [Float](repeating: 0, count: noise.count)
        var perTime: [Double] = []
        for i in 0..<points {
            let t = Float(i) / Float(points)
            model.consistency(frames[i * steps / points], t: t, rows: trajectories, into: &f)
            var total = 0.0
            for r in 0..<trajectories {
                let dx = Double(f[2 * r] - end[2 * r]), dy = Double(f[2 * r + 1] - end[2 * r + 1])
                total += (dx * dx + dy * dy).squareRoot()
            }
            perTime.append(total / Double(trajectories))
        }
        return Result(error: perTime.reduce(0, +) / Double(points), errorAtTime: perTime)
    }
}
