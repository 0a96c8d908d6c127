import FlowCore
import Foundation
import TerminalCanvas
import Testing

/// The referee on the command line: `eval --truth`'s flow-map cells and `render --view flow-map`.
@Suite struct FlowMapCommandTests {
    let cli = CommandLineTests()

    /// The `flow_map` cells of `eval FILE --truth --steps 1 --json` and the K=1 jump error of the
    /// checkpoint's main sampler (the first row).
    func evaluated(_ file: String, samples: Int = 4096) throws -> (cells: [(s: Double, t: Double, error: Double)], jump: Double) {
        let r = try cli.run(["eval", file, "--steps", "1", "--samples", "\(samples)", "--truth", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let truth = try #require(try cli.json(r.stdout)["truth"] as? [String: Any])
        let map = try #require(truth["flow_map"] as? [String: Any])
        #expect(map["divisions"] as? Int == 8 && map["paths"] as? Int == samples)
        let cells = try #require(map["cells"] as? [[String: Any]]).map { cell in
            (s: cell["s"] as! Double, t: cell["t"] as! Double, error: cell["error"] as! Double)
        }
        let rows = try #require(truth["rows"] as? [[String: Any]])
        return (cells, try #require(rows.first?["jump_error"] as? Double))
    }

    /// The (0, 1) cell is the main sampler's one jump from the evaluation's own noise, against the
    /// exact ends integrated in eighths: the K=1 row's jump error up to that integration grid.
    func expectTheCornerIsTheOneJumpError(
        _ cells: [(s: Double, t: Double, error: Double)], _ jump: Double, _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let corner = cells.first { $0.s == 0 && $0.t == 1 }
        #expect(corner != nil, "\(comment): a (0, 1) cell", sourceLocation: sourceLocation)
        if let corner {
            #expect(
                abs(corner.error - jump) <= 0.02 * jump, "\(comment): (0, 1) \(corner.error), K=1 jump error \(jump)",
                sourceLocation: sourceLocation)
        }
    }

    @Test(
        "eval --truth --json of a shortcut model has 36 flow-map cells, and its (0, 1) cell is within 2% of its K=1 jump error")
    func shortcutCells() throws {
        let (cells, jump) = try evaluated(RenderSnapshotTests.checkpoint)
        #expect(cells.count == 36)
        var grid: [String] = []
        for i in 0..<8 {
            for j in (i + 1)...8 { grid.append("\(Double(i) / 8) \(Double(j) / 8)") }
        }
        #expect(cells.map { "\($0.s) \($0.t)" } == grid, "every s < t on eighths, by s then t")
        #expect(cells.allSatisfy { $0.error.isFinite && $0.error > 0 })
        expectTheCornerIsTheOneJumpError(cells, jump, "shortcut")
    }

    @Test(
        "fm and meanflow models get 36 cells, a consistency model the 8 that end at t = 1; each (0, 1) cell is near its K=1 jump error",
        arguments: ["fm", "meanflow", "ct"])
    func cellsPerMethod(method: String) throws {
        let (cells, jump) = try evaluated(try cli.trained(method, "\(method).safetensors"))
        if method == "ct" {
            #expect(cells.map(\.s) == (0..<8).map { Double($0) / 8 } && cells.allSatisfy { $0.t == 1 }, "\(cells)")
        } else {
            #expect(cells.count == 36)
        }
        expectTheCornerIsTheOneJumpError(cells, jump, method)
    }

    @Test("eval --truth prints the cells as a triangle: a row per s, a column per t, '-' where a consistency model has no map")
    func theTriangleTable() throws {
        let file = try cli.trained("ct", "ct.safetensors")
        let (cells, _) = try evaluated(file, samples: 256)
        let r = try cli.run(["eval", file, "--steps", "1", "--samples", "256", "--truth"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let top = try #require(
            lines.firstIndex { $0.hasPrefix("flow-map error E|X(x_s, s, t) - X*(x_s, s, t)| on 256 exact paths") })
        #expect(
            lines[top + 1].split(separator: " ").dropFirst(3) == [
                "0.125", "0.250", "0.375", "0.500", "0.625", "0.750", "0.875", "1.000",
            ])
        let rows = lines[(top + 2)...].prefix(8).map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 8)
        for (i, row) in rows.enumerated() {
            #expect(row.first == String(format: "%.3f", Double(i) / 8))
            // Blank before the diagonal; then "-" up to t = 1, where the cell's error stands.
            #expect(row.dropFirst().dropLast() == Array(repeating: "-", count: 7 - i), "\(row)")
            #expect(row.last == String(format: "%.4f", cells[i].error), "\(row)")
        }
    }

