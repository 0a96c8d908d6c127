// libFuzzer target for the .npy reader. Built by scripts/fuzz (not a SwiftPM target).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    do {
        let points = try NpyFile.read(bytes, name: "fuzz.npy")
        guard points.count % 2 == 0 else { fatalError("an odd number of coordinates: \(points.count)") }
        // What it accepts must survive a write and a read back (bit for bit: NaN payloads too).
        let back = try NpyFile.read(NpyFile.data(points: points), name: "re-encoded.npy")
        guard back.map(\.bitPattern) == points.map(\.bitPattern) else { fatalError("points do not survive a round trip") }
    } catch is FlowError {
    } catch {
        fatalError("NpyFile.read threw a non-FlowError: \(error)")
    }
    return 0
}
