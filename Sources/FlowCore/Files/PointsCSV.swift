import Foundation

/// Points as CSV: a header line `x,y` (optional on reading), then one `x,y` pair per line.
public enum PointsCSV {
    /// The most rows a CSV dataset may have (larger files are refused rather than slowly loaded).
    public static let maximumRows = 1_000_000

    /// Reads two numeric columns; `path` is named in every error, with the line number.
    /// Returns a flat [N, 2] array.
    public static func read(path: String) throws -> [Float] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlowError.badInput("\(path): cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FlowError.badInput("\(path): not UTF-8 text")
        }
        return try parse(text, name: path)
    }

    public static func parse(_ text: String, name: String) throws -> [Float] {
        var values: [Float] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, and a newline like "\n".
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2 else {
                throw FlowError.badInput("\(name):\(lineNumber): expected two columns x,y, found \(fields.count)")
            }
            guard let x = Float(fields[0]), let y = Float(fields[1]) else {
                if values.isEmpty && lineNumber == firstContentLine(text) { continue }  // a header
                throw FlowError.badInput("\(name):\(lineNumber): '\(line)' is not a pair of numbers")
            }
            guard x.isFinite && y.isFinite else {
                throw FlowError.badInput("\(name):\(lineNumber): NaN or infinity is not a point")
            }
            if values.count / 2 >= maximumRows {
                throw FlowError.badInput("\(name):\(lineNumber): more than \(maximumRows) points")
            }
            values.append(x)
            values.append(y)
        }
        if values.isEmpty { throw FlowError.badInput("\(name): no points in the file") }
        return values
    }

    static func firstContentLine(_ text: String) -> Int {
        var n = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            n += 1
            if !line.allSatisfy({ $0 == " " || $0 == "\t" }) { return n }
        }
        return n
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
