import FlowCore
import Foundation

/// A guided tour: a Markdown file whose level-2 headings are its steps (DESIGN.md 9.1). A step may
/// start with a `state:` line (``TourSettings``) and an `until:` line (``TourCondition``); its
/// first paragraph of prose is the narration on screen; its `>` lines are speaker notes. Code
/// blocks, tables, pictures and HTML comments stay on paper. `docs/lesson.md` is the built-in tour
/// (``builtIn``).
public struct Tour: Equatable, Sendable {
    /// The steps in file order.
    public var steps: [TourStep]

    /// The tour of `text`; throws a ``TourError`` naming the line of a bad `state:` or `until:`
    /// line, or when the text has no level-2 heading.
    public init(text: String) throws {
        var steps: [TourStep] = []
        var paragraph: [String] = []
        var inCode = false
        var inComment = false
        func endParagraph() {
            guard !paragraph.isEmpty, let last = steps.indices.last else { return }
            if steps[last].narration.isEmpty { steps[last].narration = Self.plain(paragraph.joined(separator: " ")) }
            paragraph = []
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                endParagraph()
                inCode.toggle()
                continue
            }
            if inCode { continue }
            if inComment {
                inComment = !line.contains("-->")
                continue
            }
            if line.hasPrefix("<!--") && !line.contains("-->") {
                endParagraph()
                inComment = true
                continue
            }
            if line.hasPrefix("## ") {
                endParagraph()
                steps.append(
                    TourStep(
                        title: String(line.dropFirst(3)), settings: TourSettings(), until: nil, narration: "", notes: []))
                continue
            }
            guard let last = steps.indices.last else { continue }
            do {
                if line.hasPrefix("state:") {
                    steps[last].settings = try TourSettings(line: String(line.dropFirst(6)))
                    continue
                }
                if line.hasPrefix("until:") {
                    steps[last].until = try TourCondition(line: String(line.dropFirst(6)).trimmingCharacters(in: .whitespaces))
                    continue
                }
            } catch let error as TourError {
                throw TourError("line \(index + 1): \(error.reason)")
            }
            if line.hasPrefix(">") {
                endParagraph()
                steps[last].notes.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
            } else if line.isEmpty || line.hasPrefix("|") || line.hasPrefix("![") || line.hasPrefix("#")
                || line.hasPrefix("<!--") && line.hasSuffix("-->") && line.components(separatedBy: "<!--").count == 2
            {
                endParagraph()
            } else {
                paragraph.append(line)
            }
        }
        endParagraph()
        guard !steps.isEmpty else { throw TourError("a tour needs at least one step, a level-2 heading (## Title)") }
        self.steps = steps
    }

    /// `text` without Markdown's inline marks: backticks, `**` and `*` emphasis, and HTML comments
    /// (the lesson tags its numbers with them).
    static func plain(_ text: String) -> String {
        var out = text.replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "**", with: "")
        while let start = out.range(of: "<!--"), let end = out.range(of: "-->", range: start.upperBound..<out.endIndex) {
            out.removeSubrange(start.lowerBound..<end.upperBound)
        }
        return out
    }

    /// The tour built into the binary: `docs/lesson.md` (``BuiltInTour``), so that `tour` works
    /// from any folder.
    public static let builtIn: Tour = {
        do {
            return try Tour(text: BuiltInTour.text)
        } catch {
            preconditionFailure("the built-in tour does not parse: \(error)")  // a test parses it
        }
    }()
}

/// Why a tour file was refused, in one line.
public struct TourError: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
