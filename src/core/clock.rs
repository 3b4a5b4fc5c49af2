//! Human-readable times: absolute UTC stamps and "in 42 min" / "3 h ago" phrases.
//!
//! Everything except [`now_unix`] and [`SystemClock`] is pure and takes `now` explicitly, so
//! callers (and tests, through a [`FixedClock`]) decide what "now" is, and how long a measured
//! request took.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
/// A mean Gregorian year (365.2425 days), so multi-year spans don't drift by leap days.
const YEAR: u64 = 31_556_952;

/// Where "now" comes from: the system's clock, or a fixed one in tests. The engine takes one
/// (`Engine::with_clock`) and stamps every stage's report with it; the demo server issues and
/// checks tokens by one (`DemoServer::start_with_clock`).
pub trait Clock: Send + Sync {
    /// Whole seconds since the Unix epoch.
    fn now(&self) -> i64;

    /// How long it has been since `started`: a request's latency. The real span by default; a
    /// fixed clock reports a fixed one, so a report's latencies read the same on every run.
    fn elapsed(&self, started: Instant) -> Duration {
        started.elapsed()
    }
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        now_unix()
    }
}

/// A clock that says what it is told: fixed until set or advanced, and every measured span
/// [`FixedClock::LATENCY`] (unless changed with [`FixedClock::set_elapsed`]).
#[derive(Debug)]
pub struct FixedClock {
    now: AtomicI64,
    elapsed_micros: AtomicU64,
}

impl Default for FixedClock {
    fn default() -> Self {
        FixedClock::at(0)
    }
}

impl FixedClock {
    /// What a fixed clock says every measured request took: 1.5 ms.
    pub const LATENCY: Duration = Duration::from_micros(Self::LATENCY_MICROS);
    const LATENCY_MICROS: u64 = 1500;

    pub fn at(now: i64) -> Self {
        FixedClock { now: AtomicI64::new(now), elapsed_micros: AtomicU64::new(Self::LATENCY_MICROS) }
    }

    pub fn set(&self, now: i64) {
        self.now.store(now, Ordering::SeqCst);
    }

    pub fn advance(&self, secs: i64) {
        self.now.fetch_add(secs, Ordering::SeqCst);
    }

    /// From now on every measured span is `span` (whole microseconds).
    pub fn set_elapsed(&self, span: Duration) {
        self.elapsed_micros.store(u64::try_from(span.as_micros()).unwrap_or(u64::MAX), Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }

    fn elapsed(&self, _started: Instant) -> Duration {
        Duration::from_micros(self.elapsed_micros.load(Ordering::SeqCst))
    }
}

/// The current time in whole seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        // A clock set before 1970 is odd but not an error worth failing on.
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// `"2021-04-27 14:40:34 UTC"`; a timestamp `time` cannot represent (tokens carry
/// any number) reads `"<ts> (out of range)"` instead of failing.
pub fn format_utc(ts: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|dt| dt.format(fmt).ok())
        .unwrap_or_else(|| format!("{ts} (out of range)"))
}

/// `"2021-04-27T14:40:34Z"`, or `None` when the instant has no RFC 3339 form
/// (RFC 3339 only covers years 0000–9999).
pub fn format_rfc3339(ts: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(ts).ok().and_then(|dt| dt.format(&Rfc3339).ok())
}

/// A short duration: `"42 s"`, `"42 min"`, `"3 h 5 min"`, `"1 day 3 h"`,
/// `"5 days"`, `"4 years"`. Precision shrinks as the span grows, because nobody
/// cares about minutes when a token expired years ago.
pub fn humanize_duration(secs: u64) -> String {
    if secs < MINUTE {
        format!("{secs} s")
    } else if secs < HOUR {
        format!("{} min", secs / MINUTE)
    } else if secs < DAY {
        let (h, m) = (secs / HOUR, secs % HOUR / MINUTE);
        if m == 0 { format!("{h} h") } else { format!("{h} h {m} min") }
    } else if secs < 3 * DAY {
        // Between one and three days the hours still matter ("1 day 23 h" is not "1 day").
        let (d, h) = (secs / DAY, secs % DAY / HOUR);
        let days = plural(d, "day", "days");
        if h == 0 { days } else { format!("{days} {h} h") }
    } else if secs < YEAR {
        plural(secs / DAY, "day", "days")
    } else {
        // Floor, so "5 years" never overstates; the exact stamp is shown beside it.
        plural(secs / YEAR, "year", "years")
    }
}

/// `ts` relative to `now`: `"in 42 min"`, `"3 h ago"` or `"now"`.
pub fn relative(ts: i64, now: i64) -> String {
    let span = humanize_duration(ts.abs_diff(now));
    match ts.cmp(&now) {
        std::cmp::Ordering::Equal => "now".to_owned(),
        std::cmp::Ordering::Greater => format!("in {span}"),
        std::cmp::Ordering::Less => format!("{span} ago"),
    }
}

