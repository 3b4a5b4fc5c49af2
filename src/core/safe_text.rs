//! Text from outside (tokens, servers, profile files) made safe to show: no terminal control.
//!
//! A terminal acts on more than ESC: C0 and C1 controls (U+0080–U+009F include the 8-bit CSI
//! and OSC introducers), DEL, bidi overrides that reorder what the eye reads, and invisible
//! format characters that hide text or make two strings look alike. Every output boundary
//! (the CLI's writers, the TUI's frame, `--json`) passes outside text through here.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` may act on a terminal or hide text: C0 (layout's `\n` and `\t` included, callers
/// decide about those), DEL, C1, bidi controls, line/paragraph separators, and the invisible
/// format characters of Unicode's category Cf.
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{fdd0}'..='\u{fdef}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// Text for a terminal, laid out over several lines: every unsafe character but `\n` and `\t`
/// is shown as a visible escape (`\u{1b}`), never emitted.
pub fn visible(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| is_unsafe(c) && c != '\n' && c != '\t')
}

/// Text for one line of a terminal: like [`visible`], and newlines and tabs are shown too, so
/// a value cannot start a line of its own that reads like the tool's.
pub fn visible_line(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// Text for a cell grid that cannot widen (the TUI): unsafe characters are dropped.
pub fn strip(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_unsafe) {
        Cow::Owned(text.chars().filter(|c| !is_unsafe(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

fn escape_where(text: &str, unsafe_here: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_here) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_here(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON whose strings escape, beyond what JSON requires (C0, `"` and `\`), DEL, C1 and the
/// bidi and format characters as `\uXXXX`: the document stays valid and equal in value, and a
/// `jq -r` or a terminal showing it raw still meets no control.
pub fn json(value: &impl serde::Serialize, pretty: bool) -> String {
    let mut bytes = Vec::new();
    let written = if pretty {
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut bytes,
            SafeFormatter(serde_json::ser::PrettyFormatter::new()),
        ))
    } else {
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut bytes,
            SafeFormatter(serde_json::ser::CompactFormatter),
        ))
    };
    match written {
        // The formatter writes only ASCII escapes and the serializer's own UTF-8.
        Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
        Err(error) => format!("{{\"error\":{{\"kind\":\"internal\",\"message\":\"cannot write JSON: {error}\"}}}}"),
    }
}

/// Wraps a serde_json formatter; only string fragments change.
struct SafeFormatter<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeFormatter<F> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_and_c1_become_visible() {
        assert_eq!(visible("a\u{1b}]52;c;eA==\u{7}b\u{9b}2J"), "a\\u{1b}]52;c;eA==\\u{7}b\\u{9b}2J");
    }

    #[test]
    fn layout_whitespace_kept_in_visible_escaped_in_visible_line() {
        assert_eq!(visible("a\n\tb\rc"), "a\n\tb\\u{d}c");
        assert_eq!(visible_line("a\nb\tc"), "a\\u{a}b\\u{9}c");
    }

    #[test]
    fn bidi_and_invisible_format_characters_become_visible() {
        assert_eq!(
            visible("x\u{202e}y\u{2066}z\u{200b}\u{feff}\u{e0041}"),
            "x\\u{202e}y\\u{2066}z\\u{200b}\\u{feff}\\u{e0041}"
        );
    }

    #[test]
    fn safe_text_is_borrowed_untouched() {
        assert!(matches!(visible("héllo → wörld ✓"), Cow::Borrowed(_)));
        assert!(matches!(strip("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn strip_drops_what_visible_would_escape() {
        assert_eq!(strip("a\u{1b}[8mb\u{202e}c"), "a[8mbc");
    }

    #[test]
    fn json_escapes_del_c1_bidi_and_format_characters() {
        let value = serde_json::json!({ "scope": "a\u{7f}b\u{85}c\u{202e}d\u{200b}e\u{1b}f\u{e0041}" });
        let text = json(&value, false);
        assert_eq!(text, r#"{"scope":"a\u007fb\u0085c\u202ed\u200be\u001bf\udb40\udc41"}"#);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn pretty_json_keeps_its_layout() {
        let value = serde_json::json!({ "a": [1, "x\u{9b}"] });
        assert_eq!(json(&value, true), "{\n  \"a\": [\n    1,\n    \"x\\u009b\"\n  ]\n}");
    }

    #[test]
    fn keys_are_escaped_too() {
        let value = serde_json::json!({ "k\u{202e}": 1 });
        assert_eq!(json(&value, false), r#"{"k\u202e":1}"#);
    }
}
