import FlowCore
import Foundation
import Testing

/// The bad-file corpus in BadFiles/ (written by scripts/make-bad-files, including the inputs
/// scripts/fuzz found crashing): every file must end the CLI with exit code 2 and one line on
/// stderr that names the file, without writing anything.
@Suite struct BadFileTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadFiles")

    /// expected.txt: each bad file with a fragment of the message it must give.
    static let expected: [String: String] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8) else {
            return [:]
        }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { out[String(parts[0])] = String(parts[1]) }
        }
        return out
    }()

    static let names = expected.keys.sorted()

    let cli = CommandLineTests()

    @Test func theCorpusIsCompleteAndListed() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { !$0.hasPrefix(".") && $0 != "expected.txt" && $0 != "control" }
        #expect(Set(files) == Set(Self.names), "BadFiles/ and expected.txt differ: run scripts/make-bad-files")
        #expect(Self.names.count >= 20)
        for ext in ["safetensors", "npy", "csv"] {
            #expect(Self.names.filter { $0.hasSuffix("." + ext) }.count >= 10, "\(ext)")
        }
    }

    @Test(arguments: BadFileTests.names)
    func badFileEndsWithOneLineAndExitCodeTwo(_ name: String) throws {
        let file = Self.folder.appendingPathComponent(name).path
        let fragment = try #require(Self.expected[name])
        let out = cli.path("bad-file-\(name).safetensors")
        let r =
            try name.hasSuffix(".csv")
            ? cli.run(["train", "--dataset", file, "--iterations", "1", "--out", out])
            : cli.run(["eval", file])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("flow-explorer: \(file)"), "names the file: \(r.stderr)")
        #expect(r.stderr.hasSuffix("\n") && r.stderr.filter { $0 == "\n" }.count == 1, "one line: \(r.stderr)")
        #expect(r.stdout.isEmpty, "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: out))
        if name.hasSuffix(".npy") {
            // The CLI reads only checkpoints; the .npy reader itself is checked directly.
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            do {
                let points = try NpyFile.read(data, name: file)
                Issue.record("\(name) was read as \(points.count / 2) points")
            } catch let error as FlowError {
                #expect(error.description.hasPrefix(file) && error.description.contains(fragment), "\(error)")
            }
        } else {
            #expect(r.stderr.contains(fragment), "expected '\(fragment)': \(r.stderr)")
        }
    }

    /// The valid files the bad ones are made from are accepted (so each bad file fails for its
    /// own defect, not for one they share).
    @Test func theControlFilesAreAccepted() throws {
        let control = Self.folder.appendingPathComponent("control")
        let eval = try cli.run([
            "eval", control.appendingPathComponent("tiny-shortcut.safetensors").path,
            "--samples", "64", "--steps", "1",
        ])
        #expect(eval.status == 0, "\(eval.stderr)")
        let out = cli.path("bad-file-control.safetensors")
        let train = try cli.run([
            "train", "--dataset", control.appendingPathComponent("points.csv").path,
            "--iterations", "1", "--width", "8", "--out", out,
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
        let npy = try Data(contentsOf: control.appendingPathComponent("points.npy"))
        #expect(try NpyFile.read(npy, name: "points.npy") == [1, 2, -3.5, 4, 0.25, -0.125])
    }
}
