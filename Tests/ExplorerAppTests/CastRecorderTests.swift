import FlowCore
import Foundation
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// `--record FILE.cast` (issue 16, item 9): an asciicast v2 file of what the screen showed, read
/// back here by a small v2 reader.
@Suite struct CastRecorderTests {
    /// An asciicast v2 file: its header and its events.
    struct Cast {
        var header: [String: Any]
        var events: [(time: Double, kind: String, text: String)]

        init(_ text: String) throws {
            let lines = text.split(separator: "\n").map { Data($0.utf8) }
            let first = try #require(lines.first)
            header = try #require(try JSONSerialization.jsonObject(with: first) as? [String: Any])
            events = try lines.dropFirst().map { line in
                let array = try #require(try JSONSerialization.jsonObject(with: line) as? [Any])
                return (try #require(array[0] as? Double), try #require(array[1] as? String), try #require(array[2] as? String))
            }
        }
    }

    @Test func aRecordingHasAV2HeaderFramesInTimeOrderAndAMarkerAtEachTourStep() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fe-cast-\(getpid()).cast").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state = stateWithPictures(Size(width: 100, height: 30), method: .fm)
        let recorder = try CastRecorder(path: path, size: state.size)
        let loop = RunLoop(recorder: recorder)
        recorder.frame(view(state), at: 0.5)
        state.tour = .builtIn
        state.showTour = true
        state.now = 1.25
        for effect in openTourStep(1, &state) { _ = loop.perform(effect, state: state, link: nil) }
        state.snapshot = stateWithPictures(state.size, method: .fm).snapshot
        recorder.frame(view(state), at: 2)
        recorder.frame(view(state), at: 2.5)  // nothing changed: no event
        #expect(!FileManager.default.fileExists(atPath: path), "the file appears when the recording ends")
        try recorder.finish()
        let cast = try Cast(try String(contentsOfFile: path, encoding: .utf8))
        #expect(cast.header["version"] as? Int == 2 && cast.header["width"] as? Int == 100 && cast.header["height"] as? Int == 30)
        #expect(cast.events.map(\.kind) == ["o", "m", "o"])
        #expect(cast.events.map(\.time) == [0.5, 1.25, 2])
        #expect(cast.events[1].text == "step 2 of \(Tour.builtIn.steps.count): \(Tour.builtIn.steps[1].title)")
        // The first frame is whole: every row, and the status bar's text.
        #expect(cast.events[0].text.components(separatedBy: "\u{1B}[").count > 30)
        #expect(cast.events[0].text.contains("8gaussians │ it 1234"))
        // The second, only the rows that changed: the tour panel is in it.
        #expect(cast.events[2].text.contains("Tour, step 2 of"))
    }

    /// The run loop stamps a marker with its last tick and a frame with the clock as it draws, so
    /// a marker can arrive stamped before the frame written just ahead of it (seen in CI).
    @Test func anEventStampedBeforeTheLastOneIsWrittenAtTheLastOnesTime() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fe-cast-order-\(getpid()).cast").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let state = stateWithPictures(Size(width: 60, height: 20), method: .fm)
        let recorder = try CastRecorder(path: path, size: state.size)
        recorder.frame(view(state), at: 5.3)
        recorder.marker("step 2 of 12", at: 5.25)
        recorder.marker("step 3 of 12", at: 6)
        try recorder.finish()
        let cast = try Cast(try String(contentsOfFile: path, encoding: .utf8))
        #expect(cast.events.map(\.time) == [5.3, 5.3, 6])
    }

    @Test func aRecordingIsRefusedOverAnInputAndLeavesNoTemporaryFileWhenDropped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fe-cast-dir-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = folder + "/points.csv"
        try "x,y\n1,2\n".write(toFile: input, atomically: false, encoding: .utf8)
        #expect(throws: FlowError.self) { try CastRecorder(path: input, size: big, inputs: [input]) }
        do { _ = try CastRecorder(path: folder + "/dropped.cast", size: big) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["points.csv"])
    }

    @Test func rowsCarryTheirStylesAsSGRCodes() {
        var buffer = CellBuffer(size: Size(width: 3, height: 1))
        buffer.write("ab", at: Point(x: 0, y: 0), style: Style(foreground: .indexed(208), bold: true))
        #expect(CastRecorder.ansi(row: 0, of: buffer) == "\u{1B}[0;1;38;5;208mab\u{1B}[0m \u{1B}[0m")
    }
}
