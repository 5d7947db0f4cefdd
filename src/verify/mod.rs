//! `--verify`: asks each provider whether a found key is live, so a live key (an incident) can
//! be told from a dead one (a clean-up task). Runs after the scan, before the report, and
//! fills [`Finding::verification`].
//!
//! Safety rules, each enforced here or in the modules below: a key is only ever sent over
//! HTTPS to its own provider's host from the built-in table ([`crate::rules::hosts`]), in a header, with a
//! read-only request described by its rule file ([`crate::rules::verify_spec`]); redirects are never followed;
//! each distinct key is checked once per run; at most [`PER_HOST_CONCURRENCY`] requests run
//! per host and at most [`REQUESTS_PER_SECOND`] in all; 429 and 5xx answers are retried a
//! bounded number of times, honouring `Retry-After`/`X-RateLimit-*`, and never read as
//! invalid; 401/403 are never retried; nothing from an answer is ever printed.

mod client;
mod pace;

use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    net::SocketAddr,
    sync::{Condvar, Mutex, MutexGuard, PoisonError},
    time::{Duration, Instant},
};

use self::{
    client::{Client, Failure},
    pace::RateCap,
};
use crate::{
    finding::{Finding, Secret, Verification},
    rules::{
        RuleSet, hosts,
        verify_spec::{Answer, Check, HttpCheck},
    },
};

/// Requests in flight at once to one host.
pub const PER_HOST_CONCURRENCY: usize = 2;
/// Requests started per second, over all hosts.
pub const REQUESTS_PER_SECOND: u32 = 10;
/// Worker threads, over all hosts.
const WORKERS: usize = 8;
/// Attempts for a key answered by 429 before it is reported `unknown: rate limited`.
const RATE_LIMIT_ATTEMPTS: u32 = 3;
/// Attempts for a key met by 5xx or a network error.
const TRANSIENT_ATTEMPTS: u32 = 2;
/// Longest wait a provider may ask for before we give up on the key instead of waiting.
const MAX_WAIT: Duration = Duration::from_secs(30);
/// Default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Test-only setting: `127.0.0.1:PORT` (any loopback IP) sends every check over plain HTTP to a
/// local mock server, with the provider's host in the `Host` header.
pub const OVERRIDE_ENV: &str = "KEYSIFT_VERIFY_OVERRIDE";

/// Why a check ended `unknown`. The words appear in reports (`unknown: rate limited`).
pub mod reason {
    pub const RATE_LIMITED: &str = "rate limited";
    pub const SERVER_ERROR: &str = "server error";
    pub const TIMEOUT: &str = "timeout";
    pub const NETWORK: &str = "network";
    pub const TLS: &str = "tls";
    pub const NO_HOST: &str = "no host";
    /// Refused by a resource host that was only mentioned near the key, not configured for it.
    pub const GUESSED_HOST: &str = "refused by a guessed host";
    pub const REDIRECT: &str = "redirect not followed";
    pub const UNEXPECTED_ANSWER: &str = "unexpected answer";
    /// keysift has no check for the provider.
    pub const NO_CHECK: &str = "no check";
    /// The key's built-in checksum fails: the provider would refuse it unasked, and sending a
    /// cut or altered key tells nothing about the real one.
    pub const CHECKSUM_FAILS: &str = "checksum fails";
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(
        "{OVERRIDE_ENV}=`{value}` refused: {why}; it is a test setting that accepts only a \
         loopback IP address and port, such as 127.0.0.1:8080"
    )]
    BadOverride { value: String, why: &'static str },
}

/// Parses the test-only override; anything but a loopback `IP:PORT` is refused, so the
/// setting cannot send keys anywhere off this machine.
pub fn parse_loopback_override(value: &str) -> Result<SocketAddr, VerifyError> {
    let bad = |why| VerifyError::BadOverride {
        value: value.to_string(),
        why,
    };
    let addr: SocketAddr = value
        .trim()
        .parse()
        .map_err(|_| bad("not an IP address and port (host names are not accepted)"))?;
    if !addr.ip().is_loopback() {
        return Err(bad("not a loopback address"));
    }
    if addr.port() == 0 {
        return Err(bad("port 0"));
    }
    Ok(addr)
}

#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// From [`parse_loopback_override`]; `None` outside tests.
    pub loopback: Option<SocketAddr>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            timeout: DEFAULT_TIMEOUT,
            loopback: None,
        }
    }
}

