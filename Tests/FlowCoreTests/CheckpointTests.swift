import Foundation
import Testing

@testable import FlowCore

@Suite struct CheckpointTests {
    func sample(_ method: Method = .shortcut) throws -> Checkpoint {
        var config = TrainingConfig(method: method)
        config.width = 16
        config.batchSize = 32
        let trainer = try Trainer(config: config, dataset: .toy(.moons))
        for _ in 0..<3 { trainer.step() }
        return trainer.checkpoint(extra: ["note": "a \"quoted\" value"])
    }

    @Test func aCheckpointRoundTripsBitForBit() throws {
        let checkpoint = try sample()
        let data = checkpoint.encoded()
        let back = try Checkpoint.decode(data, name: "x")
        #expect(back.parameters.map(\.bitPattern) == checkpoint.parameters.map(\.bitPattern))
        #expect(back.ema.map(\.bitPattern) == checkpoint.ema.map(\.bitPattern))
        #expect(back.method == .shortcut && back.dataset == "moons" && back.iterations == 3 && back.shape == checkpoint.shape)
        #expect(back.extra["note"] == "a \"quoted\" value")
        #expect(back.encoded() == data)
    }

    @Test func theFileIsValidSafetensors() throws {
        let data = try sample().encoded()
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        let header = try #require(try JSONSerialization.jsonObject(with: data[8..<(8 + headerLength)]) as? [String: Any])
        let weight = try #require(header["layers.0.weight"] as? [String: Any])
        #expect(weight["dtype"] as? String == "F32")
        #expect((weight["shape"] as? [Int]) == [66, 16])
        let meta = try #require(header["__metadata__"] as? [String: String])
        #expect(meta["method"] == "shortcut" && meta["width"] == "16")
    }

    /// Each corruption is rejected with a one-line message, never a crash.
    @Test func corruptedFilesAreRejectedWithAMessage() throws {
        let good = try sample().encoded()
        let headerLength = good.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        var cases: [(String, Data)] = [
            ("empty", Data()),
            ("truncated header length", good.prefix(5)),
            ("truncated header", good.prefix(40)),
            ("truncated data", good.dropLast(4)),
            ("trailing bytes", good + Data([0, 0, 0, 0])),
            ("not JSON", Data([8, 0, 0, 0, 0, 0, 0, 0]) + Data("{garbage".utf8)),
        ]
        var huge = good
        huge.replaceSubrange(0..<8, with: [0, 0, 0, 0x80, 0, 0, 0, 0])  // a 2 GB header
        cases.append(("2 GB header length", huge))
        func edited(_ transform: (String) -> String) -> Data {
            let header = String(decoding: good[8..<(8 + headerLength)], as: UTF8.self)
            var newHeader = Array(transform(header).utf8)
            while newHeader.count % 8 != 0 { newHeader.append(0x20) }
            var out = Data()
            withUnsafeBytes(of: UInt64(newHeader.count).littleEndian) { out.append(contentsOf: $0) }
            return out + Data(newHeader) + good[(8 + headerLength)...]
        }
        cases.append(("wrong dtype", edited { $0.replacingOccurrences(of: "\"F32\"", with: "\"F16\"") }))
        cases.append(("wrong shape", edited { $0.replacingOccurrences(of: "\"shape\":[66,16]", with: "\"shape\":[16,66]") }))
        cases.append(("bad size", edited { $0.replacingOccurrences(of: "\"shape\":[66,16]", with: "\"shape\":[35,16]") }))
        cases.append(
            ("wrong kind", edited { $0.replacingOccurrences(of: "\"format\":\"flow-explorer\"", with: "\"format\":\"other\"") }))
        cases.append(("overlap", edited { $0.replacingOccurrences(of: "\"data_offsets\":[0,", with: "\"data_offsets\":[4,") }))
        var nan = good
        nan.replaceSubrange(
            (nan.count - 4)..<nan.count, with: withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { Data($0) })
        cases.append(("NaN weight", nan))
        for (label, data) in cases {
            do {
                _ = try Checkpoint.decode(data, name: "f.safetensors")
                Issue.record("\(label): accepted")
            } catch let error as FlowError {
                #expect(error.description.hasPrefix("f.safetensors: "), "\(label)")
                #expect(!error.description.contains("\n"), "\(label)")
            }
        }
    }

    @Test func writingReplacesTheFileWhole() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fe-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.safetensors").path
        let checkpoint = try sample()
        try checkpoint.write(to: path)
        try checkpoint.write(to: path)
        #expect(try Checkpoint.read(path: path).parameters == checkpoint.parameters)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.safetensors"])
        #expect(throws: FlowError.self) { try checkpoint.write(to: dir.path + "/missing/m.safetensors") }
    }

    @Test func npyFilesHaveTheNumPyHeaderAndRoundTrip() throws {
        let points: [Float] = [1, 2, 3.5, -4, 0, 1e-3]
        let data = NpyFile.data(points: points)
        #expect(data.prefix(8) == Data([0x93] + Array("NUMPY".utf8) + [1, 0]))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(data.count == 10 + headerLength + 4 * points.count)
        #expect(try NpyFile.read(data, name: "p.npy") == points)
        #expect(PointsCSV.text(points).hasPrefix("x,y\n1.0,2.0\n"))
    }
}
