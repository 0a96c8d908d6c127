import Foundation
import Testing

@testable import FlowCore

/// `SafeText` (the one helper that quotes file content in messages) and the streaming CSV reader.
@Suite struct SafeTextTests {
    @Test("control characters are escaped and no raw control byte remains")
    func controlCharactersAreEscaped() {
        let text = "a\u{1b}]0;t\u{07}b\u{1b}[2J\u{7f}\u{9b}\u{202e}\n"
        let shown = SafeText.escaped(text, limit: 200)
        #expect(shown == "a\\x1b]0;t\\x07b\\x1b[2J\\x7f\\x9b\\u{202e}\\x0a")
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(SafeText.escaped("moons") == "moons")
    }

    @Test("with oneColumn, wide and zero-width characters are escaped and narrow ones kept")
    func wideCharactersAreEscapedForOneColumnCells() {
        let shown = SafeText.escaped("点a\u{301}é—🎉ｘ", limit: 200, oneColumn: true)
        #expect(shown == "\\u{70b9}a\\u{301}é—\\u{1f389}\\u{ff58}")
        #expect(shown.unicodeScalars.allSatisfy(SafeText.isOneColumn))
        #expect(SafeText.escaped("点", limit: 200) == "点", "without oneColumn only controls are escaped")
    }

    @Test("long text is cut to the limit, ending in three dots")
    func longTextIsCut() {
        let shown = SafeText.escaped(String(repeating: "\u{1b}", count: 10_000_000))
        #expect(shown.count == SafeText.defaultLimit && shown.hasSuffix("..."))
        #expect(SafeText.escaped(String(repeating: "x", count: 80)).count == 80)
    }

    @Test("a CSV file read in chunks gives the same points when a CRLF straddles a chunk boundary")
    func crlfAcrossChunks() throws {
        let line = "1.5,-2\r\n"
        // A 9-byte header puts the "\r" of line 8190 at byte 65535, its "\n" in the second 64 KB chunk.
        let head = "x,y    \r\n"
        let text = head + String(repeating: line, count: 8192)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crlf-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let points = try PointsCSV.read(path: path)
        #expect(points.count == 2 * 8192 && points.allSatisfy { $0 == 1.5 || $0 == -2 })
        #expect(try PointsCSV.parse(text, name: "t.csv") == points)
    }
}
