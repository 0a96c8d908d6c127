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
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" || !FileManager.default.fileExists(atPath: url.path) {
            try text.write(to: url, atomically: true, encoding: .utf8)
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

    @Test func asciiFramesUseOnlyASCII() throws {
        for view in ["samples", "trajectories", "consistency", "compare", "truth"] {
            let frame = try render([
                Self.checkpoint, "--view", view, "--steps", "2", "--ascii", "--width", "80", "--height", "24",
            ])
            let ascii = frame.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "\(view)")
            #expect(frame.contains("Compare") && frame.contains("K=2"))
        }
    }
}
