import Foundation
import Testing

@testable import FlowCore

/// The JSON fixtures copied from shared/fixtures (values from an independent float64 implementation).
enum Fixture {
    static func load(_ name: String) throws -> [String: Any] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    static func matrix(_ value: Any?) -> [[Double]] {
        (value as? [[Any]] ?? []).map { $0.map { ($0 as! NSNumber).doubleValue } }
    }

    static func vector(_ value: Any?) -> [Double] {
        (value as? [Any] ?? []).map { ($0 as! NSNumber).doubleValue }
    }

    /// The width-8 network of mlp.json: its shape and flat parameters.
    static func network() throws -> (Network, [Float]) {
        let json = try load("mlp")
        let layers = try #require(json["layers"] as? [[String: Any]])
        let shape = NetworkShape(width: 8, depth: 3, embeddingSize: 32, stepConditioned: true)
        var parameters: [Float] = []
        for layer in layers {
            parameters += matrix(layer["W"]).flatMap { $0 }.map(Float.init)
            parameters += vector(layer["b"]).map(Float.init)
        }
        #expect(parameters.count == shape.parameterCount)
        return (Network(shape: shape), parameters)
    }
}

/// A network run on given inputs, returning y [rows, 2].
func forward(_ network: Network, _ parameters: [Float], x: [Float], t: [Float], d: [Float]? = nil) -> [Float] {
    let rows = t.count
    let ws = Workspace(shape: network.shape, capacity: max(rows, 1))
    let dd = d ?? [Float](repeating: 1.0 / 128, count: rows)
    let y = network.forward(parameters: parameters, x: x, t: t, d: dd, rows: rows, workspace: ws)
    return Array(UnsafeBufferPointer(start: y, count: 2 * rows))
}

func expectClose(
    _ a: [Float], _ b: [Double], absolute: Double = 0, relative: Double = 0,
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(a.count == b.count, comment, sourceLocation: sourceLocation)
    for (x, y) in zip(a, b) {
        let tolerance = absolute + relative * abs(y)
        #expect(abs(Double(x) - y) <= tolerance, "\(x) vs \(y) \(comment.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    }
}
