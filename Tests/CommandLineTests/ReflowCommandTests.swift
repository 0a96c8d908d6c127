import Foundation
import Testing

/// `train --reflow FILE` (Liu, Gong, Liu 2022) from the command line: rounds, bits and refusals.
extension CommandLineTests {
    @Test func reflowTrainsOnTheSourcesDatasetAndASecondRoundCountsOnWithTheSameBitsEachTime() throws {
        let base = try trained("fm", "reflow-base.safetensors")
        var files: [String] = []
        for name in ["reflow-a.safetensors", "reflow-b.safetensors"] {
            let r = try run([
                "train", "--method", "fm", "--reflow", base, "--iterations", "30", "--reflow-pairs", "512", "--threads", "1",
                "--out", path(name), "--json",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let object = try json(r.stdout)
            #expect(object["reflow_round"] as? Int == 1 && object["dataset"] as? String == "moons", "\(r.stdout)")
            files.append(path(name))
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: files[0]))
        let b = try Data(contentsOf: URL(fileURLWithPath: files[1]))
        #expect(a == b && !a.isEmpty)
        let table = try run(["eval", files[0], "--steps", "1", "--samples", "64"])
        #expect(table.stdout.hasPrefix("flow matching (reflow round 1) on moons, 30 iterations"), "\(table.stdout)")
        let second = try run([
            "train", "--reflow", files[0], "--iterations", "10", "--reflow-pairs", "256", "--out", path("reflow-2.safetensors"),
        ])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.hasPrefix("reflow round 2, flow matching on moons"), "\(second.stdout)")
    }

    @Test func reflowRefusesAnotherMethodAMissingFileAnotherDatasetANonVelocitySourceAndOTPairs() throws {
        let base = try trained("fm", "reflow-base-2.safetensors")
        let shortcut = try trained("shortcut", "reflow-shortcut.safetensors")
        let cases: [([String], String)] = [
            (["--method", "shortcut", "--reflow", base], "--reflow applies to fm"),
            (["--reflow", path("no-such-model.safetensors")], "cannot read the file"),
            (["--reflow", base, "--dataset", "8gaussians"], "trained on moons, not 8gaussians"),
            (["--reflow", shortcut], "must be a flow matching model"),
            (["--reflow", base, "--coupling", "ot"], "--coupling ot does not apply"),
            (["--reflow-pairs", "100"], "need --reflow FILE"),
        ]
        for (arguments, reason) in cases {
            let r = try run(["train", "--iterations", "5"] + arguments + ["--out", path("reflow-bad.safetensors")])
            #expect(r.status == 2, "\(arguments)")
            #expect(r.stderr.hasPrefix("flow-explorer: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(r.stderr.contains(reason), "\(arguments): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: path("reflow-bad.safetensors")))
    }
}
