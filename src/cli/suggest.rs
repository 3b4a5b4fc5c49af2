//! "Did you mean …?": the closest known name to a misspelt one, and URLs typed without a scheme.

/// The known name closest to `wanted` by edit distance (case ignored), if it is close enough
/// to be a slip of the keyboard rather than another name: at most a third of its length.
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(1);
    known
        .into_iter()
        .map(|name| (strsim::levenshtein(&wanted_lower, &name.to_lowercase()), name))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// " (did you mean NAME?)" for the closest known name, or nothing.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(wanted, known).map(|name| format!(" — did you mean {name}?")).unwrap_or_default()
}

/// Whether a word reads as a URL rather than a name: it has a scheme (`x://`), or starts with
/// `host:port` or `localhost`, followed by nothing or a path. Endpoint names are words with
/// spaces ("read orders"), so such a word is never mistaken for one.
pub fn looks_like_url(text: &str) -> bool {
    if text.contains("://") {
        return true;
    }
    if text.chars().any(char::is_whitespace) {
        return false;
    }
    let authority = text.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    let port_ok = port.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    host_ok && (port_ok || host.eq_ignore_ascii_case("localhost") && (port.is_none() && text.len() > host.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slip_of_the_keyboard_is_suggested_another_name_is_not() {
        let known = ["demo-reader", "demo-writer", "demo-basic"];
        assert_eq!(closest("demo-rader", known), Some("demo-reader"));
        assert_eq!(closest("DEMO-BASIK", known), Some("demo-basic"));
        assert_eq!(closest("keycloak", known), None);
        assert_eq!(closest("read order", ["read orders", "write orders"]), Some("read orders"));
    }

    #[test]
    fn host_port_and_schemes_read_as_urls_names_do_not() {
        for url in ["127.0.0.1:4455/api/protected", "localhost:8080", "localhost/api", "ftp://x", "api.example:443/x"] {
            assert!(looks_like_url(url), "{url}");
        }
        for name in ["read orders", "public", "localhost", "demo-reader", "a:b", "v1/orders"] {
            assert!(!looks_like_url(name), "{name}");
        }
    }
}
