import FlowCore
import Foundation
import Testing

/// `bench --time-to-quality` takes its targets from one table, the README's 20,000-iteration results.
@Suite struct ReferenceQualityTests {
    /// The README's `scripts/reproduce` table: per dataset, the columns named in its header row.
    func readmeTable() throws -> [String: [String: Double]] {
        let text = try String(contentsOf: LessonTests.root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let cells = { (line: String) in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let start = try #require(lines.firstIndex { $0.hasPrefix("| dataset | floor | fm euler K=1 |") })
        let header = cells(lines[start])
        var table: [String: [String: Double]] = [:]
        for line in lines[(start + 2)...] {
            guard line.hasPrefix("|") else { break }
            let row = cells(line)
            table[row[0]] = Dictionary(
                uniqueKeysWithValues: zip(header, row).compactMap { name, value in Double(value).map { (name, $0) } })
        }
        return table
    }

    @Test func theTargetTableHoldsTheReadmesMainValuesForEveryDataset() throws {
        let readme = try readmeTable()
        let columns: [Method: String] = [
            .fm: "fm euler K=128", .shortcut: "shortcut K=1", .cd: "cd K=1", .ct: "ct K=1", .meanflow: "meanflow K=1",
        ]
        #expect(Set(readme.keys) == Set(ToyDataset.allCases.map(\.rawValue)))
        #expect(Set(ReferenceQuality.sw2.keys) == Set(readme.keys))
        for (dataset, row) in readme {
            for (method, column) in columns {
                let value = try #require(row[column], "\(dataset) \(column)")
                #expect(ReferenceQuality.sw2[dataset]?[method] == value, "\(dataset) \(method)")
                #expect(TimeToQuality.target(method: method, dataset: dataset) == 1.25 * value)
            }
        }
    }

}
