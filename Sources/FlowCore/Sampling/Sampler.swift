/// A way to turn noise x0 ~ N(0, I) at t = 0 into samples at t = 1 with K steps: a name (the row
/// label of `eval` and `--sampler`) and the rule it applies. Each method lists its own samplers in
/// its ``MethodDefinition``; the common ones are here.
public struct Sampler: Hashable, Sendable, CustomStringConvertible {
    /// How a sampler moves x from t = i/K to t = (i+1)/K.
    public enum Rule: Hashable, Sendable {
        /// x <- x + h F(x, t), h = 1/K (a step-conditioned network is queried at its velocity step).
        case euler
        /// Heun's second-order method (explicit trapezoid), h = 1/K.
        case heun
        /// The classical fourth-order Runge-Kutta method, h = 1/K.
        case rk4
        /// One jump over the whole step with a step-conditioned network: x <- x + h F(x, t, h).
        case jump
        /// Consistency sampling (Song et al. 2023): x^1 = f(x, tau_i), then re-noise to tau_{i+1}
        /// with fresh noise, x = (1 - tau_{i+1}) eps + tau_{i+1} x^1, with tau_i = i/K; finish with f.
        case consistency

        /// Network evaluations per step: 1 for Euler, a jump and a consistency step; 2 for Heun
        /// (F at t and at t + h; the last step takes its correction too, so K steps cost 2K); 4 for RK4.
        public var evaluationsPerStep: Int {
            switch self {
            case .euler, .jump, .consistency: 1
            case .heun: 2
            case .rk4: 4
            }
        }
    }

    /// The step counts K the package takes anywhere (the UI, `eval`, `sample`, `render`): 1 to
    /// M = 128, the shortcut model's finest step d = 1/128 (DESIGN.md 1).
    public static let stepRange = 1...128

    /// The sampler's name, as `eval` prints it and `--sampler` takes it.
    public let name: String
    /// What one step does.
    public let rule: Rule

    /// A sampler named `name` that applies `rule`.
    public init(name: String, rule: Rule) {
        self.name = name
        self.rule = rule
    }

    /// The name.
    public var description: String { name }

    /// The number of network evaluations (NFE) of K = `steps` steps: `steps` x
    /// ``Rule/evaluationsPerStep`` (Euler, shortcut and MeanFlow jumps, consistency: K; Heun: 2K;
    /// RK4: 4K). What a step count costs, so samplers compare at equal cost.
    public func nfe(steps: Int) -> Int { steps * rule.evaluationsPerStep }

    /// The sampler at K steps as the UI titles it, with its cost: "heun K=1 (2 NFE)".
    public func label(steps: Int) -> String { "\(name) K=\(steps) (\(nfe(steps: steps)) NFE)" }

    /// Euler steps of the velocity (a step-conditioned network at its velocity step: the finest d of
    /// a shortcut model, "shortcut as Euler"; h = 0 for MeanFlow).
    public static let euler = Sampler(name: "euler", rule: .euler)
    /// Heun steps.
    public static let heun = Sampler(name: "heun", rule: .heun)
    /// Classical Runge-Kutta steps.
    public static let rk4 = Sampler(name: "rk4", rule: .rk4)
    /// Consistency sampling.
    public static let consistency = Sampler(name: "consistency", rule: .consistency)

    /// Runs K steps from `noise` [N, 2]. Returns the K + 1 states [N, 2] from t = 0 to t = 1 when
    /// `trajectory` is true, else only the final one. `rng` draws the re-noising of multistep
    /// consistency sampling (unused otherwise).
    public func run(model: some VelocityField, noise: [Float], steps: Int, trajectory: Bool = false, rng: inout SplitMix64)
        -> [[Float]]
    {
        precondition(steps >= 1)
        let rows = noise.count / 2
        let x = FloatBuffer(noise)
        let k1 = FloatBuffer(2 * rows)
        let k2 = FloatBuffer(2 * rows)
        let k3 = FloatBuffer(2 * rows)
        let k4 = FloatBuffer(2 * rows)
        let tmp = FloatBuffer(2 * rows)
        let n = 2 * rows
        let h = 1 / Float(steps)
        var frames: [[Float]] = trajectory ? [noise] : []
        for i in 0..<steps {
            let t = Float(i) / Float(steps)
            switch rule {
            case .euler:
                model.velocity(x.p, t: t, d: nil, rows: rows, into: k1.p)
                for j in 0..<n { x.p[j] += h * k1.p[j] }
            case .jump:
                model.velocity(x.p, t: t, d: h, rows: rows, into: k1.p)
                for j in 0..<n { x.p[j] += h * k1.p[j] }
            case .heun:
                model.velocity(x.p, t: t, d: nil, rows: rows, into: k1.p)
                for j in 0..<n { tmp.p[j] = x.p[j] + h * k1.p[j] }
                model.velocity(tmp.p, t: t + h, d: nil, rows: rows, into: k2.p)
                for j in 0..<n { x.p[j] += h / 2 * (k1.p[j] + k2.p[j]) }
            case .rk4:
                Self.rk4Step(model, x.p, t: t, h: h, rows: rows, scratch: (k1.p, k2.p, k3.p, k4.p, tmp.p))
            case .consistency:
                model.consistency(x.p, t: t, rows: rows, into: k1.p)
                if i + 1 < steps {
                    let next = Float(i + 1) / Float(steps)
                    for j in 0..<n { x.p[j] = (1 - next) * rng.gaussian() + next * k1.p[j] }
                } else {
                    x.p.update(from: k1.p, count: n)
                }
            }
            if trajectory { frames.append(x.array) }
        }
        return trajectory ? frames : [x.array]
    }

    /// One classical RK4 step of `field` from (x, t) over h, in place on x [rows, 2]; `scratch`
    /// holds five buffers of 2 x rows Floats (k1...k4 and the stage point).
    static func rk4Step(
        _ field: some VelocityField, _ x: UnsafeMutablePointer<Float>, t: Float, h: Float, rows: Int,
        scratch: (
            UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
            UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
        )
    ) {
        let (k1, k2, k3, k4, tmp) = scratch
        let n = 2 * rows
        field.velocity(x, t: t, d: nil, rows: rows, into: k1)
        for j in 0..<n { tmp[j] = x[j] + h / 2 * k1[j] }
        field.velocity(tmp, t: t + h / 2, d: nil, rows: rows, into: k2)
        for j in 0..<n { tmp[j] = x[j] + h / 2 * k2[j] }
        field.velocity(tmp, t: t + h / 2, d: nil, rows: rows, into: k3)
        for j in 0..<n { tmp[j] = x[j] + h * k3[j] }
        field.velocity(tmp, t: t + h, d: nil, rows: rows, into: k4)
        for j in 0..<n { x[j] += h / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]) }
    }

    /// The final samples only.
    public func sample(model: some VelocityField, noise: [Float], steps: Int, rng: inout SplitMix64) -> [Float] {
        run(model: model, noise: noise, steps: steps, rng: &rng)[0]
    }
}
