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
    public static func escaped<S: StringProtocol>(_ text: S, limit: Int = defaultLimit) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            let piece = escape(scalar)
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

    static func escape(_ scalar: Unicode.Scalar) -> String {
        guard needsEscape(scalar) else { return String(scalar) }
        let hex = String(scalar.value, radix: 16)
        if scalar.value < 0x100 { return "\\x" + (hex.count < 2 ? "0" + hex : hex) }
        return "\\u{" + hex + "}"
    }
}
