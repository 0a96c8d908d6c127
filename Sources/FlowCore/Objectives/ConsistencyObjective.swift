/// Consistency distillation and consistency training (Song, Dhariwal, Chen, Sutskever 2023,
/// "Consistency Models"; the iCT choices from Song and Dhariwal 2023, "Improved Techniques for
/// Training Consistency Models"; <doc:TimeConventionAndMethods>), in our time convention (t = 0 noise,
/// t = 1 data; the papers' sigma maps to t = 1 / (1 + sigma)).
///
/// f(x, t) = x + (1 - t) F(x, t). With levels t_i = i/N, n uniform in 0..<N per row:
/// x_{t_n} = (1 - t_n) x0 + t_n x1, and the less noisy neighbour x_{t_{n+1}} is
/// - CT: (1 - t_{n+1}) x0 + t_{n+1} x1, from the same pair;
/// - CD: one Euler or Heun step of the teacher's PF-ODE from x_{t_n} to t_{n+1}.
/// Loss: mean over rows of the pseudo-Huber distance sqrt(|f(x_{t_n}, t_n) - f^-(x_{t_{n+1}},
/// t_{n+1})|^2 + c^2) - c, with f^- from the target weights under stop-gradient.
public final class ConsistencyObjective: Objective {
    /// The flow-matching teacher for consistency distillation; nil for consistency training.
    public let teacher: Model?
    /// The ODE step the teacher takes from t_n to t_{n+1} (CD only).
    public let teacherStep: TrainingConfig.TeacherStep
    /// c of the pseudo-Huber distance sqrt(|a - b|^2 + c^2) - c.
    public let huberC: Float
    /// N at a given iteration.
    public let levelsAt: @Sendable (Int) -> Int
    /// The teacher and its copies, one per shard (`teacher` is the first).
    let teachers: [Model]
    /// N in the current step.
    var levels = 1
    let tNext: FloatBuffer
    let xNext: FloatBuffer
    let v1: FloatBuffer
    let v2: FloatBuffer

    /// Creates the objective and its scratch buffers.
    ///
    /// - Parameters:
    ///   - batchSize: B, the rows of every batch it will see.
    ///   - teacher: A flow-matching model for distillation (CD), or nil for consistency training (CT).
    ///   - teacherStep: Euler or Heun, for the teacher's step (ignored without a teacher).
    ///   - huberC: c of the pseudo-Huber distance.
    ///   - levelsAt: N as a function of the iteration: a constant for CD, `curriculum(start:end:total:)` for CT.
    ///   - shards: The number of shards a step is split into: each gets its own copy of the teacher
    ///     (a ``Model`` runs one pass at a time).
    public init(
        batchSize: Int, teacher: Model?, teacherStep: TrainingConfig.TeacherStep, huberC: Float,
        levelsAt: @escaping @Sendable (Int) -> Int, shards: Int = 1
    ) {
        self.teacher = teacher
        teachers = (0..<max(1, shards)).compactMap { index in
            guard let teacher else { return nil }
            return index == 0
                ? teacher
                : Model(
                    method: teacher.method, shape: teacher.network.shape, parameters: teacher.parameters.array,
                    velocityStep: teacher.velocityStep)
        }
        self.teacherStep = teacherStep
        self.huberC = huberC
        self.levelsAt = levelsAt
        tNext = FloatBuffer(batchSize)
        xNext = FloatBuffer(2 * batchSize)
        v1 = FloatBuffer(2 * batchSize)
        v2 = FloatBuffer(2 * batchSize)
    }

    /// The iCT curriculum: N doubles from `start` to `end` in log2(end/start) + 1 equal phases of
    /// `total` iterations (8 to 128: five phases of N = 8, 16, 32, 64, 128).
    public static func curriculum(start: Int, end: Int, total: Int) -> @Sendable (Int) -> Int {
        var count = 1
        while start << (count - 1) < end { count += 1 }
        let phases = count
        return { iteration in
            let phase = total > 0 ? min(phases - 1, iteration * phases / total) : phases - 1
            return min(end, start << phase)
        }
    }

    /// The pseudo-Huber distance sqrt(|a|^2 + c^2) - c of a difference a = (ax, ay), and its
    /// gradient a / sqrt(|a|^2 + c^2).
    @inline(__always)
    public static func pseudoHuber(_ ax: Float, _ ay: Float, c: Float) -> (value: Float, gx: Float, gy: Float) {
        let r = (ax * ax + ay * ay + c * c).squareRoot()
        guard r > 0 else { return (0, 0, 0) }
        return (r - c, ax / r, ay / r)
    }

