// libFuzzer target for the safetensors reader and the checkpoint validation on top of it.
// Built by scripts/fuzz with `swiftc -O -sanitize=fuzzer,address -parse-as-library` together with
// the FlowCore sources the readers need (not a SwiftPM target).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    // The generic reader: any error must be a FlowError; a file it accepts must be self-consistent.
    do {
        let (tensors, _) = try Safetensors.decode(bytes, name: "fuzz.safetensors")
        for (name, t) in tensors where t.values.count != t.shape.reduce(1, *) {
            fatalError("tensor \(name): \(t.values.count) values for shape \(t.shape)")
        }
    } catch is FlowError {
    } catch {
        fatalError("Safetensors.decode threw a non-FlowError: \(error)")
    }
    // The checkpoint on top: a checkpoint it accepts must survive a write and a read back.
    do {
        let checkpoint = try Checkpoint.decode(bytes, name: "fuzz.safetensors")
        let back = try Checkpoint.decode(checkpoint.encoded(), name: "re-encoded")
        guard back.parameters == checkpoint.parameters, back.ema == checkpoint.ema, back.shape == checkpoint.shape else {
            fatalError("a checkpoint does not survive encoding and decoding")
        }
    } catch is FlowError {
    } catch {
        fatalError("Checkpoint.decode threw a non-FlowError: \(error)")
    }
    return 0
}
