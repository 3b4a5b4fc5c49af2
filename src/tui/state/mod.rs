//! The TUI's state, split by concern; `App` ties the parts together.

pub mod app;
pub mod endpoint_form;
pub mod form;
pub mod form_fields;
pub mod new_profile;
pub mod paste;
pub mod profiles;
pub mod request;
pub mod session;
