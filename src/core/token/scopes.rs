//! Scopes: where a token carries them, and which required ones it lacks (DESIGN §2.5).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::core::model::profile::ScopeMatch;

/// The well-known claims providers put scopes in, in the order they are reported.
/// `realm_access.roles` is Keycloak's nested form.
const WELL_KNOWN_SCOPE_CLAIMS: &[&str] = &["scope", "scp", "scopes", "permissions", "roles", "realm_access.roles"];

/// How a scope claim is written in the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeShape {
    /// `"scope": "openid order:read"` (RFC 8693 §4.2, what express-jwt-authz splits).
    SpaceSeparated,
    /// `"scp": ["openid", "order:read"]`.
    Array,
    /// Anything else (a number, an object, an array without strings): present but unusable.
    Other,
}

/// The scopes found in one claim of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantedScopes {
    /// The claim key as asked for (possibly a dotted path such as `realm_access.roles`).
    pub claim: String,
    pub shape: ScopeShape,
    pub scopes: Vec<String>,
}

/// Scopes in `claims[claim_key]`: a string split on ASCII whitespace (empty parts
/// dropped), or an array of strings (non-strings ignored; shape `Other` if nothing
/// usable). `None` when the claim is absent or null. A dotted path
/// (`realm_access.roles`) reaches into nested objects when no claim has that exact key.
pub fn granted_scopes(claims: &Map<String, Value>, claim_key: &str) -> Option<GrantedScopes> {
    // The literal key wins: some providers really do use dots in claim names
    // (e.g. namespaced custom claims), so only fall back to a path when it is absent.
    let value = match claims.get(claim_key) {
        Some(v) => v,
        None => lookup_path(claims, claim_key)?,
    };
    let (shape, scopes) = match value {
        Value::Null => return None,
        Value::String(s) => (ScopeShape::SpaceSeparated, s.split_ascii_whitespace().map(str::to_owned).collect()),
        Value::Array(items) => {
            let scopes: Vec<String> =
                items.iter().filter_map(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned).collect();
            // An empty array is a real (empty) grant; a non-empty one with no
            // strings is something the API cannot read as scopes.
            if scopes.is_empty() && !items.is_empty() {
                (ScopeShape::Other, scopes)
            } else {
                (ScopeShape::Array, scopes)
            }
        }
        Value::Bool(_) | Value::Number(_) | Value::Object(_) => (ScopeShape::Other, Vec::new()),
    };
    Some(GrantedScopes { claim: claim_key.to_owned(), shape, scopes })
}

/// Every well-known scope claim present in the token (`scope`, `scp`, `scopes`,
/// `permissions`, `roles`, `realm_access.roles`), so the caller can notice scopes
/// sitting in another claim than the one the API reads.
pub fn scope_claims_present(claims: &Map<String, Value>) -> Vec<GrantedScopes> {
    WELL_KNOWN_SCOPE_CLAIMS.iter().filter_map(|key| granted_scopes(claims, key)).collect()
}

/// Required vs granted scopes for one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeGap {
    pub required: Vec<String>,
    pub granted: Vec<String>,
    /// Required scopes the token lacks, in the order they were required.
    pub missing: Vec<String>,
    pub mode: ScopeMatch,
    pub satisfied: bool,
}

/// Compares required and granted scopes. `All`: satisfied iff nothing is missing.
/// `Any`: satisfied iff nothing is required or at least one required scope is
/// granted (`missing` still lists the required ones not granted). Comparison is
/// exact and case-sensitive, as express-jwt-authz does it.
pub fn scope_gap(required: &[String], granted: &[String], mode: ScopeMatch) -> ScopeGap {
    let mut missing: Vec<String> = Vec::new();
    for scope in required {
        // A scope required twice is still only one missing scope.
        if !granted.contains(scope) && !missing.contains(scope) {
            missing.push(scope.clone());
        }
    }
    let satisfied = match mode {
        ScopeMatch::All => missing.is_empty(),
        ScopeMatch::Any => required.is_empty() || required.iter().any(|r| granted.contains(r)),
    };
    ScopeGap { required: required.to_vec(), granted: granted.to_vec(), missing, mode, satisfied }
}

