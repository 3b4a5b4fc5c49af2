//! Paste mode: a token typed or pasted, decoded at once, verified on request.

use crate::core::engine::TokenReport;
use crate::core::token::jwt::{self, DecodeError, DecodedToken};

use super::super::msg::TaskId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasteField {
    Token,
    Jwks,
    Issuer,
    Audience,
}

impl PasteField {
    pub const ALL: [PasteField; 4] = [PasteField::Token, PasteField::Jwks, PasteField::Issuer, PasteField::Audience];

    /// The next (or previous) field, round the four.
    pub fn shifted(self, delta: isize) -> PasteField {
        let index = PasteField::ALL.iter().position(|f| *f == self).unwrap_or(0) as isize;
        PasteField::ALL[(index + delta).rem_euclid(4) as usize]
    }
}

#[derive(Clone)]
pub struct PasteState {
    pub token: tui_input::Input,
    /// A JWKS URL (or issuer URL) to verify against instead of the selected profile's issuer.
    pub jwks: tui_input::Input,
    /// The issuer the API expects (empty: the profile's, or the issuer URL typed above).
    pub issuer: tui_input::Input,
    /// The audience(s) the API expects, space-separated (empty: the profile's, or unchecked).
    pub audience: tui_input::Input,
    pub field: PasteField,
    pub decoded: Option<Result<DecodedToken, DecodeError>>,
    pub report: Option<Box<TokenReport>>,
    pub pending: Option<TaskId>,
    pub scroll: u16,
}

/// A pasted token is a credential: `Debug` shows it with its signature redacted.
impl std::fmt::Debug for PasteState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasteState")
            .field("token", &crate::core::model::secret::redact_token(self.token.value()))
            .field("jwks", &self.jwks.value())
            .field("issuer", &self.issuer.value())
            .field("audience", &self.audience.value())
            .field("field", &self.field)
            .field("decoded", &self.decoded)
            .field("report", &self.report)
            .field("pending", &self.pending)
            .finish()
    }
}

impl Default for PasteState {
    fn default() -> Self {
        PasteState {
            token: tui_input::Input::default(),
            jwks: tui_input::Input::default(),
            issuer: tui_input::Input::default(),
            audience: tui_input::Input::default(),
            field: PasteField::Token,
            decoded: None,
            report: None,
            pending: None,
            scroll: 0,
        }
    }
}

impl PasteState {
    /// Re-decodes after the token text changed; an old verification no longer applies.
    pub fn token_changed(&mut self) {
        let text = self.token.value();
        self.decoded = if text.trim().is_empty() { None } else { Some(jwt::decode(text)) };
        self.report = None;
    }

    /// The input of a field other than the token.
    pub fn input_mut(&mut self, field: PasteField) -> &mut tui_input::Input {
        match field {
            PasteField::Token => &mut self.token,
            PasteField::Jwks => &mut self.jwks,
            PasteField::Issuer => &mut self.issuer,
            PasteField::Audience => &mut self.audience,
        }
    }

    pub fn set_token(&mut self, text: &str) {
        self.token = tui_input::Input::new(jwt::clean_pasted(text).to_owned());
        self.token_changed();
    }
}
