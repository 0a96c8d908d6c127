// libFuzzer target for the CSV points reader. Built by scripts/fuzz (not a SwiftPM target).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // As PointsCSV.read(path:) does: only UTF-8 text reaches the parser.
    guard let text = String(bytes: UnsafeBufferPointer(start: data, count: size), encoding: .utf8) else { return 0 }
    do {
        let points = try PointsCSV.parse(text, name: "fuzz.csv")
        guard !points.isEmpty, points.count % 2 == 0, points.allSatisfy(\.isFinite) else {
            fatalError("accepted \(points.count) coordinates, not all finite pairs")
        }
        // What it accepts must survive a write and a read back.
        guard try PointsCSV.parse(PointsCSV.text(points), name: "re-encoded.csv") == points else {
            fatalError("points do not survive a round trip")
        }
    } catch let error as FlowError {
        // Lines are quoted with their control characters escaped and cut short.
        guard !SafeText.hasControlCharacters(error.description) else { fatalError("a control character in: \(error)") }
        guard error.description.count <= 400 else { fatalError("a message of \(error.description.count) characters") }
    } catch {
        fatalError("PointsCSV.parse threw a non-FlowError: \(error)")
    }
    return 0
}
