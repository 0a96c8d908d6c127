import ArgumentParser
import FlowCore
import Foundation

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Print the quality table of a checkpoint: SW2 and energy distance per sampler and step count.",
        discussion: """
            Samples from the EMA weights with every sampler the checkpoint supports (\(samplerList)) \
            and compares them with fresh data. The noise floor is the same metric between two \
            independent data sets: differences below it are not measurable. A step-conditioned \
            network's euler rows query it as a velocity (shortcut: at its finest d; meanflow: at h = 0). \
            nfe is a row's network evaluations at K steps: \(nfeList).
            """)

    /// "euler K, heun 2K, rk4 4K, shortcut K, ...": each sampler's NFE (``Sampler/nfe(steps:)``).
    static var nfeList: String {
        var seen: Set<String> = []
        return Method.allCases.flatMap(\.definition.samplers).filter { seen.insert($0.name).inserted }
            .map { sampler in
                let perStep = sampler.nfe(steps: 1)
                return "\(sampler.name) \(perStep == 1 ? "" : String(perStep))K"
            }
            .joined(separator: ", ")
    }

    /// "fm: euler, heun, rk4; shortcut: shortcut, euler; ..."
    static var samplerList: String {
        Method.allCases.map { "\($0.rawValue): \($0.definition.samplers.map(\.name).joined(separator: ", "))" }
            .joined(separator: "; ")
    }

    /// The most samples per row: 65,536 take about 87 s and 111 MB for the default steps.
    static let maximumSamples = 65_536

    @Argument(help: "A checkpoint written by `flow-explorer train`.") var file: String
    @Option(help: "Comma-separated step counts K.") var steps = "1,2,4,8,16,32,64,128"
    @Option(
        parsing: .unconditional,
        help: "Model and data samples per row, 16 to \(maximumSamples) (energy distance uses at most 2048).")
    var samples = 4096
    @Option(help: "Seed of the noise and the data.") var seed: UInt64 = 0
    @Option(help: "Only these samplers (comma-separated).") var sampler: String?
    @Flag(
        help: """
            Also measure against the exact flow of 4096 data points: each row's jump error \
            mean |X(x0) - X*(x0, 0, 1)|, the velocity error, the straightness S of the model's and \
            the exact paths, the self-consistency error along 512 exact paths, and on the exact paths \
            of the evaluation noise the flow-map error E|X(x_s, s, t) - X*(x_s, s, t)| for s < t on \
            eighths (36 cells, the (0, 1) cell the K=1 jump error; a velocity's map is one Euler \
            step, a consistency model has t = 1 only).
            """)
    var truth = false
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let stepList = try parseSteps(steps)
        guard (16...Self.maximumSamples).contains(samples) else {
            throw ValidationError("--samples must be between 16 and \(Self.maximumSamples), not \(samples)")
        }
        let checkpoint = try Checkpoint.read(path: file)
        let samplers = try sampler.map { try parseSamplers($0, for: checkpoint.method) }
        let dataset = try checkpoint.loadDataset(path: file)
        let model = Model(checkpoint: checkpoint)
        let result = Evaluation.run(
            model: model, dataset: dataset, steps: stepList, samples: samples, seed: seed, samplers: samplers,
            truth: truth ? GroundTruth(dataset: dataset, seed: seed) : nil)
        guard result.isFinite else {
            // Data far from unit size overflow the distances, whatever the model does: name the data.
            let magnitude = dataset.magnitude
            if magnitude > Trainer.largeDataMagnitude {
                throw FlowError.badInput(
                    "\(SafeText.escaped(file, limit: 240)): its data reach magnitude \(magnitude) and the distances "
                        + "overflow: scale the data to about unit size, like the N(0, I) noise")
            }
            throw FlowError.badInput("\(SafeText.escaped(file, limit: 240)): the model's samples are not finite numbers")
        }
        if json {
            let rows = result.rows.map { row in
                JSON.object([
                    ("sampler", .string(row.sampler.name)), ("steps", .integer(row.steps)),
                    ("nfe", .integer(row.sampler.nfe(steps: row.steps))), ("sw2", .number(row.sw2)),
                    ("energy", .number(row.energy)),
                ])
            }
            try Console.line(
                JSON.object(
                    [
                        ("method", .string(checkpoint.method.rawValue)), ("dataset", .string(checkpoint.dataset)),
                        ("iterations", .integer(checkpoint.iterations)),
                    ] + (checkpoint.reflowRound > 0 ? [("reflow_round", .integer(checkpoint.reflowRound))] : []) + [
                        ("samples", .integer(samples)),
                        ("floor", .object([("sw2", .number(result.floorSW2)), ("energy", .number(result.floorEnergy))])),
                        ("rows", .array(rows)),
                    ] + (result.truth.map { [("truth", Self.json($0))] } ?? [])
                ).text)
        } else {
            try Console.line(EvalTable.text(result, checkpoint: checkpoint, samples: samples))
            if let truth = result.truth { try Console.line(Self.text(truth)) }
        }
    }

    /// The `truth` object: the jump error per row (with its sampler, K and NFE), the velocity error, both straightnesses, the
    /// self-consistency error (null where the model has no velocity) and the flow-map error, `"flow_map": {"divisions": 8,
    /// "paths": SAMPLES, "cells": [{"s": 0, "t": 0.125, "error": ...}, ...]}` (by s, then t).
    static func json(_ truth: TruthEvaluation) -> JSON {
        let rows = truth.rows.map { row in
            JSON.object([
                ("sampler", .string(row.sampler.name)), ("steps", .integer(row.steps)),
                ("nfe", .integer(row.sampler.nfe(steps: row.steps))), ("jump_error", .number(row.jumpError)),
            ])
        }
        func optional(_ value: Double?) -> JSON { value.map { JSON.number($0) } ?? .null }
        return .object([
            ("reference_points", .integer(ExactFlow.defaultReferenceCount)), ("rows", .array(rows)),
            ("velocity_error", optional(truth.velocityError)), ("straightness", optional(truth.straightness)),
            ("exact_straightness", .number(truth.exactStraightness)), ("self_consistency", .number(truth.selfConsistency)),
            ("flow_map", flowMapJSON(truth.flowMap)),
        ])
    }

    /// The flow-map cells: s, t and the error of each.
    static func flowMapJSON(_ map: FlowMapError) -> JSON {
        .object([
            ("divisions", .integer(map.divisions)), ("paths", .integer(map.paths)),
            (
                "cells",
                .array(
                    map.cells.map { cell in
                        .object([("s", .number(map.s(cell))), ("t", .number(map.t(cell))), ("error", .number(cell.error))])
                    })
            ),
        ])
    }

    /// The flow-map error as a triangle: a row per s, a column per t (eighths), blank where s >= t,
    /// `-` where the model has no map (a consistency model before t = 1).
    static func flowMapText(_ map: FlowMapError) -> [String] {
        let n = map.divisions
        func time(_ i: Int) -> String { String(format: "%.3f", Double(i) / Double(n)) }
        var lines = [
            "flow-map error E|X(x_s, s, t) - X*(x_s, s, t)| on \(map.paths) exact paths (rows s, columns t):",
            "  s \\ t" + (1...n).map { " " + time($0).leftPadded(to: 7) }.joined(),
        ]
        for i in 0..<n {
            var line = "  " + time(i)
            for j in 1...n {
                let text: String
                if j <= i {
                    text = ""
                } else if let cell = map.cell(from: i, to: j) {
                    text = String(format: "%.4f", cell.error)
                } else {
                    text = "-"
                }
                line += " " + text.leftPadded(to: 7)
            }
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        return lines
    }

    /// The truth table under the quality table.
    static func text(_ truth: TruthEvaluation) -> String {
        func value(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "- (no velocity)" }
        var lines = [
            "", "against the exact flow of \(ExactFlow.defaultReferenceCount) data points:",
            "sampler      steps    nfe  jump error",
        ]
        for row in truth.rows {
            lines.append(
                row.sampler.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "%6d %6d %11.4f", row.steps, row.sampler.nfe(steps: row.steps), row.jumpError))
        }
        lines += [
            "velocity error E|v - v*|^2 (t in [0, 0.9]): " + value(truth.velocityError),
            "straightness S, model (128 Euler steps): " + value(truth.straightness),
            "straightness S, exact flow: " + value(truth.exactStraightness),
            "self-consistency error (mean |jump(x_t, t) - x_1| on 512 exact paths): " + value(truth.selfConsistency),
        ]
        lines += [""] + flowMapText(truth.flowMap)
        return lines.joined(separator: "\n")
    }
}

