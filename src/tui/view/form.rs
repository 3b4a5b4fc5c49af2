//! The profile form popup.

use ratatui::Frame;

use super::super::state::form::FormState;
use super::super::theme::Theme;

pub fn render(_frame: &mut Frame, _state: &FormState, _theme: &Theme) {}
