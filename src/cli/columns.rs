//! Text columns for tables: display width (wide CJK/emoji count two, combining marks none) and
//! cutting a value to a width with "…", so columns stay put whatever the names hold.

/// How many terminal cells `c` takes: an approximation of East Asian Width good enough for
/// names and hosts (a wrong guess shifts one row, never hides text).
fn char_width(c: char) -> usize {
    match c as u32 {
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

pub fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// `text` cut to at most `max` cells, ending in "…" when cut.
pub fn fit(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` cut to `max` cells and padded with spaces to exactly `max`.
pub fn cell(text: &str, max: usize) -> String {
    let shown = fit(text, max);
    let pad = max.saturating_sub(width(&shown));
    format!("{shown}{}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_text_is_cut_by_cells_not_chars() {
        assert_eq!(width("demo"), 4);
        assert_eq!(width("令牌"), 4);
        assert_eq!(fit("abcdefgh", 5), "abcd…");
        assert_eq!(fit("令牌调试器", 5), "令牌…");
        assert_eq!(cell("ab", 4), "ab  ");
        assert_eq!(width(&cell("令牌调试器", 6)), 6);
    }
}
