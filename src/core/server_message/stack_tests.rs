//! Each stack's fix wording speaks only of that stack: no dialect's words name another's product.

use super::dialects::registry;
use super::stack::{PLAIN, StackWording};

fn texts(wording: &StackWording) -> Vec<&'static str> {
    let mut all = vec![
        wording.issuer,
        wording.audience,
        wording.algorithms,
        wording.jwks,
        wording.scope_claim,
        wording.scope_check,
    ];
    all.extend(wording.hidden_cause);
    all
}

/// The name each product goes by in a text: the first word of its `product`, before any
/// space (so "Spring Security" is found as "Spring", "FastAPI with PyJWT" as "FastAPI").
fn short_name(wording: &StackWording) -> &'static str {
    wording.product.split(' ').next().unwrap_or(wording.product)
}

#[test]
fn no_stack_wording_names_another_stacks_product() {
    let worded: Vec<&StackWording> = registry().iter().filter_map(|d| d.wording).collect();
    assert!(worded.len() >= 8, "every named stack brings its words");
    for wording in &worded {
        for other in worded.iter().filter(|o| o.product != wording.product) {
            let name = short_name(other);
            // express-jwt's words may not say "express-oauth2-jwt-bearer" nor the reverse, but
            // both run on Express: compare whole product names where one contains the other.
            let needle = if wording.product.contains(name) { other.product } else { name };
            for text in texts(wording) {
                assert!(!text.contains(needle), "{}'s wording names {needle}: {text}", wording.product);
            }
        }
    }
}

#[test]
fn the_plain_words_name_no_product() {
    let worded: Vec<&StackWording> = registry().iter().filter_map(|d| d.wording).collect();
    for other in worded {
        for text in texts(&PLAIN) {
            assert!(!text.contains(short_name(other)), "plain words name {}: {text}", other.product);
        }
    }
}

#[test]
fn the_scope_claim_setting_names_the_claim() {
    for dialect in registry() {
        let wording = dialect.wording.unwrap_or(&PLAIN);
        let setting = wording.scope_claim_setting("scp");
        assert!(setting.contains("scp") && !setting.contains("{claim}"), "{}: {setting}", wording.product);
    }
}
