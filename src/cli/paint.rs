//! Terminal colours for human output, off for NO_COLOR, --no-color and non-terminals.
//!
//! Painting does not write ESC itself: it wraps text in *style marks* that only the output
//! boundary (`stdout.rs`) turns into SGR sequences, after it has made every other character
//! safe. A mark carries a key drawn at random per process, so text from a token or a server
//! cannot forge one: whatever it holds is shown, never obeyed.

use std::io::IsTerminal;
use std::sync::LazyLock;

/// Starts a style mark; a noncharacter, which `safe_text` escapes wherever it stands alone.
const MARK: char = '\u{fdd0}';
/// Ends a mark's SGR parameters.
const MARK_END: char = '\u{fdd1}';

/// The per-process key between `MARK` and the SGR parameters.
static KEY: LazyLock<String> = LazyLock::new(|| {
    use std::hash::{BuildHasher, Hasher};
    // RandomState is seeded from the operating system's randomness: unguessable per process.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
});

#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub color: bool,
}

impl Paint {
    /// Colour only when asked for implicitly and stdout is a terminal.
    pub fn detect(no_color_flag: bool) -> Paint {
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Paint { color: !no_color_flag && !no_color_env && std::io::stdout().is_terminal() }
    }

    /// The TUI draws on the terminal itself: only NO_COLOR and --no-color turn colours off.
    pub fn color_for_tui(no_color_flag: bool) -> bool {
        !no_color_flag && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }

    pub fn plain() -> Paint {
        Paint { color: false }
    }

    /// `text` between marks for SGR `on` and `off` (39 ends a foreground colour, 22 ends
    /// bold), or `text` alone without colour. There is no dim: the README promises no grey.
    fn styled(&self, on: &str, off: &str, text: &str) -> String {
        if self.color {
            let key = KEY.as_str();
            format!("{MARK}{key}{on}{MARK_END}{text}{MARK}{key}{off}{MARK_END}")
        } else {
            text.to_owned()
        }
    }

    pub fn green(&self, text: &str) -> String {
        self.styled("32", "39", text)
    }

    pub fn red(&self, text: &str) -> String {
        self.styled("31", "39", text)
    }

    pub fn yellow(&self, text: &str) -> String {
        self.styled("33", "39", text)
    }

    pub fn magenta(&self, text: &str) -> String {
        self.styled("35", "39", text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.styled("1", "22", text)
    }

    /// A status code coloured as the TUI does: 2xx green, 401/403 red, 5xx magenta.
    pub fn status(&self, status: u16) -> String {
        let text = status.to_string();
        match status {
            200..=299 => self.green(&text),
            500..=599 => self.magenta(&text),
            400..=499 => self.red(&text),
            _ => self.yellow(&text),
        }
    }
}

/// The output boundary's step: every unsafe character of `text` shown visibly (layout's `\n`
/// and `\t` kept), and this process's style marks turned into SGR sequences. Nothing else can
/// produce an ESC byte.
pub fn terminal_safe(text: &str) -> String {
    let key = KEY.as_str();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&crate::core::safe_text::visible(&rest[..at]));
        let after = &rest[at + MARK.len_utf8()..];
        match after.strip_prefix(key).and_then(|params| params.split_once(MARK_END)) {
            Some((params, tail)) if !params.is_empty() && params.bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str("\u{1b}[");
                out.push_str(params);
                out.push('m');
                rest = tail;
            }
            _ => {
                out.push_str(&crate::core::safe_text::visible(&rest[at..at + MARK.len_utf8()]));
                rest = after;
            }
        }
    }
    out.push_str(&crate::core::safe_text::visible(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_marks_become_sgr() {
        let p = Paint { color: true };
        assert_eq!(terminal_safe(&p.red("DENIED")), "\u{1b}[31mDENIED\u{1b}[39m");
    }

    #[test]
    fn no_colour_means_no_esc_even_from_hostile_text() {
        let p = Paint::plain();
        let shown = terminal_safe(&p.red("\u{1b}[8mhidden\u{1b}]0;title\u{7}"));
        assert!(!shown.contains('\u{1b}'), "{shown:?}");
        assert_eq!(shown, "\\u{1b}[8mhidden\\u{1b}]0;title\\u{7}");
    }

    #[test]
    fn a_forged_mark_is_shown_not_obeyed() {
        let forged = format!("{MARK}0000000000000000{}{MARK_END}x", "8");
        let shown = terminal_safe(&forged);
        assert!(!shown.contains('\u{1b}'));
        assert!(shown.starts_with("\\u{fdd0}"), "{shown:?}");
    }

    #[test]
    fn hostile_text_inside_a_colour_stays_visible() {
        let p = Paint { color: true };
        let shown = terminal_safe(&p.bold("a\u{1b}[2Kb\u{202e}c"));
        assert_eq!(shown, "\u{1b}[1ma\\u{1b}[2Kb\\u{202e}c\u{1b}[22m");
    }
}
