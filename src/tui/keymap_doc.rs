//! The README's key tables, written from the binding table (`keymap/rows.rs`), and the test that keeps
//! the README in step with it.

use super::keymap::{self, Row};

/// Every set of rows with the heading the README gives it, in reading order.
pub const SECTIONS: &[(&str, &[Row])] = &[
    ("Anywhere (also while typing)", keymap::ANYWHERE),
    ("Browsing", keymap::GLOBAL),
    ("Profile list focused", keymap::LIST),
    ("Detail pane focused", keymap::DETAIL),
    ("Token tab", keymap::TOKEN),
    ("Endpoints tab", keymap::ENDPOINTS),
    ("History tab", keymap::HISTORY),
    ("Help overlay", keymap::HELP),
    ("Filter (`/`)", keymap::FILTER),
    ("Paste mode (`p`)", keymap::PASTE),
    ("Profile form (`n`, `e`, `c`)", keymap::FORM),
    ("Profile form, on its endpoints", keymap::FORM_ENDPOINTS),
    ("Endpoint sub-form", keymap::ENDPOINT_EDIT),
    ("Leaving an edited form", keymap::DISCARD),
    ("Request editor (`r`, `a`)", keymap::REQUEST),
    ("Request editor, saving as an endpoint", keymap::REQUEST_SAVE_AS),
    ("Delete confirmation", keymap::CONFIRM),
    ("Secret prompt", keymap::PROMPT),
    ("Copy menu (`y`)", keymap::COPY),
    ("New profile (`n`)", keymap::NEW_CHOOSE),
    ("New profile from an API URL (`n` `u`)", keymap::NEW_URL),
    ("New profile from a curl command (`n` `c`)", keymap::NEW_CURL),
    ("Draft review", keymap::DRAFT_REVIEW),
    ("Draft review, saving", keymap::DRAFT_SAVE_AS),
];

/// Where the generated tables sit in the README.
pub const START: &str = "<!-- keys: generated from src/tui/keymap/rows.rs; do not edit by hand -->";
pub const END: &str = "<!-- keys: end -->";

/// The tables as Markdown: one per section, a row per binding row of the table.
pub fn markdown() -> String {
    let mut out = String::new();
    for (title, rows) in SECTIONS {
        out.push_str(&format!("**{title}**\n\n| key | does |\n|---|---|\n"));
        for row in *rows {
            let help = row.help.replace('|', "\\|");
            out.push_str(&format!("| `{}` | {help} |\n", row.keys.replace('|', "\\|")));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when a binding changed without the README: prints the tables to paste, or writes
    /// them itself with `TOKDBG_WRITE_README_KEYS=1`.
    #[test]
    fn readme_keys_are_the_binding_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).expect("README.md is readable");
        let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
            panic!("README.md lacks the markers {START} and {END}");
        };
        let current = &readme[start + START.len()..end];
        let wanted = format!("\n\n{}", markdown());
        if current != wanted {
            if std::env::var_os("TOKDBG_WRITE_README_KEYS").is_some() {
                let updated = format!("{}{START}{wanted}{}", &readme[..start], &readme[end..]);
                std::fs::write(path, updated).expect("README.md is writable");
                return;
            }
            panic!(
                "README.md's key tables differ from src/tui/keymap/rows.rs; run\n  TOKDBG_WRITE_README_KEYS=1 cargo test --lib readme_keys\nor paste:\n{wanted}"
            );
        }
    }

    #[test]
    fn every_row_set_is_documented() {
        // A set of rows the app uses but the README would not show.
        let listed: Vec<*const Row> = SECTIONS.iter().map(|(_, rows)| rows.as_ptr()).collect();
        for rows in [keymap::GLOBAL, keymap::FORM_ENDPOINTS, keymap::ENDPOINT_EDIT, keymap::COPY] {
            assert!(listed.contains(&rows.as_ptr()));
        }
        assert!(markdown().contains("| `?` |"));
    }
}
