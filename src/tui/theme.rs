//! Colours and styles, with a monochrome variant for NO_COLOR (bold/underline/reverse only).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Theme { color }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn bad(&self) -> Style {
        if self.color { Style::new().fg(Color::Red) } else { Style::new().add_modifier(Modifier::BOLD) }
    }

    /// Amber: warnings and tokens about to expire.
    pub fn warn(&self) -> Style {
        if self.color { Style::new().fg(Color::Yellow) } else { Style::new().add_modifier(Modifier::UNDERLINED) }
    }

    pub fn server_error(&self) -> Style {
        if self.color { Style::new().fg(Color::Magenta) } else { Style::new().add_modifier(Modifier::BOLD) }
    }

    /// Secondary text. Dim is readable on dark and light backgrounds, unlike grey.
    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn focused_border(&self) -> Style {
        if self.color { Style::new().fg(Color::Cyan) } else { Style::new().add_modifier(Modifier::BOLD) }
    }

    pub fn border(&self) -> Style {
        Style::new()
    }

    /// HTTP status: 2xx green, 401/403 (and other 4xx) red, 5xx magenta.
    pub fn status(&self, status: u16) -> Style {
        match status {
            200..=299 => self.ok(),
            500..=599 => self.server_error(),
            400..=499 => self.bad(),
            _ => self.warn(),
        }
    }

    /// Expiry countdown: amber under 60 s, red when expired.
    pub fn expiry(&self, seconds_left: i64) -> Style {
        if seconds_left <= 0 {
            self.bad()
        } else if seconds_left < 60 {
            self.warn()
        } else {
            self.ok()
        }
    }
}
