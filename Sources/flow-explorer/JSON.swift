import FlowCore
import Foundation

/// A JSON value whose objects keep their key order, for stable, readable `--json` output.
enum JSON {
    case number(Double)
    case integer(Int)
    case unsigned(UInt64)
    case string(String)
    case bool(Bool)
    case array([JSON])
    case object([(String, JSON)])
    case null

    var text: String {
        switch self {
        case .number(let v): v.isFinite ? formatted(v) : "null"
        case .integer(let v): String(v)
        case .unsigned(let v): String(v)
        case .string(let s): JSONString.quoted(s)
        case .bool(let b): b ? "true" : "false"
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let pairs): "{" + pairs.map { JSONString.quoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        case .null: "null"
        }
    }

    private func formatted(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.6g", v)
    }
}
