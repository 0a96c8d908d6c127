import ExplorerApp
import Foundation
import Testing

/// What docs/lesson.md asks a teacher to type, read back from the text: the `flow-explorer`
/// commands (with their options) in backticks and fenced code blocks, and the keys it says to
/// press ("press `+`", or the first column of a table whose header starts with "Key").
struct LessonMentions: Equatable {
    /// Each command as its subcommand and the `--options` written after it.
    var commands: [(subcommand: String, options: [String])] = []
    /// Every key named.
    var keys: [String] = []

    static func == (a: LessonMentions, b: LessonMentions) -> Bool {
        a.keys == b.keys
            && a.commands.map { "\($0.subcommand) \($0.options)" } == b.commands.map { "\($0.subcommand) \($0.options)" }
    }

    init(markdown: String) {
        var inCode = false
        var inKeyTable = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                inCode.toggle()
                continue
            }
            // Code: whole fenced lines (the pictures hold no "flow-explorer WORD"); prose: backtick spans.
            let code = inCode ? [line] : Self.spans(line)
            for piece in code { commands += Self.commands(in: piece) }
            guard !inCode else { continue }
            if line.hasPrefix("|") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                if cells.count > 1, cells[1] == "Key" || cells[1] == "Keys" {
                    inKeyTable = true
                    continue
                }
                if inKeyTable, cells.count > 1, !cells[1].hasPrefix("-") { keys += Self.spans(cells[1]) }
            } else {
                inKeyTable = false
            }
            keys += Self.pressed(in: line)
        }
    }

    /// The texts of the `backtick` spans of a line.
    static func spans(_ line: String) -> [String] {
        let parts = line.split(separator: "`", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count - 1, by: 2).map { String(parts[$0]) }
    }

    /// "flow-explorer SUB --a x --b" -> (SUB, [--a, --b]) for every mention in `text`.
    static func commands(in text: String) -> [(subcommand: String, options: [String])] {
        var found: [(String, [String])] = []
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        for (i, word) in words.enumerated() where word == "flow-explorer" || word.hasSuffix("/flow-explorer") {
            guard i + 1 < words.count, let first = words[i + 1].first, first.isLetter else { continue }
            var options: [String] = []
            for next in words[(i + 2)...] {
                if next == "flow-explorer" || next.hasSuffix("/flow-explorer") || next == "|" || next == "&&" || next == "#" {
                    break
                }
                if next.hasPrefix("--") { options.append(String(next.split(separator: "=")[0])) }
            }
            found.append((words[i + 1], options))
        }
        return found
    }

    /// Keys after "press": "press `+` twice", "press `tab` or `3`", "Press `e`, then `s`".
    static func pressed(in line: String) -> [String] {
        var keys: [String] = []
        var rest = Substring(line)
        while let range = rest.range(of: "press `", options: .caseInsensitive) {
            rest = rest[rest.index(before: range.upperBound)...]
            // Consecutive spans joined by "or", "and", "then", commas or "/".
            while rest.first == "`", let close = rest.dropFirst().firstIndex(of: "`") {
                keys.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                rest = rest[rest.index(after: close)...]
                let trimmed = rest.drop { " ,/".contains($0) }
                if trimmed.hasPrefix("`") {
                    rest = trimmed
                    continue
                }
                var matched = false
                for joiner in ["or ", "and ", "then "] where trimmed.hasPrefix(joiner) {
                    rest = trimmed.dropFirst(joiner.count)
                    matched = rest.first == "`"
                }
                if !matched { break }
            }
        }
        return keys
    }
}

/// docs/lesson.md names only keys and commands that exist.
@Suite struct LessonTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let cli = CommandLineTests()

    /// The subcommands `flow-explorer --help` lists.
    func subcommands() throws -> Set<String> {
        let help = try cli.run(["--help"]).stdout
        let after = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first ?? ""
        let section = after.trimmingCharacters(in: .newlines).components(separatedBy: "\n\n").first ?? ""
        return Set(
            section.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else {
                    return nil
                }
                return String(word)
            })
    }

    @Test func theLessonNamesOnlySubcommandsOptionsAndKeysThatExist() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/lesson.md"), encoding: .utf8)
        let mentions = LessonMentions(markdown: text)
        let known = try subcommands()
        #expect(known.isSuperset(of: ["tui", "train", "eval", "render"]), "\(known)")
        #expect(mentions.commands.count >= 5 && mentions.keys.count >= 5, "the lesson walks through commands and keys")
        var helpBySubcommand: [String: String] = [:]
        for (subcommand, options) in mentions.commands {
            #expect(known.contains(subcommand), "the lesson names `flow-explorer \(subcommand)`, which does not exist")
            guard known.contains(subcommand) else { continue }
            if helpBySubcommand[subcommand] == nil { helpBySubcommand[subcommand] = try cli.run([subcommand, "--help"]).stdout }
            for option in options {
                #expect(
                    helpBySubcommand[subcommand]!.contains(option + " ") || helpBySubcommand[subcommand]!.contains(option + "\n"),
                    "`flow-explorer \(subcommand)` has no option \(option)")
            }
        }
        for key in mentions.keys {
            #expect(helpKeys.contains(key), "the lesson says to press `\(key)`, which the help overlay does not list")
        }
    }

    @Test func theCheckerFindsCommandsOptionsAndKeysInProseTablesAndCode() {
        let text = """
            Run `flow-explorer tui --method fm --seed 0`, then press `+` twice, or press `tab` or `3`.
            | Key | What |
            |-----|------|
            | `x` | nothing |

            ```sh
            flow-explorer trian --steps 1 && flow-explorer render a.safetensors --view compare
            ```
            flow-explorer trains models (prose outside backticks is not a command).
            """
        let mentions = LessonMentions(markdown: text)
        #expect(mentions.keys == ["+", "tab", "3", "x"])
        #expect(mentions.commands.map(\.subcommand) == ["tui", "trian", "render"])
        #expect(mentions.commands.map(\.options) == [["--method", "--seed"], ["--steps"], ["--view"]])
        #expect(!helpKeys.contains("x"))
    }
}
