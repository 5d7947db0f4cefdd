//! One HTTP exchange per call, on `ureq` with rustls: blocking (the verify stage is a handful of
//! requests, so threads are simpler than an async runtime), HTTPS-only, no redirects, short
//! timeouts. Errors are reduced to a kind: no URL, header or body ever leaves this module in a
//! message, so neither the key nor a provider's answer can reach a log.

use std::{
    io::ErrorKind,
    net::SocketAddr,
    time::{Duration, SystemTime},
};

use super::pace;
use crate::{
    finding::Secret,
    rules::verify_spec::{HttpCheck, KEY_PLACEHOLDER, Method},
};

/// Largest body read, and only for checks that look inside a live answer.
const BODY_LIMIT: u64 = 64 * 1024;

/// The status of an answer, the wait it asked for, and its body when the check needs it.
pub struct Reply {
    pub status: u16,
    pub wait: Option<Duration>,
    pub body: Option<String>,
}

/// Why no answer came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Timeout,
    Network,
    Tls,
}

pub struct Client {
    agent: ureq::Agent,
    /// Test-only: every request goes over plain HTTP to this loopback address instead.
    loopback: Option<SocketAddr>,
}

impl Client {
    /// `loopback` must already be checked by [`super::parse_loopback_override`].
    pub fn new(timeout: Duration, loopback: Option<SocketAddr>) -> Client {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .https_only(loopback.is_none())
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(5))))
            .user_agent(concat!("keysift/", env!("CARGO_PKG_VERSION")))
            .max_idle_connections_per_host(super::PER_HOST_CONCURRENCY);
        if loopback.is_some() {
            // An HTTP proxy from the environment must not see test traffic either.
            config = config.proxy(None);
        }
        Client {
            agent: config.build().into(),
            loopback,
        }
    }

    /// Sends `check` for `secret` to `host` (which the caller took from the built-in table).
    pub fn send(&self, check: &HttpCheck, host: &str, secret: &Secret) -> Result<Reply, Failure> {
        let url = match self.loopback {
            Some(addr) => format!("http://{addr}{}", check.path),
            None => format!("https://{host}{}", check.path),
        };
        let result = match check.method {
            Method::Get => {
                let mut req = self.agent.get(&url);
                if self.loopback.is_some() {
                    req = req.header("Host", host);
                }
                for (name, value) in &check.headers {
                    req = req.header(name, value.replace(KEY_PLACEHOLDER, secret.expose()));
                }
                req.call()
            }
            Method::Post => {
                let mut req = self.agent.post(&url);
                if self.loopback.is_some() {
                    req = req.header("Host", host);
                }
                for (name, value) in &check.headers {
                    req = req.header(name, value.replace(KEY_PLACEHOLDER, secret.expose()));
                }
                req.send_empty()
            }
        };
        let mut response = result.map_err(failure)?;
        let status = response.status().as_u16();
        let wait = pace::requested_wait(
            response
                .headers()
                .iter()
                .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?))),
            SystemTime::now(),
        );
        let body = if check.needs_body(status) {
            response
                .body_mut()
                .with_config()
                .limit(BODY_LIMIT)
                .read_to_string()
                .ok()
        } else {
            None
        };
        Ok(Reply { status, wait, body })
    }
}

fn failure(e: ureq::Error) -> Failure {
    match e {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::Io(io) if matches!(io.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
            Failure::Timeout
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => Failure::Tls,
        _ => Failure::Network,
    }
}
