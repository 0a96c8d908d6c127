/// Text from a file or a command line made safe to show on a terminal or in a one-line message.
public enum SafeText {
    /// The longest quotation of file content in a message, in characters.
    public static let defaultLimit = 80

    /// `text` with every control character escaped and cut to `limit` characters.
    ///
    /// C0 controls, DEL and C1 controls (ESC, BEL, CR, newline, U+0085, ...) become `\x1b`-style
    /// escapes; the line and paragraph separators and the bidirectional overrides (U+2028, U+2029,
    /// U+202A...U+202E, U+2066...U+2069) become `\u{202e}`-style escapes. So no byte of the result can
    /// move the cursor, change the terminal or start a new line. A longer result is cut to `limit`
    /// characters, the last three being `...`.
    ///
    /// With `oneColumn`, characters a terminal draws other than one column wide are escaped too:
    /// wide ones (CJK, Hangul, fullwidth forms, emoji) and zero-width ones (combining marks, format
    /// characters), so that text laid out one character per cell stays in its cells.
    public static func escaped<S: StringProtocol>(_ text: S, limit: Int = defaultLimit, oneColumn: Bool = false) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            let piece = oneColumn && !isOneColumn(scalar) ? hexEscape(scalar) : escape(scalar)
            count += piece.count
            if count > limit {
                let keep = max(0, limit - 3)
                return String(out.prefix(keep)) + "..."
            }
            out += piece
        }
        return out
    }

    /// True when `text` holds a character that `escaped(_:limit:)` would escape.
    public static func hasControlCharacters<S: StringProtocol>(_ text: S) -> Bool {
        text.unicodeScalars.contains { needsEscape($0) }
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// True for a scalar that terminals draw one column wide: not a control, not East Asian wide
    /// or fullwidth, not an emoji shown as a picture, not a zero-width mark.
    public static func isOneColumn(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x7F { return v >= 0x20 }
        if needsEscape(scalar) || scalar.properties.isEmojiPresentation { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return false
        default: break
        }
        return !wideRanges.contains { $0.contains(v) }
    }

    /// The East Asian wide and fullwidth blocks (Unicode's EastAsianWidth W and F, by block).
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    static func escape(_ scalar: Unicode.Scalar) -> String {
        needsEscape(scalar) ? hexEscape(scalar) : String(scalar)
    }

    static func hexEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value < 0x100 { return "\\x" + (hex.count < 2 ? "0" + hex : hex) }
        return "\\u{" + hex + "}"
    }
}
