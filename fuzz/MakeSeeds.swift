// Writes a few valid files, made by FlowCore's own writers, as the fuzzers' starting corpus:
// `make-seeds DIR` fills DIR/safetensors, DIR/npy and DIR/csv. Built and run by scripts/fuzz.
import Foundation

@main
enum MakeSeeds {
    static func main() throws {
        let root = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "seeds"
        func write(_ data: Data, _ folder: String, _ name: String) throws {
            let dir = root + "/" + folder
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        // Checkpoints: small networks of each kind, with deterministic weights.
        let shapes: [(Method, NetworkShape, String)] = [
            (.fm, NetworkShape(width: 2, depth: 1, embeddingSize: 2), "fm-w2"),
            (.shortcut, NetworkShape(width: 3, depth: 1, embeddingSize: 2, stepConditioned: true), "shortcut-w3"),
            (.ct, NetworkShape(width: 4, depth: 2, embeddingSize: 4), "ct-w4-d2"),
        ]
        for (method, shape, name) in shapes {
            let parameters = (0..<shape.parameterCount).map { Float($0 % 7) * 0.25 - 0.5 }
            let checkpoint = Checkpoint(
                method: method, dataset: "moons", seed: 3, iterations: 10, shape: shape,
                parameters: parameters, ema: parameters.map { $0 * 0.5 },
                extra: ["final_loss": "0.5"])
            try write(checkpoint.encoded(), "safetensors", name + ".safetensors")
        }
        // Metadata values with control characters: a dataset name with escape sequences (refused)
        // and other values with them (kept as they are, never shown raw).
        let small = NetworkShape(width: 2, depth: 1, embeddingSize: 2)
        let weights = (0..<small.parameterCount).map { Float($0 % 5) * 0.1 }
        for (name, dataset, extra) in [
            ("escape-dataset", "\u{1b}]0;title\u{07}\u{1b}[2J.csv", ["final_loss": "0.5"]),
            ("escape-extra", "moons", ["teacher": "\u{1b}[31m/tmp/t.safetensors\u{9b}", "note": "\r\n\u{7f}"]),
        ] {
            let checkpoint = Checkpoint(
                method: .fm, dataset: dataset, seed: 1, iterations: 2, shape: small,
                parameters: weights, ema: weights, extra: extra)
            try write(checkpoint.encoded(), "safetensors", name + ".safetensors")
        }
        // A generic safetensors file (not a checkpoint), and one with no tensors.
        try write(
            Safetensors.encode(
                tensors: ["a": .init(shape: [2, 2], values: [1, 2, 3, 4]), "b": .init(shape: [0], values: [])],
                metadata: ["k": "v"]), "safetensors", "generic.safetensors")
        try write(Safetensors.encode(tensors: [:], metadata: [:]), "safetensors", "empty.safetensors")
        // .npy: no rows, and a few rows.
        try write(NpyFile.data(points: []), "npy", "empty.npy")
        try write(NpyFile.data(points: [1, 2, -3.5, 4, 0, 1e-3]), "npy", "three.npy")
        // CSV: the writer's own output, plus the variants the reader accepts.
        try write(Data(PointsCSV.text([1, 2, -3.5, 4, 0.125, 1e-3]).utf8), "csv", "written.csv")
        try write(Data("1,2\r\n3,4\r\n".utf8), "csv", "crlf.csv")
        try write(Data(" x , y \n\n  1.5 , -2e3 \n\t\n7,8".utf8), "csv", "spaces.csv")
        // Lines with control characters (escape sequences, a C1 CSI, DEL, NUL).
        try write(Data("x,y\n1,2\n\u{1b}]0;t\u{07},\u{1b}[2J\n".utf8), "csv", "escape.csv")
        try write(Data("1,2\n\u{9b}31m,\u{7f}\u{0}\n".utf8), "csv", "c1.csv")
    }
}
