//! Politeness: how long a provider asked us to wait (`Retry-After`, `X-RateLimit-*`), the
//! back-off when it did not say, and a global request-rate cap shared by all workers.

use std::{
    sync::Mutex,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

/// The wait a rate-limited (or overloaded) answer asks for. `Retry-After` wins; otherwise the
/// longest `*ratelimit*reset*` header (some providers send durations such as
/// `6m0s`, some an epoch time, others seconds). `None` when no header says.
pub fn requested_wait<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    now: SystemTime,
) -> Option<Duration> {
    let mut reset: Option<Duration> = None;
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let value = value.trim();
        if name == "retry-after" {
            if let Some(d) = parse_retry_after(value, now) {
                return Some(d);
            }
        } else if name.contains("ratelimit")
            && name.contains("reset")
            && let Some(d) = parse_reset(value, now)
        {
            reset = Some(reset.map_or(d, |r| r.max(d)));
        }
    }
    reset
}

/// `Retry-After`: delta-seconds or an HTTP date.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A reset header: a Go-style duration (`1s`, `6m0s`, `2m59.56s`, `20ms`), seconds, or a
/// Unix time (numbers past 10^9 cannot be a sensible delay).
fn parse_reset(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(n) = value.parse::<f64>() {
        if !n.is_finite() || n < 0.0 {
            return None;
        }
        if n >= 1e9 {
            let at = UNIX_EPOCH + Duration::from_secs_f64(n);
            return Some(at.duration_since(now).unwrap_or(Duration::ZERO));
        }
        return Some(Duration::from_secs_f64(n));
    }
    parse_go_duration(value)
}

fn parse_go_duration(s: &str) -> Option<Duration> {
    let mut total = 0.0f64;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
        total += n * scale;
        rest = &rest[unit_len..];
    }
    Duration::try_from_secs_f64(total).ok()
}

/// Back-off before retry number `retry` (0-based) when the server named no wait: 1 s, 2 s, 4 s.
pub fn backoff(retry: u32) -> Duration {
    Duration::from_secs(1u64 << retry.min(5))
}

/// Spaces requests at least `interval` apart across all workers.
pub struct RateCap {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateCap {
    pub fn per_second(n: u32) -> RateCap {
        RateCap {
            interval: Duration::from_secs(1) / n.max(1),
            next: Mutex::new(None),
        }
    }

    /// Reserves the next send slot at or after `now` and returns it.
    pub fn reserve(&self, now: Instant) -> Instant {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let slot = next.map_or(now, |n| n.max(now));
        *next = Some(slot + self.interval);
        slot
    }

    /// Blocks until this caller may send.
    pub fn wait(&self) {
        let slot = self.reserve(Instant::now());
        let now = Instant::now();
        if slot > now {
            std::thread::sleep(slot - now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(headers: &[(&str, &str)]) -> Option<Duration> {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        requested_wait(headers.iter().copied(), now)
    }

    #[test]
    fn retry_after_seconds_and_date() {
        assert_eq!(wait(&[("Retry-After", "3")]), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(1_700_000_007));
        assert_eq!(
            wait(&[("retry-after", &later)]),
            Some(Duration::from_secs(7))
        );
        let past = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(1_600_000_000));
        assert_eq!(wait(&[("retry-after", &past)]), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_wins_over_reset_headers() {
        let h = [("x-ratelimit-reset-requests", "6m0s"), ("Retry-After", "2")];
        assert_eq!(wait(&h), Some(Duration::from_secs(2)));
    }

    #[test]
    fn reset_headers_in_every_shape() {
        assert_eq!(
            wait(&[("x-ratelimit-reset-requests", "2m59.5s")]),
            Some(Duration::from_secs_f64(179.5))
        );
        assert_eq!(
            wait(&[("X-RateLimit-Reset-Tokens", "20ms")]),
            Some(Duration::from_millis(20))
        );
        assert_eq!(
            wait(&[("ratelimit-reset", "12")]),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            wait(&[("x-ratelimit-reset", "1700000010")]),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            wait(&[
                ("x-ratelimit-reset-requests", "1s"),
                ("x-ratelimit-reset-tokens", "4s")
            ]),
            Some(Duration::from_secs(4))
        );
        assert_eq!(wait(&[("x-ratelimit-reset", "soon")]), None);
        assert_eq!(wait(&[("x-ratelimit-remaining", "0")]), None);
        assert_eq!(wait(&[]), None);
    }

    #[test]
    fn backoff_doubles_and_is_bounded() {
        assert_eq!(backoff(0), Duration::from_secs(1));
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(40), Duration::from_secs(32));
    }

    #[test]
    fn rate_cap_spaces_slots() {
        let cap = RateCap::per_second(4);
        let t = Instant::now();
        assert_eq!(cap.reserve(t), t);
        assert_eq!(cap.reserve(t), t + Duration::from_millis(250));
        assert_eq!(cap.reserve(t), t + Duration::from_millis(500));
        let later = t + Duration::from_secs(5);
        assert_eq!(cap.reserve(later), later);
    }
}
