import Foundation

/// NumPy `.npy` version 1.0 for [N, 2] Float32 points: magic `\x93NUMPY`, version 1 0, a
/// little-endian u16 header length, a Python dict literal padded with spaces and a newline to a
/// multiple of 64 bytes, then the little-endian `<f4` data in C order.
public enum NpyFile {
    /// The `.npy` bytes of [N, 2] points (flat, row-major).
    public static func data(points: [Float]) -> Data {
        let rows = points.count / 2
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), 2), }"
        let unpadded = 10 + dict.utf8.count + 1
        let padding = (64 - unpadded % 64) % 64
        let header = dict + String(repeating: " ", count: padding) + "\n"
        var out = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        out.append(contentsOf: Array(header.utf8))
        for i in 0..<(2 * rows) {
            withUnsafeBytes(of: points[i].bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Reads a file written by `data(points:)` (or NumPy: `<f4`, C order, shape (N, 2)).
    public static func read(_ data: Data, name: String) throws -> [Float] {
        let bytes = [UInt8](data)
        func fail(_ why: String) -> FlowError { .badInput("\(name): \(why)") }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw fail("not a .npy file")
        }
        guard bytes[6] == 1 else { throw fail("unsupported .npy version \(bytes[6]).\(bytes[7])") }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        guard 10 + headerLength <= bytes.count,
            let header = String(bytes: bytes[10..<(10 + headerLength)], encoding: .ascii)
        else { throw fail("the header runs past the end of the file") }
        guard header.contains("'descr': '<f4'") else { throw fail("the data type is not <f4") }
        guard !header.contains("'fortran_order': True") else { throw fail("Fortran order is not supported") }
        guard let open = header.range(of: "'shape': ("),
            let close = header[open.upperBound...].firstIndex(of: ")")
        else { throw fail("no shape in the header") }
        let dims = header[open.upperBound..<close].split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard dims.count == 2, let rows = dims[0], dims[1] == 2, rows >= 0 else { throw fail("the shape is not (N, 2)") }
        let start = 10 + headerLength
        // Divide rather than multiply: a claimed row count near Int.max must not overflow.
        guard (bytes.count - start) % 8 == 0, (bytes.count - start) / 8 == rows else {
            throw fail("the data size does not match the shape")
        }
        return (0..<(2 * rows)).map { i in
            let o = start + 4 * i
            let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
            return Float(bitPattern: bits)
        }
    }
}
