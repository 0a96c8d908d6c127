import Foundation
import Testing

/// `render` frames kept as text snapshots. Re-record with `RECORD_SNAPSHOTS=1 scripts/test`.
@Suite struct RenderSnapshotTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// A shortcut model (width 64) trained for 8,000 iterations on 8gaussians, seed 0.
    static let checkpoint = here.appendingPathComponent("Fixtures/shortcut-8gaussians-w64.safetensors").path

    func render(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["render"] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    func expectSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Self.here.appendingPathComponent("Snapshots/\(name).txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        // A missing snapshot is a failure, not a new recording: CI must compare against a kept one.
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("Snapshots/\(name).txt is missing: record it with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
            return
        }
        let kept = try String(contentsOf: url, encoding: .utf8)
        #expect(text == kept, "render output differs from Snapshots/\(name).txt", sourceLocation: sourceLocation)
    }

    /// Braille cells in the columns [from, to) of the plot rows.
    func dots(_ frame: String, columns: Range<Int>) -> Int {
        frame.split(separator: "\n").dropFirst(3).prefix(17).reduce(0) { total, line in
            let cells = Array(line)
            return total
                + cells.indices.filter {
                    columns.contains($0) && (0x2801...0x28FF).contains(cells[$0].unicodeScalars.first!.value)
                }.count
        }
    }

    /// One Euler step lands every sample near the data mean; one shortcut step spreads them out.
    @Test func theCompareViewAtOneStepShowsTheEulerCollapseBesideTheShortcutSamples() throws {
        let frame = try render([Self.checkpoint, "--view", "compare", "--steps", "1", "--width", "100", "--height", "30"])
        try expectSnapshot(frame, named: "compare-shortcut-k1")
        let euler = dots(frame, columns: 0..<50)
        let shortcut = dots(frame, columns: 50..<100)
        #expect(shortcut > 5 * euler, "euler \(euler) cells, shortcut \(shortcut) cells")
    }

    /// The triangle of (s, t) cells: shaded cells below the diagonal, none above it.
    @Test("the flow-map view of the shortcut checkpoint is the kept frame, its triangle shaded below the diagonal only")
    func flowMapSnapshot() throws {
        let frame = try render([Self.checkpoint, "--view", "flow-map", "--width", "100", "--height", "30"])
        try expectSnapshot(frame, named: "flow-map-shortcut")
        #expect(frame.contains("cell s=0.000, t=1.000: error "))
    }

    @Test func asciiFramesUseOnlyASCII() throws {
        let titles = [
            "samples": "Samples: data vs model", "trajectories": "Trajectories: noise to data",
            "consistency": "Consistency: x_t -> f(x_t, t)", "compare": "Compare: euler K=2 (2 NFE) vs shortcut K=2 (2 NFE)",
            "truth": "Truth: the jump error against the exact flow, K=2",
            "flow-map": "Flow map: X(x_s, s, t) against the exact map, s < t",
        ]
        for (view, title) in titles {
            let frame = try render([
                Self.checkpoint, "--view", view, "--steps", "2", "--ascii", "--width", "80", "--height", "24",
            ])
            let ascii = frame.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "\(view)")
            // The frame's own title, not the tab bar's word for another view.
            #expect(frame.contains(title), "\(view)")
        }
    }

    @Test func theHalfBlockAndDensityPlotModesAreReachableFromTheCommandLine() throws {
        let half = try render([Self.checkpoint, "--view", "samples", "--plot", "half-block"])
        #expect(half.contains("▀") || half.contains("▄"))
        #expect(!half.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "no braille dots")
        let density = try render([Self.checkpoint, "--view", "samples", "--plot", "density"])
        #expect(density.contains("░") || density.contains("▒"))
        let ascii = try render([Self.checkpoint, "--view", "samples", "--plot", "ascii"])
        #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func aRenderedFrameSaysItComesFromACheckpointNotALiveRun() throws {
        let frame = try render([Self.checkpoint, "--view", "samples", "--width", "120", "--height", "30"])
        let status = frame.split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.contains("rendered from a checkpoint"), "\(status)")
        #expect(!status.contains("running") && !status.contains("it/s"), "\(status)")
    }
}
