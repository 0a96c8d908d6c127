import Foundation
import Testing

/// The files of `flow-explorer sample` as other tools read them: NumPy loads the .npy as float32
/// with shape (N, 2), and the CSV starts with the header `x,y`.
@Suite struct SampleFileTests {
    let cli = CommandLineTests()

    /// Runs python3 with `arguments`; nil when python3 is not installed.
    func python(_ arguments: [String]) -> CommandLineTests.Result? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        guard (try? process.run()) != nil else { return nil }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func theNpyFileLoadsInNumPyAsFloat32WithShapeNBy2AndTheCSVHasAnXYHeader() throws {
        let model = try cli.trained("fm", "fm.safetensors")
        let npy = cli.path("samples-37.npy")
        let csv = cli.path("samples-37.csv")
        #expect(try cli.run(["sample", model, "--steps", "2", "--count", "37", "--out", npy]).status == 0)
        #expect(try cli.run(["sample", model, "--steps", "2", "--count", "37", "--out", csv]).status == 0)

        // The header by hand (NumPy format 1.0), whether or not NumPy is installed.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: npy)))
        #expect(Array(bytes.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(
            header.contains("'descr': '<f4'") && header.contains("'fortran_order': False") && header.contains("'shape': (37, 2)"),
            "\(header)")
        #expect((10 + headerLength) % 64 == 0 && header.hasSuffix("\n"))
        #expect(bytes.count == 10 + headerLength + 37 * 2 * 4)

        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "x,y" && lines.count == 38)

        // NumPy itself, when it is importable: same shape, float32, and the same numbers as the CSV.
        guard python(["-c", "import numpy"])?.status == 0 else { return }
        let script = """
            import sys, numpy as np
            a = np.load(sys.argv[1])
            c = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, dtype=np.float64)
            print(a.shape, a.dtype, bool(np.allclose(a, c, rtol=1e-5, atol=1e-5)))
            """
        let r = try #require(python(["-c", script, npy, csv]))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "(37, 2) float32 True")
    }
}