    /// Draws x0, x1 and a level n per row (N from the curriculum), and forms x_{t_n}; for CT also its
    /// less noisy neighbour from the same pair.
    public func prepare(_ c: ObjectiveContext, rng: inout SplitMix64) {
        let b = c.batch
        let n = levelsAt(c.iteration)
        levels = n
        b.drawEndpoints(c.dataset, rng: &rng)
        for r in 0..<b.size {
            let level = rng.index(n)
            b.t.p[r] = Float(level) / Float(n)
            tNext.p[r] = Float(level + 1) / Float(n)
        }
        b.interpolate(times: b.t.p, into: b.xt.p)
        if teacher == nil { b.interpolate(times: tNext.p, into: xNext.p) }
    }

    /// For the shard's rows: the less noisy neighbour by a teacher step (CD), the target
    /// f^-(x_{t_{n+1}}, t_{n+1}) with the target weights, then the online f(x_{t_n}, t_n); writes
    /// dL/dF = (1 - t_n) dL/df and sums the pseudo-Huber loss.
    public func evaluate(_ c: ObjectiveContext, shard: BatchShard) -> LossSums {
        let b = c.batch
        let rows = shard.rows
        let lo = rows.lowerBound
        if !teachers.isEmpty { teacherStep(teachers[shard.index], b, rows: rows) }
        // Target f^-(x_{t_{n+1}}, t_{n+1}) under stop-gradient.
        let target = c.network.forward(
            parameters: c.targetParameters, x: xNext.p + 2 * lo, t: tNext.p + lo, d: nil, rows: rows.count,
            workspace: shard.workspace)
        for r in rows {
            let s = 1 - tNext.p[r]
            b.target.p[2 * r] = xNext.p[2 * r] + s * target[2 * (r - lo)]
            b.target.p[2 * r + 1] = xNext.p[2 * r + 1] + s * target[2 * (r - lo) + 1]
        }
        // Online f(x_{t_n}, t_n), the loss, and dL/dF = (1 - t_n) dL/df.
        let y = c.network.forward(
            parameters: c.parameters, x: b.xt.p + 2 * lo, t: b.t.p + lo, d: nil, rows: rows.count,
            workspace: shard.workspace)
        var total: Float = 0
        let inverseBatch = 1 / Float(b.size)
        for r in rows {
            let s = 1 - b.t.p[r]
            let fx = b.xt.p[2 * r] + s * y[2 * (r - lo)]
            let fy = b.xt.p[2 * r + 1] + s * y[2 * (r - lo) + 1]
            let h = Self.pseudoHuber(fx - b.target.p[2 * r], fy - b.target.p[2 * r + 1], c: huberC)
            total += h.value
            b.outputGradient.p[2 * r] = s * h.gx * inverseBatch
            b.outputGradient.p[2 * r + 1] = s * h.gy * inverseBatch
        }
        return LossSums(loss: total)
    }

    /// The mean pseudo-Huber loss and N.
    public func report(_ sums: LossSums, context c: ObjectiveContext) -> StepReport {
        StepReport(loss: sums.loss * (1 / Float(c.batch.size)), levels: levels)
    }

    /// One teacher step from (x_{t_n}, t_n) to t_{n+1} into `xNext`, for rows `rows`.
    func teacherStep(_ teacher: Model, _ b: Batch, rows: Range<Int>) {
        let lo = rows.lowerBound
        teacher.velocity(b.xt.p + 2 * lo, times: b.t.p + lo, rows: rows.count, into: v1.p + 2 * lo)
        for r in rows {
            let h = tNext.p[r] - b.t.p[r]
            xNext.p[2 * r] = b.xt.p[2 * r] + h * v1.p[2 * r]
            xNext.p[2 * r + 1] = b.xt.p[2 * r + 1] + h * v1.p[2 * r + 1]
        }
        guard teacherStep == .heun else { return }
        // Heun: the velocity at the Euler estimate, then the trapezoid from x_{t_n}.
        teacher.velocity(xNext.p + 2 * lo, times: tNext.p + lo, rows: rows.count, into: v2.p + 2 * lo)
        for r in rows {
            let h = (tNext.p[r] - b.t.p[r]) / 2
            xNext.p[2 * r] = b.xt.p[2 * r] + h * (v1.p[2 * r] + v2.p[2 * r])
            xNext.p[2 * r + 1] = b.xt.p[2 * r + 1] + h * (v1.p[2 * r + 1] + v2.p[2 * r + 1])
        }
    }
}
