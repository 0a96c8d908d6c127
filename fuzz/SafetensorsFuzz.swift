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
    } catch let error as FlowError {
        check(error)
    } catch {
        fatalError("Safetensors.decode threw a non-FlowError: \(error)")
    }
    // The checkpoint on top: a checkpoint it accepts must survive a write and a read back.
    do {
        let checkpoint = try Checkpoint.decode(bytes, name: "fuzz.safetensors")
        // Metadata values: the dataset name is shown on screen and in messages.
        guard Dataset.isValidName(checkpoint.dataset), !SafeText.hasControlCharacters(checkpoint.dataset) else {
            fatalError("accepted the dataset name \(SafeText.escaped(checkpoint.dataset))")
        }
        let back = try Checkpoint.decode(checkpoint.encoded(), name: "re-encoded")
        guard back.parameters == checkpoint.parameters, back.ema == checkpoint.ema, back.shape == checkpoint.shape else {
            fatalError("a checkpoint does not survive encoding and decoding")
        }
    } catch let error as FlowError {
        check(error)
    } catch {
        fatalError("Checkpoint.decode threw a non-FlowError: \(error)")
    }
    return 0
}

/// A message quotes names and values from the file escaped and cut short.
func check(_ error: FlowError) {
    guard !SafeText.hasControlCharacters(error.description) else { fatalError("a control character in: \(error)") }
    guard error.description.count <= 400 else { fatalError("a message of \(error.description.count) characters") }
}