extension Evaluation {
    /// Whether every number of the tables is finite: each row's SW2 and energy, and with the
    /// truth its jump errors, velocity error, straightnesses and self-consistency error.
    var isFinite: Bool {
        guard rows.allSatisfy({ $0.sw2.isFinite && $0.energy.isFinite }) else { return false }
        guard let truth else { return true }
        let optional = [truth.velocityError, truth.straightness].compactMap { $0 }
        return truth.rows.allSatisfy { $0.jumpError.isFinite } && truth.flowMap.isFinite
            && (optional + [truth.exactStraightness, truth.selfConsistency]).allSatisfy(\.isFinite)
    }
}

/// The human-readable quality table: per row the sampler, K, its network evaluations
/// (``Sampler/nfe(steps:)``), SW2 and the energy distance.
enum EvalTable {
    static func text(_ result: Evaluation, checkpoint: Checkpoint, samples: Int) -> String {
        let dataset = SafeText.escaped(checkpoint.dataset, limit: 240)
        var lines = [
            "\(checkpoint.method.title)\(checkpoint.reflowRound > 0 ? " (reflow round \(checkpoint.reflowRound))" : "") on \(dataset), \(checkpoint.iterations) iterations, seed \(checkpoint.seed); \(samples) samples",
            "sampler      steps    nfe      SW2   energy",
        ]
        for row in result.rows {
            lines.append(
                row.sampler.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "%6d %6d %8.4f %8.4f", row.steps, row.sampler.nfe(steps: row.steps), row.sw2, row.energy))
        }
        lines.append("noise floor" + String(format: "               %8.4f %8.4f", result.floorSW2, result.floorEnergy))
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The string with spaces before it up to `width` characters (unchanged when longer).
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
