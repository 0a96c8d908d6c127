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

    func lesson() throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent("docs/lesson.md"), encoding: .utf8)
    }

    /// Every number quoted in the prose is the one its table in the lesson prints, and every table
    /// comes from an `eval` of a model the lesson's command list trains, on one thread.
    @Test func theLessonQuotesTheNumbersItsTablesPrint() throws {
        let blocks = LessonBlocks(markdown: try lesson())
        #expect(blocks.numbers.count >= 10, "the lesson quotes its tables' numbers")
        for n in blocks.numbers {
            let picture = try #require(blocks.pictures[n.picture], "no picture \(n.picture)")
            #expect(
                LessonBlocks.number(in: picture, row: n.row, column: n.column) == n.value,
                "the lesson quotes \(n.value) for '\(n.row)' \(n.column) of \(n.picture)")
        }
        let models = try #require(blocks.commands["models"])
        #expect(models.count == 7)
        for command in models { #expect(command.contains(" --threads 1 "), "\(command)") }
        let outputs = Set(models.compactMap { $0.components(separatedBy: " --out ").last })
        let tables = blocks.pictures.filter { $0.value.hasPrefix("$ flow-explorer eval ") }
        #expect(tables.count == 7)
        for (name, table) in tables {
            let model = table.split(separator: " ")[3]
            #expect(outputs.contains(String(model)), "\(name) evaluates \(model), which the lesson's commands do not train")
        }
    }

    /// Times are stated with the machine that took them; no unqualified "about N seconds"; every
    /// `train` command states its threads.
    @Test func theLessonStatesItsTimingsWithTheMachineAndItsThreads() throws {
        let text = try lesson()
        let blocks = LessonBlocks(markdown: text)
        #expect(blocks.seconds.count >= 5 && blocks.seconds.allSatisfy { Double($0) != nil }, "\(blocks.seconds)")
        #expect(blocks.machines.count == 1 && blocks.machines[0].contains("cores"), "\(blocks.machines)")
        let timing = try NSRegularExpression(
            pattern: #"[0-9] ?(s|ms|sec|seconds?|minutes?)\b|\b(a|one) (second|minute) or\b|\b(within|few) (seconds|minutes)\b"#)
        for line in blocks.prose.split(separator: "\n").map(String.init) {
            let found = timing.firstMatch(in: line, range: NSRange(line.startIndex..., in: line))
            #expect(found == nil, "a time not stated with the machine: \(line)")
        }
        for (subcommand, options) in LessonMentions(markdown: text).commands where subcommand == "train" {
            #expect(options.contains("--threads"), "a train command without --threads: \(options)")
        }
    }

    /// The fm and ct tables of the lesson are what their commands print today: trains the two
    /// models with the lesson's own commands (4,000 and 8,000 iterations on one thread) and runs
    /// the `eval` command printed above each table.
    @Test func theLessonsTablesAreWhatItsCommandsPrint() throws {
        let blocks = LessonBlocks(markdown: try lesson())
        let models = try #require(blocks.commands["models"])
        for name in ["02-eval-fm", "09-eval-ct"] {
            let table = try #require(blocks.pictures[name])
            let lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var eval = lines[0].split(separator: " ").dropFirst(2).map(String.init)
            let model = eval[1]
            let train = try #require(models.first { $0.hasSuffix("--out " + model) })
            var arguments = train.split(separator: " ").dropFirst().map(String.init)
            let file = cli.path("lesson-" + model)
            arguments[arguments.count - 1] = file
            let trained = try cli.run(arguments)
            #expect(trained.status == 0, "\(trained.stderr)")
            eval[1] = file
            let printed = try cli.run(eval)
            #expect(printed.status == 0, "\(printed.stderr)")
            #expect(
                printed.stdout == lines.dropFirst().joined(separator: "\n") + "\n",
                "\(name): `\(lines[0])` now prints\n\(printed.stdout)")
        }
    }

    @Test func theNumberReaderFindsRowsColumnsAndLabels() {
        let table = """
            sampler      steps    nfe      SW2   energy
            euler           16     16   0.0900   0.0030
            euler            1      1   1.8155   1.6468
            noise floor                 0.0733   0.0032

            sampler      steps    nfe  jump error
            euler            1      1      2.5928
            straightness S, model (128 Euler steps): 1.6130
            """
        #expect(LessonBlocks.number(in: table, row: "euler 1", column: "SW2") == "1.8155")
        #expect(LessonBlocks.number(in: table, row: "euler 1", column: "nfe") == "1")
        #expect(LessonBlocks.number(in: table, row: "euler 1", column: "jump error") == "2.5928")
        #expect(LessonBlocks.number(in: table, row: "noise floor", column: "energy") == "0.0032")
        #expect(LessonBlocks.number(in: table, row: "straightness S, model (128 Euler steps):", column: "") == "1.6130")
        #expect(LessonBlocks.number(in: table, row: "heun 1", column: "SW2") == nil)
        let lesson = LessonBlocks(
            markdown: """
                Took <!-- seconds: fm -->1.5<!-- end seconds --> s on <!-- machine -->X, 2 cores<!-- end machine -->;
                SW2 <!-- number: t | euler 1 | SW2 -->1.8155<!-- end number --> about 3 seconds.
                <!-- picture: t -->
                ```text
                \(table)
                ```
                <!-- end picture -->
                """)
        #expect(lesson.pictures["t"] == table && lesson.seconds == ["1.5"] && lesson.machines == ["X, 2 cores"])
        #expect(lesson.numbers.map(\.value) == ["1.8155"] && lesson.numbers.map(\.column) == ["SW2"])
        #expect(lesson.prose.contains("about 3 seconds") && !lesson.prose.contains("1.5"))
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
