import ArgumentParser
import ExplorerApp
import FlowCore

/// `flow-explorer tour [FILE]`: the UI with a guided tour open, the lesson's by default.
struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tour",
        abstract: "The UI with a guided tour: the lesson (docs/lesson.md, built in) or a tour file of your own.",
        discussion: """
            A tour is a Markdown file: each level-2 heading (## Title) is a step. A step may start with a \
            line `state: KEY=VALUE ...` (keys: \(TourSettings.keys.joined(separator: ", "))) that sets the \
            UI's state when the step opens, and a line `until: iterations >= N` that the panel shows progress \
            towards. The step's first paragraph is the narration on screen; its lines starting with > are \
            speaker notes, written to --notes FILE as each step opens (read them with tail -f in a second \
            terminal). Keys: n next step, p previous step, t hide or show the tour panel; every key of tui works.
            """)

    @Argument(help: "A tour file (Markdown); without it, the lesson built into the binary.")
    var file: String?
    @Option(help: "Append each step's speaker notes (its > lines) to this file as the step opens.")
    var notes: String?
    @OptionGroup var ui: TuiCommand

    /// The longest tour file read.
    static let maximumBytes = 1 << 20

    func run() throws {
        let tour: Tour
        if let file {
            let text = try ReadableFile.text(file, limit: Self.maximumBytes)
            do {
                tour = try Tour(text: text)
            } catch let error as TourError {
                throw ValidationError("\(SafeText.escaped(file, limit: 240)): \(SafeText.escaped(error.reason, limit: 300))")
            }
        } else {
            tour = .builtIn
        }
        try ui.launch(tour: tour, notes: notes)
    }
}
