import Foundation
import Testing

/// The programs under `examples/` run and print what their comments promise.
@Suite struct ExampleTests {
    let cli = CommandLineTests()

    /// An example program built beside `flow-explorer`.
    func example(_ name: String) -> URL {
        CommandLineTests.binary.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// The numbers at the ends of the lines that contain `marker`.
    func lastNumbers(_ text: String, after marker: String) -> [Double] {
        text.split(separator: "\n").filter { $0.contains(marker) }.compactMap {
            $0.split(separator: " ").last.flatMap { Double($0) }
        }
    }

    @Test("library-in-20-lines trains a shortcut model whose one-step samples are near the data")
    func libraryInTwentyLines() throws {
        let r = try cli.run([], program: example("library-in-20-lines"))
        #expect(r.status == 0, "\(r.stderr)")
        let model = lastNumbers(r.stdout, after: "K = 1: SW2")
        let floor = lastNumbers(r.stdout, after: "noise floor")
        try #require(model.count == 1 && floor.count == 1, "\(r.stdout)")
        // Noise itself is about 1 away from moons; 3,000 iterations bring one jump well below that.
        #expect(model[0] < 0.8 && model[0] > floor[0] && floor[0] < 0.1, "\(r.stdout)")
    }

    @Test("train-and-compare shows one Euler step collapsing and many steps landing on the data")
    func trainAndCompare() throws {
        let r = try cli.run([], program: example("train-and-compare"))
        #expect(r.status == 0, "\(r.stderr)")
        var sw2: [Int: Double] = [:]
        for line in r.stdout.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t")
            if fields.count == 2, let k = Int(fields[0]), let value = Double(fields[1]) { sw2[k] = value }
        }
        try #require(Set(sw2.keys) == [1, 4, 16, 128], "\(r.stdout)")
        #expect(sw2[1]! > 1 && sw2[128]! < sw2[1]! / 5 && sw2[16]! < sw2[4]!, "\(r.stdout)")
    }

    @Test("slide-figure writes an SVG of the compare view")
    func slideFigure() throws {
        let out = cli.path("slide-figure.svg")
        let r = try cli.run(["--out", out], program: example("slide-figure"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("wrote \(out): Compare: euler K=1 (1 NFE) vs shortcut K=1 (1 NFE)"), "\(r.stdout)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.contains("<svg") && svg.hasSuffix("</svg>\n"))
    }

    /// Whether `python3` with numpy runs here (`scripts/install-deps --tests` installs numpy).
    static let hasNumpy: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(
        "read_checkpoint.py reads a fresh checkpoint, samples like flow-explorer and writes it back byte for byte",
        .enabled(if: hasNumpy, "python3 with numpy is not installed"))
    func readCheckpointRoundTrips() throws {
        let checkpoint = try cli.trained("shortcut", "example-shortcut.safetensors")
        let copy = cli.path("example-copy.safetensors")
        let npy = cli.path("example-samples.npy")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/read_checkpoint.py").standardized.path
        let r = try cli.run(
            ["python3", script, checkpoint, "1", "4096", "--write", copy], program: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: checkpoint)))
        // The same network in numpy and in Swift, from different noise: the sample means agree to
        // a few standard errors (4,096 samples of spread about 1: a standard error near 0.016).
        #expect(try cli.run(["sample", checkpoint, "--steps", "1", "--count", "4096", "--out", npy]).status == 0)
        let stats = try cli.run(
            ["python3", "-c", "import numpy as n; a = n.load('\(npy)'); print(*a.mean(0), *a.std(0))"],
            program: URL(fileURLWithPath: "/usr/bin/env"))
        let swift = stats.stdout.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let line = try #require(r.stdout.split(separator: "\n").first { $0.contains("samples (shortcut jumps, K = 1)") })
        let python = line.split(whereSeparator: { "(), ".contains($0) }).compactMap { Double($0) }.suffix(4)
        try #require(swift.count == 4 && python.count == 4, "\(stats.stdout) / \(line)")
        for (a, b) in zip(swift, python) { #expect(abs(a - b) < 0.1, "\(swift) against \(Array(python))") }
    }
}