/// Counts for `--verbose`: distinct keys sent to a provider, and verdicts over findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerifySummary {
    pub keys_checked: usize,
    pub live: usize,
    pub invalid: usize,
    pub unknown: usize,
}

/// Verifies every finding, setting its `verification`.
pub fn verify(findings: &mut [Finding], rules: &RuleSet, opts: &VerifyOptions) -> VerifySummary {
    let mut jobs: Vec<Job<'_>> = Vec::new();
    let mut index: HashMap<(String, String, Secret), usize> = HashMap::new();
    let mut plan: Vec<Result<usize, &'static str>> = Vec::with_capacity(findings.len());
    for f in findings.iter() {
        let provider = f.rule.provider.id.as_str();
        let spec = rules.verify_spec_for(&f.rule);
        let step = match spec.map(|s| &s.check) {
            _ if f.checksum == Some(false) => Err(reason::CHECKSUM_FAILS),
            None => Err(reason::NO_CHECK),
            Some(Check::Unverifiable(why)) => Err(why.as_str()),
            Some(Check::Http(check)) => match hosts::host_for(provider, f.nearby_host.as_ref()) {
                None if hosts::endpoint(provider).is_some() => Err(reason::NO_HOST),
                None => Err(reason::NO_CHECK),
                Some(host) => {
                    let key = (provider.to_string(), host.clone(), f.secret.clone());
                    Ok(*index.entry(key).or_insert_with(|| {
                        jobs.push(Job {
                            check,
                            host,
                            secret: f.secret.clone(),
                        });
                        jobs.len() - 1
                    }))
                }
            },
        };
        plan.push(step);
    }
    let results = Checker::new(opts).run(&jobs);
    let mut summary = VerifySummary {
        keys_checked: jobs.len(),
        ..VerifySummary::default()
    };
    for (f, step) in findings.iter_mut().zip(plan) {
        let v = match step {
            // A dead answer from a host only mentioned near the key may come from another
            // resource: the key may still be live on its own.
            Ok(job) if results[job] == Verification::Invalid && guessed_host(f) => {
                unknown(reason::GUESSED_HOST)
            }
            Ok(job) => results[job].clone(),
            Err(why) => unknown(why),
        };
        match v {
            Verification::Live => summary.live += 1,
            Verification::Invalid => summary.invalid += 1,
            Verification::Unknown { .. } => summary.unknown += 1,
        }
        f.verification = Some(v);
    }
    summary
}

/// Whether the finding's check went to a resource host no setting of the key named.
fn guessed_host(f: &Finding) -> bool {
    f.nearby_host.as_ref().is_some_and(|h| !h.named)
}

fn unknown(why: &str) -> Verification {
    Verification::Unknown {
        reason: why.to_string(),
    }
}

/// One distinct key to check at one host.
struct Job<'a> {
    check: &'a HttpCheck,
    host: String,
    secret: Secret,
}

/// Which jobs are waiting and running per host, and until when a host asked us to hold off.
#[derive(Default)]
struct Board {
    queues: BTreeMap<String, VecDeque<usize>>,
    active: HashMap<String, usize>,
    not_before: HashMap<String, Instant>,
}

struct Checker {
    client: Client,
    rate: RateCap,
    board: Mutex<Board>,
    changed: Condvar,
}

impl Checker {
    fn new(opts: &VerifyOptions) -> Checker {
        Checker {
            client: Client::new(opts.timeout, opts.loopback),
            rate: RateCap::per_second(REQUESTS_PER_SECOND),
            board: Mutex::new(Board::default()),
            changed: Condvar::new(),
        }
    }

