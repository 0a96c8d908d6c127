/// One step of a tour: a level-2 heading of the tour file and what follows it up to the next.
public struct TourStep: Equatable, Sendable {
    /// The heading's text.
    public var title: String
    /// What the step's `state:` line sets (nothing without one).
    public var settings: TourSettings
    /// What the step waits for (its `until:` line), shown as progress.
    public var until: TourCondition?
    /// The text on screen: the step's first paragraph of prose, without Markdown's backticks and
    /// emphasis.
    public var narration: String
    /// The speaker notes: the step's `>` lines, for `--notes FILE`.
    public var notes: [String]
}

/// What a tour step waits for: `until: iterations >= 2000`.
public struct TourCondition: Equatable, Sendable {
    /// The training iterations the step waits for.
    public var iterations: Int

    /// Parses the words after `until:`; throws a one-line reason.
    public init(line: String) throws {
        let words = line.split(separator: " ")
        guard words.count == 3, words[0] == "iterations", words[1] == ">=", let n = Int(words[2]), n >= 0 else {
            throw TourError("'\(line)': a step waits for 'iterations >= N'")
        }
        iterations = n
    }

    /// The progress line at `iteration`: "waiting for 2000 iterations: 840 (42%)", or what to
    /// do once reached.
    public func progress(at iteration: Int) -> String {
        guard iteration < iterations else { return "\(iterations) iterations reached: press n for the next step" }
        let percent = iterations > 0 ? 100 * iteration / iterations : 100
        return "waiting for \(iterations) iterations: \(iteration) (\(percent)%)"
    }
}