    /// The cells the UI and `render` show: the ground truth's 512 exact paths (seed 0).
    func viewCells(_ file: String) throws -> [(s: Double, t: Double, error: Double)] {
        let checkpoint = try Checkpoint.read(path: file)
        let truth = GroundTruth(dataset: try Dataset.named(checkpoint.dataset), seed: 0)
        let map = truth.flowMapError(Model(checkpoint: checkpoint))
        return map.cells.map { (s: map.s($0), t: map.t($0), error: $0.error) }
    }

    @Test("render --view flow-map reads out the (0, 1) cell of the 512 exact paths, near eval --truth's of its own noise")
    func renderReadsOutTheCorner() throws {
        let corner = try #require(try viewCells(RenderSnapshotTests.checkpoint).first { $0.s == 0 && $0.t == 1 })
        let (cells, _) = try evaluated(RenderSnapshotTests.checkpoint)
        let evalCorner = try #require(cells.first { $0.s == 0 && $0.t == 1 })
        #expect(abs(corner.error - evalCorner.error) <= 0.1 * evalCorner.error, "\(corner.error) vs \(evalCorner.error)")
        let r = try cli.run([
            "render", RenderSnapshotTests.checkpoint, "--view", "flow-map", "--width", "160", "--height", "40",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rounded = (corner.error * 10000).rounded() / 10000
        #expect(
            r.stdout.contains("cell s=0.000, t=1.000: error \(Axes.format(rounded, decimals: 4))"), "eval says \(corner.error)")
        #expect(r.stdout.contains("Flow map: X(x_s, s, t) against the exact map"))
        let svg = try cli.run(["render", RenderSnapshotTests.checkpoint, "--view", "flow-map", "--format", "svg"])
        #expect(svg.status == 0 && svg.stdout.contains("<g class=\"heat\"") && svg.stdout.contains("cell s=0.000, t=1.000"))
    }
}

extension FlowMapCommandTests {
    @Test(
        "render --cell highlights and reads out another cell; a cell off the eighths or a consistency model's missing cell is refused"
    )
    func renderCell() throws {
        let cell = try #require(try viewCells(RenderSnapshotTests.checkpoint).first { $0.s == 0.125 && $0.t == 0.75 })
        let r = try cli.run([
            "render", RenderSnapshotTests.checkpoint, "--view", "flow-map", "--cell", "0.125,0.75", "--width", "160",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rounded = (cell.error * 10000).rounded() / 10000
        #expect(r.stdout.contains("cell s=0.125, t=0.750: error \(Axes.format(rounded, decimals: 4))"), "\(r.stdout)")
        for bad in ["0.1,1", "0.5,0.5", "1,0.5", "0,1,2", "x,1", "-0.125,1", "0,1.125"] {
            let refused = try cli.run(["render", RenderSnapshotTests.checkpoint, "--view", "flow-map", "--cell", bad])
            #expect(refused.status == 2 && refused.stderr.contains("--cell takes s,t on eighths"), "\(bad): \(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(bad): one line")
        }
        let ct = try cli.run([
            "render", try cli.trained("ct", "ct.safetensors"), "--view", "flow-map", "--cell", "0,0.5", "--count", "64",
        ])
        #expect(ct.status == 2 && ct.stderr.contains("maps to t = 1 only"), "\(ct.stderr)")
    }
}
