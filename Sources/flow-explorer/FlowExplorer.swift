import ArgumentParser
import FlowCore
import Foundation
import NcursesTerminal

@main
struct FlowExplorer: ParsableCommand {
    /// The release, as `flow-explorer --version` prints it and as the package is tagged.
    static let version = "0.7.0"

    static let configuration = CommandConfiguration(
        commandName: "flow-explorer",
        abstract: "Train and compare flow matching, shortcut and consistency models on 2D data.",
        discussion: """
            Time runs from t = 0 (noise, x0 ~ N(0, I)) to t = 1 (data); x_t = (1 - t) x0 + t x1. \
            Consistency-model papers run the other way with EDM noise levels sigma in [0.002, 80]; \
            they map to this convention by t = 1 / (1 + sigma).
            """,
        version: version,
        subcommands: [
            TuiCommand.self, TrainCommand.self, EvalCommand.self, SampleCommand.self, DatasetsCommand.self, BenchCommand.self,
            RenderCommand.self, TourCommand.self,
        ],
        defaultSubcommand: TuiCommand.self
    )

    /// Every error ends the process with a one-line message on stderr and exit code 2 (bad
    /// input), an option given twice too (`repeatedOption`); `--help` and `--version` print and
    /// exit 0. A failed write to stdout ends it with
    /// exit code 1 (quietly on a closed pipe); a failed write to stderr is ignored. Handled signals
    /// remove the temporary files of writes in progress and exit with 128 + signal, quietly.
    static func main() {
        AtomicFile.prepare()
        NcursesDevice.installSignalHandlers(cleanup: { TemporaryFiles.removeAll() }, keepIgnored: true)
        do {
            if let name = repeatedOption(Array(CommandLine.arguments.dropFirst())) {
                throw ValidationError(
                    "\(name) is given twice; give it once (a list option takes one comma-separated list, e.g. --steps 1,4)")
            }
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as Console.OutputFailure {
            if failure.code != EPIPE {
                Console.error("flow-explorer: cannot write to stdout (\(DescriptorWriter.message(failure.code)))\n")
            }
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                do {
                    try Console.line(fullMessage(for: error))
                } catch {
                    Foundation.exit(1)
                }
                Foundation.exit(0)
            }
            let message = (error as? FlowError)?.description ?? self.message(for: error)
            let line = message.split(separator: "\n").first.map(String.init) ?? "failed"
            // The message may quote a path or file content: no control character reaches stderr.
            Console.error("flow-explorer: \(SafeText.escaped(line, limit: 1000))\n")
            Foundation.exit(2)
        }
    }
}
