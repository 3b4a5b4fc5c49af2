//! Tokens kept per profile in memory, handed out only while comfortably before expiry.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::core::model::secret::Secret;

/// A token and the moment it stops being valid (unix seconds).
#[derive(Debug, Clone)]
pub struct CachedToken {
    pub token: Secret,
    pub fetched_at: i64,
    pub expires_at: Option<i64>,
}

impl CachedToken {
    /// Re-fetch margin: 30 s, or a tenth of the lifetime for short-lived tokens, and at least
    /// 1 s, because `now` is rounded down to whole seconds and the request still has to travel.
    fn margin(&self) -> i64 {
        match self.expires_at {
            Some(exp) => (exp.saturating_sub(self.fetched_at) / 10).clamp(1, 30),
            None => 0,
        }
    }

    /// Usable at `now`: not expired and not about to be. A token without expiry is kept 5 min.
    pub fn is_fresh(&self, now: i64) -> bool {
        match self.expires_at {
            Some(exp) => now < exp.saturating_sub(self.margin()),
            None => now < self.fetched_at.saturating_add(300),
        }
    }
}

/// Keyed by whatever identifies the request (profile file plus client settings).
#[derive(Debug, Default)]
pub struct TokenCache {
    tokens: Mutex<HashMap<String, CachedToken>>,
}

impl TokenCache {
    pub fn get(&self, key: &str, now: i64) -> Option<CachedToken> {
        let tokens = self.tokens.lock().ok()?;
        tokens.get(key).filter(|t| t.is_fresh(now)).cloned()
    }

    pub fn put(&self, key: &str, token: CachedToken) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(key.to_owned(), token);
        }
    }

    pub fn forget(&self, key: &str) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_or_nearly_expired_tokens_are_not_reused() {
        let cache = TokenCache::default();
        cache.put("p", CachedToken { token: Secret::new("t"), fetched_at: 1000, expires_at: Some(4600) });
        assert!(cache.get("p", 1000).is_some());
        assert!(cache.get("p", 4569).is_some());
        assert!(cache.get("p", 4570).is_none(), "inside the 30 s margin");
        cache.put("s", CachedToken { token: Secret::new("t"), fetched_at: 1000, expires_at: Some(1005) });
        assert!(cache.get("s", 1003).is_some());
        assert!(cache.get("s", 1004).is_none(), "the last second is never handed out");
        cache.put("x", CachedToken { token: Secret::new("t"), fetched_at: 1000, expires_at: Some(900) });
        assert!(cache.get("x", 1000).is_none(), "already expired on arrival");
    }
}
