import Foundation

/// Points as CSV: a header line `x,y` (optional on reading), then one `x,y` pair per line.
public enum PointsCSV {
    /// The most rows a CSV dataset may have (larger files are refused rather than slowly loaded).
    public static let maximumRows = 1_000_000
    /// The longest line a CSV dataset may have, in bytes (a pair of numbers needs under 100).
    public static let maximumLineLength = 4096

    /// Reads two numeric columns; `path` is named in every error, with the line number.
    /// Returns a flat [N, 2] array.
    ///
    /// The file is read in 64 KB chunks and parsed line by line, so a file is refused at its first
    /// line longer than `maximumLineLength` or at its row `maximumRows + 1`, without reading the
    /// rest: memory stays near the size of the points kept.
    public static func read(path: String) throws -> [Float] {
        var parser = Parser(name: path)
        try ReadableFile.forEachChunk(path) { try parser.consume($0) }
        return try parser.finish()
    }

    /// Parses CSV text as `read(path:)` does; `name` prefixes every error.
    public static func parse(_ text: String, name: String) throws -> [Float] {
        var parser = Parser(name: name)
        try parser.consume(Array(text.utf8)[...])
        return try parser.finish()
    }

    /// The line-by-line parser behind `read(path:)` and `parse(_:name:)`: bytes in, in any chunks.
    /// Lines end at `\n`, `\r\n`, `\r`, vertical tab or form feed. Lines of spaces and tabs are
    /// skipped; the first other line may be a header (two fields that are not numbers).
    struct Parser {
        let name: String
        var values: [Float] = []
        var line: [UInt8] = []
        var lineNumber = 0
        var seenContent = false
        var afterCarriageReturn = false

        init(name: String) { self.name = name }

        func fail(_ why: String) -> FlowError {
            .badInput("\(SafeText.escaped(name, limit: 240)):\(lineNumber): \(why)")
        }

        mutating func consume(_ bytes: ArraySlice<UInt8>) throws {
            var start = bytes.startIndex
            for i in bytes.indices {
                let byte = bytes[i]
                guard byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C else { continue }
                if byte == 0x0A && afterCarriageReturn && start == i && line.isEmpty {
                    afterCarriageReturn = false
                    start = i + 1
                    continue
                }
                try append(bytes[start..<i])
                try endLine()
                afterCarriageReturn = byte == 0x0D
                start = i + 1
            }
            if start < bytes.endIndex {
                afterCarriageReturn = false
                try append(bytes[start...])
            }
        }

        mutating func finish() throws -> [Float] {
            if !line.isEmpty { try endLine() }
            if values.isEmpty { throw FlowError.badInput("\(SafeText.escaped(name, limit: 240)): no points in the file") }
            return values
        }

        private mutating func append(_ bytes: ArraySlice<UInt8>) throws {
            guard line.count + bytes.count <= PointsCSV.maximumLineLength else {
                lineNumber += 1
                let shown = String(decoding: (line + bytes).prefix(SafeText.defaultLimit + 1), as: UTF8.self)
                throw fail("the line is longer than \(PointsCSV.maximumLineLength) bytes: '\(SafeText.escaped(shown))'")
            }
            line += bytes
        }

        private mutating func endLine() throws {
            lineNumber += 1
            defer { line.removeAll(keepingCapacity: true) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            guard let text = String(validating: line, as: UTF8.self) else { throw fail("not UTF-8 text") }
            let fields = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2 else { throw fail("expected two columns x,y, found \(fields.count)") }
            let isFirst = !seenContent
            seenContent = true
            guard let x = Float(fields[0]), let y = Float(fields[1]) else {
                if isFirst { return }  // a header
                throw fail("'\(SafeText.escaped(text))' is not a pair of numbers")
            }
            guard x.isFinite && y.isFinite else { throw fail("NaN or infinity is not a point") }
            guard values.count / 2 < PointsCSV.maximumRows else { throw fail("more than \(PointsCSV.maximumRows) points") }
            values.append(x)
            values.append(y)
        }
    }

    /// The CSV text of [N, 2] points, with the header `x,y`, shortest round-trip numbers.
    public static func text(_ points: [Float]) -> String {
        var out = "x,y\n"
        out.reserveCapacity(points.count * 12)
        for i in stride(from: 0, to: points.count - 1, by: 2) {
            out += "\(points[i]),\(points[i + 1])\n"
        }
        return out
    }
}
