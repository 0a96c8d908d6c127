import FlowCore
import Foundation
import Testing

/// A checkpoint is written to a temporary file and renamed: killing `train` at any moment,
/// also while it writes a large checkpoint, leaves the previous one readable.
@Suite struct InterruptedWriteTests {
    @Test func killingTrainWhileItWritesLeavesThePreviousCheckpointReadable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fe-kill-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.safetensors").path
        var config = TrainingConfig(method: .fm)
        config.width = 16
        try Trainer(config: config, dataset: .toy(.moons)).checkpoint().write(to: path)
        let previous = try Checkpoint.read(path: path)

        // A 2048-wide network: about 100 MB to encode and write, so the kills land at every stage.
        var replaced = 0
        for delay in stride(from: 0.05, through: 1.5, by: 0.15) {
            let process = Process()
            process.executableURL = CommandLineTests.binary
            process.arguments = ["train", "--iterations", "0", "--width", "2048", "--depth", "4", "--out", path]
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try Checkpoint.read(path: path)  // never a torn file
            #expect(now.shape.width == 16 || now.shape.width == 2048)
            if now.shape.width == 2048 { replaced += 1 } else { #expect(now.parameters == previous.parameters) }
        }
        print("checkpoints replaced before the kill: \(replaced) of 10")
    }
}