/// How an `exp` claim reads at `now`: `"expires in 42 min"` or `"expired 5 years ago"`.
///
/// A token whose `exp` equals `now` is already expired (RFC 7519 §4.1.4: "on or
/// after which the JWT MUST NOT be accepted").
pub fn expiry_phrase(exp: i64, now: i64) -> String {
    if exp > now {
        format!("expires in {}", humanize_duration(exp.abs_diff(now)))
    } else if exp == now {
        "expired just now".to_owned()
    } else {
        format!("expired {} ago", humanize_duration(exp.abs_diff(now)))
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-23 00:00:00 UTC.
    const NOW: i64 = 1_795_392_000;
    /// The seed token's exp.
    const SEED_EXP: i64 = 1_619_534_434;

    #[test]
    fn a_fixed_clock_is_fixed_in_time_and_in_measured_spans() {
        let clock = FixedClock::at(NOW);
        let started = Instant::now();
        assert_eq!(clock.now(), NOW);
        assert_eq!(clock.elapsed(started), FixedClock::LATENCY);
        clock.advance(30);
        clock.set_elapsed(Duration::from_millis(7));
        assert_eq!((clock.now(), clock.elapsed(started)), (NOW + 30, Duration::from_millis(7)));
    }

    #[test]
    fn now_check() {
        assert_eq!(format_utc(NOW), "2026-11-23 00:00:00 UTC");
        // Sanity: the real clock is after the seed token was issued.
        assert!(now_unix() > SEED_EXP);
    }

    #[test]
    fn formats_the_seed_token_exp() {
        assert_eq!(format_utc(SEED_EXP), "2021-04-27 14:40:34 UTC");
        assert_eq!(format_rfc3339(SEED_EXP).as_deref(), Some("2021-04-27T14:40:34Z"));
        assert_eq!(expiry_phrase(SEED_EXP, NOW), "expired 5 years ago");
        assert_eq!(relative(SEED_EXP, NOW), "5 years ago");
    }

    #[test]
    fn out_of_range_timestamps_do_not_fail() {
        assert_eq!(format_utc(i64::MAX), format!("{} (out of range)", i64::MAX));
        assert_eq!(format_utc(i64::MIN), format!("{} (out of range)", i64::MIN));
        assert_eq!(format_rfc3339(i64::MAX), None);
        // Year 10000 formats in the human form but has no RFC 3339 form.
        assert_eq!(format_rfc3339(253_402_300_800), None);
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(-1), "1969-12-31 23:59:59 UTC");
    }

    #[test]
    fn humanizes_each_range() {
        assert_eq!(humanize_duration(0), "0 s");
        assert_eq!(humanize_duration(42), "42 s");
        assert_eq!(humanize_duration(60), "1 min");
        assert_eq!(humanize_duration(42 * 60 + 59), "42 min");
        assert_eq!(humanize_duration(3 * 3600), "3 h");
        assert_eq!(humanize_duration(3 * 3600 + 5 * 60 + 7), "3 h 5 min");
        assert_eq!(humanize_duration(86_400), "1 day");
        assert_eq!(humanize_duration(86_400 + 3 * 3600), "1 day 3 h");
        assert_eq!(humanize_duration(2 * 86_400 + 23 * 3600), "2 days 23 h");
        assert_eq!(humanize_duration(5 * 86_400 + 3600), "5 days");
        assert_eq!(humanize_duration(364 * 86_400), "364 days");
        assert_eq!(humanize_duration(366 * 86_400), "1 year");
        assert_eq!(humanize_duration(4 * YEAR + 86_400), "4 years");
        // No overflow at the extreme.
        assert!(humanize_duration(u64::MAX).ends_with("years"));
    }

    #[test]
    fn relative_and_expiry_phrases() {
        assert_eq!(relative(NOW, NOW), "now");
        assert_eq!(relative(NOW + 42 * 60, NOW), "in 42 min");
        assert_eq!(relative(NOW - 3 * 3600, NOW), "3 h ago");
        assert_eq!(expiry_phrase(NOW + 42 * 60, NOW), "expires in 42 min");
        assert_eq!(expiry_phrase(NOW, NOW), "expired just now");
        assert_eq!(expiry_phrase(NOW - 1, NOW), "expired 1 s ago");
        // Extremes must not overflow.
        assert!(relative(i64::MIN, i64::MAX).ends_with("ago"));
        assert!(expiry_phrase(i64::MAX, i64::MIN).starts_with("expires in"));
    }
}
