//! A small HTTP/1.1 server on loopback that plays the providers' APIs for `--verify` tests. It
//! records every request (with the `Host` header keysift sends under the test override), so
//! tests can prove where each key went, and tracks how many requests were in flight per host.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

/// One request as the server saw it. Header names are lowercased.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub host: String,
    pub headers: Vec<(String, String)>,
    pub at: Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The credential the request carries, in whichever header the provider uses.
    pub fn key(&self) -> Option<String> {
        if let Some(auth) = self.header("authorization") {
            let key = ["Bearer ", "Token "]
                .iter()
                .find_map(|scheme| auth.strip_prefix(scheme))
                .unwrap_or(auth);
            return Some(key.to_string());
        }
        ["x-api-key", "x-goog-api-key", "api-key", "xi-api-key"]
            .iter()
            .find_map(|h| self.header(h))
            .map(str::to_string)
    }
}

/// What to answer. `delay` holds the answer back (to provoke a client timeout).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn json(status: u16, body: &str) -> Reply {
        Reply {
            body: body.to_string(),
            ..Reply::status(status)
        }
        .header("Content-Type", "application/json")
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn delayed(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
}

/// The handler gets the request and how many earlier requests carried the same key to the
/// same host (0 for the first).
type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

#[derive(Default)]
struct State {
    log: Vec<Request>,
    seen: HashMap<(String, String), usize>,
    inflight: HashMap<String, usize>,
    max_inflight: HashMap<String, usize>,
}

pub struct MockServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl MockServer {
    pub fn start(
        ip: &str,
        handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> MockServer {
        let listener = TcpListener::bind((ip, 0)).expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State::default()));
        let handler: Arc<Handler> = Arc::new(handler);
        let st = Arc::clone(&state);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let st = Arc::clone(&st);
                let handler = Arc::clone(&handler);
                thread::spawn(move || serve(stream, &st, &*handler));
            }
        });
        MockServer { addr, state }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().log.clone()
    }

    /// The most requests ever in flight at once to `host`.
    pub fn max_inflight(&self, host: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .max_inflight
            .get(host)
            .copied()
            .unwrap_or(0)
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    let host = headers
        .iter()
        .find(|(n, _)| n == "host")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let req = Request {
        method,
        target,
        host: host.clone(),
        headers,
        at: Instant::now(),
    };
    let nth = {
        let mut st = state.lock().unwrap();
        st.log.push(req.clone());
        let n = st.inflight.entry(host.clone()).or_default();
        *n += 1;
        let now = *n;
        let max = st.max_inflight.entry(host.clone()).or_default();
        *max = (*max).max(now);
        let seen = st
            .seen
            .entry((host.clone(), req.key().unwrap_or_default()))
            .or_default();
        *seen += 1;
        *seen - 1
    };
    let reply = handler(&req, nth);
    thread::sleep(reply.delay);
    // Counted out before the answer is written, so the client cannot start its next request
    // while this one still counts as in flight.
    *state.lock().unwrap().inflight.entry(host).or_default() -= 1;
    let mut out = format!(
        "HTTP/1.1 {} Mock\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (n, v) in &reply.headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&reply.body);
    let mut stream = stream;
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}
