import Foundation

/// The safetensors format (Hugging Face's; the file layout below), Float32 tensors only:
/// an 8-byte little-endian header length N, N bytes of JSON (padded with spaces to a multiple of
/// 8) mapping each tensor name to `{"dtype":"F32","shape":[...],"data_offsets":[begin,end]}` plus
/// a `__metadata__` map of strings, then the tensors' bytes, back to back, little-endian.
public enum Safetensors {
    /// One Float32 tensor: its shape and its values in row-major order.
    public struct Tensor: Equatable, Sendable {
        /// The dimensions.
        public var shape: [Int]
        /// The values, as many as the product of the dimensions.
        public var values: [Float]
        /// A tensor of this shape and these values.
        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }
    }

    /// The largest header a reader accepts (the reference implementation's limit).
    public static let maximumHeaderLength = 100_000_000

    /// Serialises tensors (in name order) and metadata, deterministically.
    public static func encode(tensors: [String: Tensor], metadata: [String: String]) -> Data {
        var entries: [String] = []
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            precondition(t.values.count == t.shape.reduce(1, *), "tensor \(name): shape does not match")
            let end = offset + 4 * t.values.count
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append(
                "\(JSONString.quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        let meta = metadata.keys.sorted().map { "\(JSONString.quoted($0)):\(JSONString.quoted(metadata[$0]!))" }
        entries.insert("\"__metadata__\":{\(meta.joined(separator: ","))}", at: 0)
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for name in names {
            tensors[name]!.values.withUnsafeBufferPointer { buffer in
                if UInt32(1).littleEndian == 1 {  // a little-endian host copies the bytes as they are
                    out.append(
                        UnsafeBufferPointer(
                            start: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt8.self),
                            count: 4 * buffer.count))
                } else {
                    for v in buffer { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
                }
            }
        }
        return out
    }

    /// Parses and validates a file: every offset and size is checked before any data is read.
    /// `name` (the path) prefixes every error message; a header longer than `maximumHeaderLength`
    /// bytes is refused before it is parsed.
    public static func decode(
        _ data: Data, name: String, maximumHeaderLength: Int = Safetensors.maximumHeaderLength
    ) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        func fail(_ why: String) -> FlowError {
            .badInput("\(SafeText.escaped(name, limit: 240)): not a valid safetensors file: \(why)")
        }
        guard data.count >= 8 else { throw fail("shorter than its 8-byte header length") }
        return try data.withUnsafeBytes { try decode(bytes: $0, maximumHeaderLength: maximumHeaderLength, fail: fail) }
    }

    /// The header length N that a file's first 8 bytes give (little-endian).
    public static func headerLength(_ first8: some Collection<UInt8>) -> UInt64 {
        first8.prefix(8).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    /// `decode(_:name:)` on the file's bytes, without copying them.
    private static func decode(
        bytes: UnsafeRawBufferPointer, maximumHeaderLength: Int, fail: (String) -> FlowError
    ) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let n = headerLength(bytes.prefix(8))
        guard n <= UInt64(maximumHeaderLength) else { throw fail("header length \(n) is too large") }
        let headerLength = Int(n)
        guard 8 + headerLength <= bytes.count else { throw fail("header length \(n) runs past the end of the file") }
        guard headerLength >= 2, bytes[8] == UInt8(ascii: "{") else { throw fail("the header is not a JSON object") }
        let header = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)]))
        guard let json = try? JSONSerialization.jsonObject(with: header),
            let object = json as? [String: Any]
        else { throw fail("the header is not valid JSON") }

        var metadata: [String: String] = [:]
        var spans: [(name: String, begin: Int, end: Int, shape: [Int])] = []
        for (key, value) in object {
            if key == "__metadata__" {
                guard let map = value as? [String: Any] else { throw fail("__metadata__ is not a map") }
                for (k, v) in map {
                    guard let s = v as? String else { throw fail("metadata value for '\(SafeText.escaped(k))' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any] else {
                throw fail("tensor '\(SafeText.escaped(key))' is not described by an object")
            }
            guard let dtype = info["dtype"] as? String else { throw fail("tensor '\(SafeText.escaped(key))' has no dtype") }
            guard dtype == "F32" else {
                throw fail("tensor '\(SafeText.escaped(key))' has dtype \(SafeText.escaped(dtype)), expected F32")
            }
            guard let shapeAny = info["shape"] as? [Any], let shape = integers(shapeAny),
                shape.allSatisfy({ $0 >= 0 && $0 <= 1 << 31 })
            else { throw fail("tensor '\(SafeText.escaped(key))' has a bad shape") }
            guard let offsetsAny = info["data_offsets"] as? [Any], let offsets = integers(offsetsAny), offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1]
            else { throw fail("tensor '\(SafeText.escaped(key))' has bad data_offsets") }
            var count = 1
            for d in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, product <= Int(Int32.max) else { throw fail("tensor '\(SafeText.escaped(key))' is too large") }
                count = product
            }
            guard offsets[1] - offsets[0] == 4 * count else {
                throw fail("tensor '\(SafeText.escaped(key))': data size does not match its shape")
            }
            spans.append((key, offsets[0], offsets[1], shape))
        }
        spans.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        let bufferStart = 8 + headerLength
        var expected = 0
        for span in spans {
            guard span.begin == expected else {
                let shown = SafeText.escaped(span.name)
                throw fail(
                    span.begin < expected
                        ? "tensor '\(shown)' overlaps another" : "there is a hole before tensor '\(shown)'")
            }
            expected = span.end
        }
        guard bufferStart + expected == bytes.count else {
            throw fail(
                bufferStart + expected > bytes.count
                    ? "the data runs past the end of the file" : "there are unindexed bytes after the data")
        }
        var tensors: [String: Tensor] = [:]
        for span in spans {
            var values = [Float](repeating: 0, count: (span.end - span.begin) / 4)
            for i in values.indices {
                let o = bufferStart + span.begin + 4 * i
                values[i] = Float(
                    bitPattern: UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3])
                        << 24)
            }
            tensors[span.name] = Tensor(shape: span.shape, values: values)
        }
        return (tensors, metadata)
    }

    static func integers(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        for v in values {
            guard let number = v as? NSNumber else { return nil }
            let d = number.doubleValue
            guard d == d.rounded(), abs(d) < 9e15 else { return nil }
            out.append(Int(d))
        }
        return out
    }
}
