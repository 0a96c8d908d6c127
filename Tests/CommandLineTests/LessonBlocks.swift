import Foundation

/// The generated parts of docs/lesson.md, read back the way `scripts/lesson-pictures` writes them:
/// `<!-- picture: NAME -->` blocks (a UI frame, or an `eval` table whose first line is its
/// `$ flow-explorer eval ...` command), `<!-- commands: NAME -->` lists of commands,
/// `<!-- seconds: NAME -->` training times, the `<!-- machine -->` that timed them, and the quoted
/// numbers `<!-- number: NAME | ROW | COLUMN -->VALUE<!-- end number -->`.
struct LessonBlocks {
    /// Each picture's text, without its code fence.
    var pictures: [String: String] = [:]
    /// Each command list, one command a line.
    var commands: [String: [String]] = [:]
    /// Every quoted number: the picture, row and column it names and the value the lesson prints.
    var numbers: [(picture: String, row: String, column: String, value: String)] = []
    /// Every training time, in seconds as the lesson prints it.
    var seconds: [String] = []
    /// Every machine the lesson names.
    var machines: [String] = []
    /// The lesson outside code fences and generated parts, headings left out: the prose a teacher reads.
    var prose = ""

    init(markdown: String) {
        func matches(_ pattern: String, _ text: String) -> [[String]] {
            let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
            let whole = NSRange(text.startIndex..., in: text)
            return regex.matches(in: text, range: whole).map { match in
                (0..<match.numberOfRanges).map { i in Range(match.range(at: i), in: text).map { String(text[$0]) } ?? "" }
            }
        }
        for m in matches(#"<!-- picture: ([\w-]+) -->\n```text\n(.*?)\n```\n<!-- end picture -->"#, markdown) {
            pictures[m[1]] = m[2]
        }
        for m in matches(#"<!-- commands: ([\w-]+) -->\n```sh\n(.*?)\n```\n<!-- end commands -->"#, markdown) {
            commands[m[1]] = m[2].split(separator: "\n").map(String.init)
        }
        for m in matches(#"<!-- number: (.*?) -->(.*?)<!-- end number -->"#, markdown) {
            let parts = m[1].split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            numbers.append((parts[0], parts.count > 1 ? parts[1] : "", parts.count > 2 ? parts[2] : "", m[2]))
        }
        seconds = matches(#"<!-- seconds: [\w-]+ -->(.*?)<!-- end seconds -->"#, markdown).map { $0[1] }
        machines = matches(#"<!-- machine -->(.*?)<!-- end machine -->"#, markdown).map { $0[1] }
        var text = markdown
        for pattern in [
            #"<!-- (picture|commands): [\w-]+ -->.*?<!-- end (picture|commands) -->"#,
            #"<!-- (number|seconds): .*? -->.*?<!-- end (number|seconds) -->"#,
            #"<!-- machine -->.*?<!-- end machine -->"#, #"```.*?```"#,
        ] {
            text = (try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]))
                .stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
        }
        prose = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }
            .joined(separator: "\n")
    }

    /// One number of a picture, as `scripts/lesson-pictures` reads it: on the first line whose
    /// words begin with `row`'s words, the value in `column` of the table header above it (the
    /// nearest line that begins with "sampler", columns apart by two or more spaces, matched to the
    /// row's words from the right); with an empty `column`, the word after the row's words.
    static func number(in picture: String, row: String, column: String) -> String? {
        let wanted = row.split(separator: " ").map(String.init)
        var header: [String]?
        for line in picture.split(separator: "\n").map(String.init) {
            let words = line.split(separator: " ").map(String.init)
            if words.first == "sampler" {
                header = line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty }
            }
            guard Array(words.prefix(wanted.count)) == wanted, words.count > wanted.count else { continue }
            if column.isEmpty { return words[wanted.count] }
            if let header, let index = header.firstIndex(of: column) {
                let position = words.count - (header.count - index)
                return position >= wanted.count ? words[position] : nil
            }
        }
        return nil
    }
}