    fn board(&self) -> MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn run(&self, jobs: &[Job<'_>]) -> Vec<Verification> {
        {
            let mut board = self.board();
            for (i, job) in jobs.iter().enumerate() {
                board
                    .queues
                    .entry(job.host.clone())
                    .or_default()
                    .push_back(i);
            }
        }
        let results: Mutex<Vec<Option<Verification>>> = Mutex::new(vec![None; jobs.len()]);
        std::thread::scope(|s| {
            for _ in 0..WORKERS.min(jobs.len()) {
                s.spawn(|| {
                    while let Some(i) = self.next_job() {
                        let v = self.check(&jobs[i]);
                        results.lock().unwrap_or_else(PoisonError::into_inner)[i] = Some(v);
                        self.release(&jobs[i].host);
                    }
                });
            }
        });
        results
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .into_iter()
            .map(|v| v.unwrap_or_else(|| unknown(reason::NETWORK)))
            .collect()
    }

    /// Takes a job whose host has a free slot, waiting while every host with work is full.
    fn next_job(&self) -> Option<usize> {
        let mut board = self.board();
        loop {
            let Board { queues, active, .. } = &mut *board;
            if queues.values().all(VecDeque::is_empty) {
                return None;
            }
            let free = queues.iter_mut().find(|(host, q)| {
                !q.is_empty() && active.get(*host).copied().unwrap_or(0) < PER_HOST_CONCURRENCY
            });
            if let Some((host, q)) = free {
                let i = q.pop_front()?;
                *active.entry(host.clone()).or_default() += 1;
                return Some(i);
            }
            board = self
                .changed
                .wait(board)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn release(&self, host: &str) {
        if let Some(n) = self.board().active.get_mut(host) {
            *n = n.saturating_sub(1);
        }
        self.changed.notify_all();
    }

    /// Makes every request to `host` wait `wait` from now.
    fn hold(&self, host: &str, wait: Duration) {
        let until = Instant::now() + wait;
        let mut board = self.board();
        let at = board.not_before.entry(host.to_string()).or_insert(until);
        *at = (*at).max(until);
    }

    /// Sleeps until `host` may be asked again and the global rate cap allows a request.
    fn wait_turn(&self, host: &str) {
        let until = self.board().not_before.get(host).copied();
        if let Some(until) = until {
            let now = Instant::now();
            if until > now {
                std::thread::sleep(until - now);
            }
        }
        self.rate.wait();
    }

    /// Checks one key, with bounded retries on 429, 5xx and network errors.
    fn check(&self, job: &Job<'_>) -> Verification {
        let mut rate_limited = 0;
        let mut transient = 0;
        loop {
            self.wait_turn(&job.host);
            let reply = match self.client.send(job.check, &job.host, &job.secret) {
                Ok(reply) => reply,
                Err(Failure::Timeout) => return unknown(reason::TIMEOUT),
                Err(Failure::Tls) => return unknown(reason::TLS),
                Err(Failure::Network) => {
                    transient += 1;
                    if transient >= TRANSIENT_ATTEMPTS {
                        return unknown(reason::NETWORK);
                    }
                    self.hold(&job.host, pace::backoff(transient - 1));
                    continue;
                }
            };
            match job.check.classify(reply.status, reply.body.as_deref()) {
                Answer::Live => return Verification::Live,
                Answer::Invalid => return Verification::Invalid,
                Answer::RateLimited => {
                    rate_limited += 1;
                    let wait = reply
                        .wait
                        .unwrap_or_else(|| pace::backoff(rate_limited - 1));
                    if rate_limited >= RATE_LIMIT_ATTEMPTS || wait > MAX_WAIT {
                        return unknown(reason::RATE_LIMITED);
                    }
                    self.hold(&job.host, wait);
                }
                Answer::ServerError => {
                    transient += 1;
                    let wait = reply.wait.unwrap_or_else(|| pace::backoff(transient - 1));
                    if transient >= TRANSIENT_ATTEMPTS || wait > MAX_WAIT {
                        return unknown(reason::SERVER_ERROR);
                    }
                    self.hold(&job.host, wait);
                }
                Answer::Redirect => return unknown(reason::REDIRECT),
                Answer::Unexpected(status) => {
                    return Verification::Unknown {
                        reason: format!("unexpected status {status}"),
                    };
                }
                Answer::BadBody => return unknown(reason::UNEXPECTED_ANSWER),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_accepts_loopback_ips_only() {
        assert_eq!(
            parse_loopback_override("127.0.0.1:8080").unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
        assert!(parse_loopback_override("127.8.9.10:1").is_ok());
        assert!(parse_loopback_override("[::1]:443").is_ok());
        for bad in [
            "10.0.0.1:80",
            "192.168.1.1:443",
            "[2001:db8::1]:443",
            "localhost:8080",
            "api.openai.com:443",
            "127.0.0.1",
            "127.0.0.1:0",
            "",
        ] {
            let err = parse_loopback_override(bad).unwrap_err().to_string();
            assert!(err.contains("refused"), "{bad}: {err}");
        }
    }
}
