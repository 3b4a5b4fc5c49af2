//! Terminal colours for human output, off for NO_COLOR, --no-color and non-terminals.

use std::io::IsTerminal;

use owo_colors::OwoColorize;

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

    pub fn green(&self, text: &str) -> String {
        if self.color { text.green().to_string() } else { text.to_owned() }
    }

    pub fn red(&self, text: &str) -> String {
        if self.color { text.red().to_string() } else { text.to_owned() }
    }

    pub fn yellow(&self, text: &str) -> String {
        if self.color { text.yellow().to_string() } else { text.to_owned() }
    }

    pub fn magenta(&self, text: &str) -> String {
        if self.color { text.magenta().to_string() } else { text.to_owned() }
    }

    pub fn dim(&self, text: &str) -> String {
        if self.color { text.dimmed().to_string() } else { text.to_owned() }
    }

    pub fn bold(&self, text: &str) -> String {
        if self.color { text.bold().to_string() } else { text.to_owned() }
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
