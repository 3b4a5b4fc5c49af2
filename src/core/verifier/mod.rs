//! What each API stack's JWT verifier does when its configuration says nothing: the presets
//! behind `[expect] stack` and `tokdbg verify --as STACK`.
//!
//! `stack` names the stacks, `rules` says how a claim is judged (the vocabulary), `presets`
//! holds one value per stack, read in that stack's own source (the citation is part of it).

pub mod presets;
pub mod rules;
pub mod stack;

pub use presets::{Preset, preset};
pub use rules::{AudRule, Boundary, ExpRule, IatRule, NbfRule, Rules, TypRule};
pub use stack::{Stack, UnknownStack};