/// Walks `a.b.c` through nested objects. Empty segments never match.
fn lookup_path<'a>(claims: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut segments = path.split('.');
    let first = segments.next()?;
    let mut current = claims.get(first)?;
    let mut walked = false;
    for segment in segments {
        current = current.as_object()?.get(segment)?;
        walked = true;
    }
    // A path without a dot was already tried as a literal key by the caller.
    walked.then_some(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn space_separated_string() {
        let c = claims(json!({"scope": "  openid\torder:read  order:write "}));
        let g = granted_scopes(&c, "scope");
        assert_eq!(
            g,
            Some(GrantedScopes {
                claim: "scope".into(),
                shape: ScopeShape::SpaceSeparated,
                scopes: strings(&["openid", "order:read", "order:write"]),
            })
        );
        let empty = granted_scopes(&claims(json!({"scope": ""})), "scope");
        assert_eq!(empty.map(|g| g.scopes), Some(vec![]));
    }

    #[test]
    fn arrays_and_odd_shapes() {
        let c = claims(json!({
            "scp": ["order:read", 7, null, "", "openid"],
            "junk": [1, 2],
            "empty": [],
            "num": 3,
            "obj": {"a": "b"},
            "nul": null,
        }));
        let scp = granted_scopes(&c, "scp");
        assert_eq!(scp.as_ref().map(|g| g.shape.clone()), Some(ScopeShape::Array));
        assert_eq!(scp.map(|g| g.scopes), Some(strings(&["order:read", "openid"])));
        assert_eq!(granted_scopes(&c, "junk").map(|g| g.shape), Some(ScopeShape::Other));
        assert_eq!(granted_scopes(&c, "empty").map(|g| g.shape), Some(ScopeShape::Array));
        assert_eq!(granted_scopes(&c, "num").map(|g| g.shape), Some(ScopeShape::Other));
        assert_eq!(granted_scopes(&c, "obj").map(|g| g.shape), Some(ScopeShape::Other));
        assert_eq!(granted_scopes(&c, "nul"), None);
        assert_eq!(granted_scopes(&c, "absent"), None);
    }

    #[test]
    fn dotted_paths() {
        let c = claims(json!({
            "realm_access": {"roles": ["order:read"]},
            "https://example.com/scopes": "a b",
            "a.b": "literal",
            "a": {"b": "nested"},
        }));
        let r = granted_scopes(&c, "realm_access.roles");
        assert_eq!(r.as_ref().map(|g| g.claim.as_str()), Some("realm_access.roles"));
        assert_eq!(r.map(|g| g.scopes), Some(strings(&["order:read"])));
        // The literal key wins over the path.
        assert_eq!(granted_scopes(&c, "a.b").map(|g| g.scopes), Some(strings(&["literal"])));
        assert_eq!(granted_scopes(&c, "https://example.com/scopes").map(|g| g.scopes), Some(strings(&["a", "b"])));
        for bad in ["realm_access.roles.x", "realm_access.", ".", "", "x.y", "a.b.c"] {
            assert_eq!(granted_scopes(&c, bad), None, "{bad}");
        }
        // `realm_access` itself is an object: present, but not usable as scopes.
        assert_eq!(granted_scopes(&c, "realm_access").map(|g| g.shape), Some(ScopeShape::Other));
    }

    #[test]
    fn finds_every_well_known_claim() {
        let c = claims(json!({
            "scope": "openid",
            "permissions": ["order:read"],
            "realm_access": {"roles": ["admin"]},
            "sub": "x",
        }));
        let found: Vec<String> = scope_claims_present(&c).into_iter().map(|g| g.claim).collect();
        assert_eq!(found, strings(&["scope", "permissions", "realm_access.roles"]));
        assert!(scope_claims_present(&Map::new()).is_empty());
    }

    #[test]
    fn seed_token_lacks_order_read() {
        let c = claims(json!({"scope": "openid"}));
        let granted = granted_scopes(&c, "scope").map(|g| g.scopes).unwrap_or_default();
        let gap = scope_gap(&strings(&["order:read"]), &granted, ScopeMatch::All);
        assert!(!gap.satisfied);
        assert_eq!(gap.missing, strings(&["order:read"]));
    }

    #[test]
    fn gap_modes() {
        let req = strings(&["a", "b", "a"]);
        let all = scope_gap(&req, &strings(&["a"]), ScopeMatch::All);
        assert_eq!((all.missing.clone(), all.satisfied), (strings(&["b"]), false));
        let any = scope_gap(&req, &strings(&["a"]), ScopeMatch::Any);
        assert_eq!((any.missing.clone(), any.satisfied), (strings(&["b"]), true));
        let none = scope_gap(&req, &strings(&["c"]), ScopeMatch::Any);
        assert_eq!(none.missing, strings(&["a", "b"]));
        assert!(!none.satisfied);
        assert!(scope_gap(&[], &[], ScopeMatch::Any).satisfied);
        assert!(scope_gap(&[], &[], ScopeMatch::All).satisfied);
        // Case-sensitive, exact.
        assert!(!scope_gap(&strings(&["Order:Read"]), &strings(&["order:read"]), ScopeMatch::All).satisfied);
    }

    #[test]
    fn serializes_snake_case() {
        let g = GrantedScopes { claim: "scp".into(), shape: ScopeShape::SpaceSeparated, scopes: vec![] };
        let v = serde_json::to_value(&g).unwrap_or_default();
        assert_eq!(v["shape"], "space_separated");
        let gap = scope_gap(&[], &[], ScopeMatch::Any);
        assert_eq!(serde_json::to_value(&gap).unwrap_or_default()["mode"], "any");
    }
}
