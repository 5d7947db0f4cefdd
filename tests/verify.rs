//! `--verify` end to end: the real binary checks keys against a real HTTP server on loopback
//! (reached through the test-only `KEYSIFT_VERIFY_OVERRIDE`) that answers like each provider:
//! live, invalid, 429 then 200, 500, timeout, redirect to another host, Azure with and without
//! its resource host, xAI's 200-but-disabled. The server records every request, so the tests
//! also prove where each key went, that it travelled in a header, and how often.

mod common;
#[path = "verify/mock.rs"]
mod mock;

use std::{collections::BTreeMap, path::Path, time::Duration};

use common::*;
use mock::{MockServer, Reply, Request};
use serde_json::Value;
use tempfile::TempDir;

const OVERRIDE: &str = "KEYSIFT_VERIFY_OVERRIDE";
/// Put in every mock body: it must never reach keysift's output.
const BODY_MARK: &str = "MOCK-BODY-MUST-NOT-LEAK";

/// A provider to plant a key for, and what its check must look like on the wire.
struct Plant {
    provider: &'static str,
    text: &'static str,
    host: &'static str,
    method: &'static str,
    target: &'static str,
    /// Header that must carry the key (lowercase).
    key_header: &'static str,
}

const PLANTS: &[Plant] = &[
    Plant {
        provider: "openai",
        text: "OPENAI_API_KEY=sk-proj-{{alnum:74}}T3BlbkFJ{{alnum:74}}\n",
        host: "api.openai.com",
        method: "GET",
        target: "/v1/models",
        key_header: "authorization",
    },
    Plant {
        provider: "anthropic",
        text: "ANTHROPIC_API_KEY=sk-ant-api03-{{alnum:93}}AA\n",
        host: "api.anthropic.com",
        method: "GET",
        target: "/v1/models",
        key_header: "x-api-key",
    },
    Plant {
        provider: "google",
        text: "GEMINI_API_KEY=AIza{{alnum:35}}\n",
        host: "generativelanguage.googleapis.com",
        method: "GET",
        target: "/v1beta/models",
        key_header: "x-goog-api-key",
    },
    Plant {
        provider: "xai",
        text: "XAI_API_KEY=xai-{{alnum:80}}\n",
        host: "api.x.ai",
        method: "GET",
        target: "/v1/api-key",
        key_header: "authorization",
    },
    Plant {
        provider: "groq",
        text: "GROQ_API_KEY=gsk_{{alnum:52}}\n",
        host: "api.groq.com",
        method: "GET",
        target: "/openai/v1/models",
        key_header: "authorization",
    },
    Plant {
        provider: "mistral",
        text: "MISTRAL_API_KEY={{alnum:32}}\n",
        host: "api.mistral.ai",
        method: "GET",
        target: "/v1/models",
        key_header: "authorization",
    },
    Plant {
        provider: "cohere",
        text: "COHERE_API_KEY={{alnum:40}}\n",
        host: "api.cohere.com",
        method: "POST",
        target: "/v1/check-api-key",
        key_header: "authorization",
    },
    Plant {
        provider: "deepseek",
        text: "DEEPSEEK_API_KEY=sk-{{hex:32}}\n",
        host: "api.deepseek.com",
        method: "GET",
        target: "/models",
        key_header: "authorization",
    },
    Plant {
        provider: "huggingface",
        text: "HF_TOKEN=hf_{{alnum:34}}\n",
        host: "huggingface.co",
        method: "GET",
        target: "/api/whoami-v2",
        key_header: "authorization",
    },
    Plant {
        provider: "azure-openai",
        text: "AZURE_OPENAI_ENDPOINT=https://contoso-east.openai.azure.com/\nAZURE_OPENAI_API_KEY={{hex:32}}\n",
        host: "contoso-east.openai.azure.com",
        method: "GET",
        target: "/openai/models?api-version=2024-10-21",
        key_header: "api-key",
    },
    Plant {
        provider: "github",
        text: "GITHUB_TOKEN=ghp_{{alnum:36}}\n",
        host: "api.github.com",
        method: "GET",
        target: "/user",
        key_header: "authorization",
    },
    Plant {
        provider: "slack",
        text: "SLACK_BOT_TOKEN=xoxb-{{digit:12}}-{{digit:13}}-{{alnum:24}}\n",
        host: "slack.com",
        method: "POST",
        target: "/api/auth.test",
        key_header: "authorization",
    },
    Plant {
        provider: "stripe",
        text: "STRIPE_SECRET_KEY=sk_live_{{alnum:99}}\n",
        host: "api.stripe.com",
        method: "GET",
        target: "/v1/balance",
        key_header: "authorization",
    },
    Plant {
        provider: "openrouter",
        text: "OPENROUTER_API_KEY=sk-or-v1-{{hex:64}}\n",
        host: "openrouter.ai",
        method: "GET",
        target: "/api/v1/key",
        key_header: "authorization",
    },
    Plant {
        provider: "replicate",
        text: "REPLICATE_API_TOKEN=r8_{{alnum:18}}7{{alnum:18}}\n",
        host: "api.replicate.com",
        method: "GET",
        target: "/v1/account",
        key_header: "authorization",
    },
    Plant {
        provider: "together",
        text: "TOGETHER_API_KEY=tgp_v1_{{alnum:21}}7{{alnum:21}}\n",
        host: "api.together.xyz",
        method: "GET",
        target: "/v1/models",
        key_header: "authorization",
    },
    Plant {
        provider: "fireworks",
        text: "FIREWORKS_API_KEY=fw_{{alnum:11}}7{{alnum:12}}\n",
        host: "api.fireworks.ai",
        method: "GET",
        target: "/inference/v1/models",
        key_header: "authorization",
    },
    Plant {
        provider: "cerebras",
        text: "CEREBRAS_API_KEY=csk-{{lower:23}}7{{lower:24}}\n",
        host: "api.cerebras.ai",
        method: "GET",
        target: "/v1/models",
        key_header: "authorization",
    },
    Plant {
        provider: "langsmith",
        text: "LANGSMITH_API_KEY=lsv2_pt_{{hex:32}}_{{hex:10}}\n",
        host: "api.smith.langchain.com",
        method: "GET",
        target: "/api/v1/api-key",
        key_header: "x-api-key",
    },
    Plant {
        provider: "pinecone",
        text: "PINECONE_API_KEY=pcsk_{{alnum:6}}_{{alnum:31}}7{{alnum:31}}\n",
        host: "api.pinecone.io",
        method: "GET",
        target: "/indexes",
        key_header: "api-key",
    },
    Plant {
        provider: "elevenlabs",
        text: "ELEVENLABS_API_KEY=sk_{{hex:48}}\n",
        host: "api.elevenlabs.io",
        method: "GET",
        target: "/v1/user",
        key_header: "xi-api-key",
    },
    Plant {
        provider: "stability",
        text: "STABILITY_API_KEY=sk-{{alnum:24}}7{{alnum:23}}\n",
        host: "api.stability.ai",
        method: "GET",
        target: "/v1/user/account",
        key_header: "authorization",
    },
    Plant {
        provider: "deepgram",
        text: "DEEPGRAM_API_KEY={{hex:40}}\n",
        host: "api.deepgram.com",
        method: "GET",
        target: "/v1/projects",
        key_header: "authorization",
    },
    Plant {
        provider: "assemblyai",
        text: "ASSEMBLYAI_API_KEY={{hex:32}}\n",
        host: "api.assemblyai.com",
        method: "GET",
        target: "/v2/transcript",
        key_header: "authorization",
    },
    Plant {
        provider: "vercel",
        text: "AI_GATEWAY_API_KEY=vck_{{alnum:28}}7{{alnum:27}}\n",
        host: "ai-gateway.vercel.sh",
        method: "GET",
        target: "/v1/credits",
        key_header: "authorization",
    },
    Plant {
        provider: "tavily",
        text: "TAVILY_API_KEY=tvly-dev-{{alnum:16}}7{{alnum:15}}\n",
        host: "api.tavily.com",
        method: "GET",
        target: "/usage",
        key_header: "authorization",
    },
    Plant {
        provider: "firecrawl",
        text: "FIRECRAWL_API_KEY=fc-{{hex:32}}\n",
        host: "api.firecrawl.dev",
        method: "GET",
        target: "/v2/team/credit-usage",
        key_header: "authorization",
    },
];

fn plant_for_host(host: &str) -> Option<&'static Plant> {
    PLANTS.iter().find(|p| p.host == host)
}

/// Each provider's answer for a live key.
fn live_reply(host: &str) -> Reply {
    let body = match host {
        "api.x.ai" => {
            format!(r#"{{"api_key_blocked":false,"api_key_disabled":false,"m":"{BODY_MARK}"}}"#)
        }
        "api.cohere.com" => format!(r#"{{"valid":true,"m":"{BODY_MARK}"}}"#),
        "slack.com" => format!(r#"{{"ok":true,"m":"{BODY_MARK}"}}"#),
        _ => format!(r#"{{"data":[],"m":"{BODY_MARK}"}}"#),
    };
    Reply::json(200, &body)
}

/// Each provider's answer for a dead key, as its documentation describes it.
fn invalid_reply(host: &str) -> Reply {
    match host {
        "generativelanguage.googleapis.com" => Reply::json(
            400,
            &format!(
                r#"{{"error":{{"status":"INVALID_ARGUMENT","reason":"API_KEY_INVALID","m":"{BODY_MARK}"}}}}"#
            ),
        ),
        // xAI answers 200 about a disabled key.
        "api.x.ai" => Reply::json(
            200,
            &format!(r#"{{"api_key_blocked":false,"api_key_disabled":true,"m":"{BODY_MARK}"}}"#),
        ),
        "api.cohere.com" => Reply::json(200, &format!(r#"{{"valid":false,"m":"{BODY_MARK}"}}"#)),
        "slack.com" => Reply::json(
            200,
            &format!(r#"{{"ok":false,"error":"invalid_auth","m":"{BODY_MARK}"}}"#),
        ),
        _ => Reply::json(401, &format!(r#"{{"error":"{BODY_MARK}"}}"#)),
    }
}

/// Writes one file per provider (plus `extra` files) and returns the directory.
fn plant_all(seed: u64) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (i, p) in PLANTS.iter().enumerate() {
        write(
            dir.path(),
            &format!("{}.env", p.provider),
            key(p.text, seed + i as u64),
        );
    }
    dir
}

struct Run {
    code: i32,
    stderr: String,
    findings: Vec<Value>,
}

/// Runs `keysift scan --verify --show-secrets --format json ARGS .` against `server`.
fn verify_run(dir: &Path, server: &MockServer, args: &[&str]) -> Run {
    let out = keysift()
        .current_dir(dir)
        .env(OVERRIDE, server.addr.to_string())
        .args(["scan", "--verify", "--show-secrets", "--format", "json"])
        .args(args)
        .arg(".")
        .output()
        .expect("keysift runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stdout.contains(BODY_MARK) && !stderr.contains(BODY_MARK),
        "a response body leaked"
    );
    Run {
        code: out.status.code().expect("exit code"),
        findings: json_findings(&out.stdout),
        stderr,
    }
}

/// provider → verification object, one finding per provider expected.
fn states(findings: &[Value]) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    for f in findings {
        let p = f["provider"].as_str().unwrap().to_string();
        assert!(
            m.insert(p.clone(), f["verification"].clone()).is_none(),
            "two findings for {p}"
        );
    }
    m
}

/// Every planted provider was found once, and had `expected` (Anyscale aside).
fn assert_all(findings: &[Value], expected: &Value) {
    let got = states(findings);
    for p in PLANTS {
        assert_eq!(
            got.get(p.provider),
            Some(expected),
            "{}: {got:?}",
            p.provider
        );
    }
}

/// Each request went to its provider's host, with its method and path, carrying the key of
/// that provider's finding in the expected header and nowhere in the URL.
fn assert_wire(requests: &[Request], findings: &[Value]) {
    assert!(!requests.is_empty());
    for r in requests {
        let p =
            plant_for_host(&r.host).unwrap_or_else(|| panic!("request to unknown host {}", r.host));
        assert_eq!(
            (r.method.as_str(), r.target.as_str()),
            (p.method, p.target),
            "{}",
            p.provider
        );
        let sent = r.key().expect("a key header");
        let finding = findings
            .iter()
            .find(|f| f["secret"] == sent.as_str())
            .unwrap_or_else(|| panic!("{}: a key that was not found was sent", p.provider));
        assert_eq!(
            finding["provider"], p.provider,
            "a key went to another provider's host"
        );
        let raw = r
            .header(p.key_header)
            .expect("key in the provider's header");
        assert!(raw.ends_with(&sent));
        assert!(!r.target.contains(&sent), "key in URL");
    }
}

fn count_by_host(requests: &[Request]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in requests {
        *m.entry(r.host.clone()).or_insert(0) += 1;
    }
    m
}

fn state(s: &str) -> Value {
    serde_json::json!({ "state": s })
}

fn unknown(reason: &str) -> Value {
    serde_json::json!({ "state": "unknown", "reason": reason })
}

#[test]
fn every_provider_live_on_the_right_host_once() {
    let server = MockServer::start("127.0.0.1", |r, _| live_reply(&r.host));
    let dir = plant_all(100);
    write(
        dir.path(),
        "anyscale.env",
        key("ANYSCALE_API_KEY=esecret_{{lower:32}}\n", 1),
    );
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.code, 3, "live keys exit 3: {}", run.stderr);
    let got = states(&run.findings);
    assert_eq!(got["anyscale"], unknown("retired"));
    let others: Vec<Value> = run
        .findings
        .iter()
        .filter(|f| f["provider"] != "anyscale")
        .cloned()
        .collect();
    assert_all(&others, &state("live"));
    let requests = server.requests();
    assert_wire(&requests, &run.findings);
    // One request per key (and none for Anyscale).
    assert_eq!(requests.len(), PLANTS.len());
    assert!(
        requests
            .iter()
            .all(|r| r.header("anthropic-version").is_some() || r.host != "api.anthropic.com")
    );
}

#[test]
fn every_provider_invalid_without_retry() {
    let server = MockServer::start("127.0.0.1", |r, _| invalid_reply(&r.host));
    let dir = plant_all(200);
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_all(&run.findings, &state("invalid"));
    let requests = server.requests();
    assert_wire(&requests, &run.findings);
    assert_eq!(
        requests.len(),
        PLANTS.len(),
        "401/403/invalid answers are never retried"
    );
}

#[test]
fn rate_limited_answers_are_retried_after_the_requested_wait() {
    // The first answer per key is a 429 whose wait comes in one of the header shapes.
    let server = MockServer::start("127.0.0.1", |r, nth| {
        if nth > 0 {
            return live_reply(&r.host);
        }
        let reply = Reply::json(429, &format!(r#"{{"error":"{BODY_MARK}"}}"#));
        match r.host.len() % 3 {
            0 => reply.header("Retry-After", "1"),
            1 => reply
                .header("x-ratelimit-remaining-requests", "0")
                .header("x-ratelimit-reset-requests", "1s"),
            _ => reply.header("X-RateLimit-Reset", "1"),
        }
    });
    let dir = plant_all(300);
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_all(&run.findings, &state("live"));
    let requests = server.requests();
    assert_wire(&requests, &run.findings);
    for (host, n) in count_by_host(&requests) {
        assert_eq!(n, 2, "{host}: one 429, one retry");
        let times: Vec<_> = requests
            .iter()
            .filter(|r| r.host == host)
            .map(|r| r.at)
            .collect();
        // A lower bound only: the retry must not come before the wait the server asked for.
        assert!(
            times[1] - times[0] >= Duration::from_millis(900),
            "{host}: retried too early"
        );
    }
}

#[test]
fn a_wait_longer_than_the_cap_gives_up_as_rate_limited() {
    let server = MockServer::start("127.0.0.1", |_, _| {
        Reply::status(429).header("Retry-After", "3600")
    });
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.env", key(PLANTS[0].text, 1));
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.findings[0]["verification"], unknown("rate limited"));
    assert_eq!(
        server.requests().len(),
        1,
        "no retry when the wait is beyond the cap"
    );
}

#[test]
fn rate_limited_throughout_is_unknown_never_invalid() {
    let server = MockServer::start("127.0.0.1", |_, _| {
        Reply::status(429).header("Retry-After", "0")
    });
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.env", key(PLANTS[0].text, 2));
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.findings[0]["verification"], unknown("rate limited"));
    assert_eq!(server.requests().len(), 3, "bounded: three attempts");
}

#[test]
fn server_errors_are_unknown_after_one_retry() {
    let server = MockServer::start("127.0.0.1", |r, _| {
        // Anthropic's "overloaded" is 529; the others answer 500.
        let status = if r.host == "api.anthropic.com" {
            529
        } else {
            500
        };
        Reply::json(status, &format!(r#"{{"error":"{BODY_MARK}"}}"#))
    });
    let dir = plant_all(400);
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_all(&run.findings, &unknown("server error"));
    let requests = server.requests();
    assert_wire(&requests, &run.findings);
    assert!(count_by_host(&requests).values().all(|&n| n == 2));
}

#[test]
fn timeouts_are_unknown() {
    let server = MockServer::start("127.0.0.1", |r, _| {
        live_reply(&r.host).delayed(Duration::from_secs(4))
    });
    let dir = plant_all(500);
    let run = verify_run(dir.path(), &server, &["--verify-timeout", "1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_all(&run.findings, &unknown("timeout"));
    assert_wire(&server.requests(), &run.findings);
}

#[test]
fn redirects_to_another_host_are_not_followed() {
    let elsewhere = MockServer::start("127.0.0.2", |_, _| Reply::status(200));
    let target = format!("http://{}/collect", elsewhere.addr);
    let server = MockServer::start("127.0.0.1", move |_, _| {
        Reply::status(302).header("Location", &target)
    });
    let dir = plant_all(600);
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_all(&run.findings, &unknown("redirect not followed"));
    assert_wire(&server.requests(), &run.findings);
    assert!(elsewhere.requests().is_empty(), "a redirect was followed");
}

#[test]
fn azure_without_a_resource_host_is_unknown_and_sends_nothing() {
    let server = MockServer::start("127.0.0.1", |r, _| live_reply(&r.host));
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "a.env",
        key("AZURE_OPENAI_API_KEY={{hex:32}}\n", 7),
    );
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.findings.len(), 1);
    assert_eq!(run.findings[0]["verification"], unknown("no host"));
    assert!(server.requests().is_empty());
}

#[test]
fn xai_blocked_flag_on_a_200_is_invalid() {
    let server = MockServer::start("127.0.0.1", |_, _| {
        Reply::json(200, r#"{"api_key_blocked":true,"api_key_disabled":false}"#)
    });
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "x.env",
        key("XAI_API_KEY=xai-{{alnum:80}}\n", 8),
    );
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.findings[0]["verification"], state("invalid"));
}

#[test]
fn each_distinct_key_is_checked_once() {
    let server = MockServer::start("127.0.0.1", |r, _| live_reply(&r.host));
    let dir = TempDir::new().unwrap();
    let line = key(PLANTS[0].text, 9);
    for f in ["a.env", "b.env", "sub/c.env"] {
        write(dir.path(), f, &line);
    }
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.findings.len(), 3);
    assert!(
        run.findings
            .iter()
            .all(|f| f["verification"] == state("live"))
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn at_most_two_requests_in_flight_per_host() {
    let server = MockServer::start("127.0.0.1", |r, _| {
        live_reply(&r.host).delayed(Duration::from_millis(300))
    });
    let dir = TempDir::new().unwrap();
    for i in 0..6 {
        write(
            dir.path(),
            &format!("k{i}.env"),
            key(PLANTS[0].text, 20 + i),
        );
    }
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.findings.len(), 6);
    assert_eq!(server.requests().len(), 6);
    let max = server.max_inflight("api.openai.com");
    assert!((1..=2).contains(&max), "max in flight {max}");
}

#[test]
fn only_live_reports_and_fails_on_live_keys_only() {
    let server = MockServer::start("127.0.0.1", |r, _| match r.host.as_str() {
        "api.openai.com" => live_reply(&r.host),
        "api.mistral.ai" => Reply::status(500),
        _ => invalid_reply(&r.host),
    });
    let dir = plant_all(700);
    let run = verify_run(dir.path(), &server, &["--only-live"]);
    assert_eq!(run.code, 3);
    assert_eq!(run.findings.len(), 1);
    assert_eq!(run.findings[0]["provider"], "openai");
    assert!(
        run.stderr.contains("1 findings could not be verified"),
        "{}",
        run.stderr
    );

    let none_live = MockServer::start("127.0.0.1", |r, _| invalid_reply(&r.host));
    let run = verify_run(dir.path(), &none_live, &["--only-live"]);
    assert_eq!(run.code, 0);
    assert!(run.findings.is_empty());
}

#[test]
fn only_live_needs_verify() {
    let dir = TempDir::new().unwrap();
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--only-live", "."])
        .assert()
        .code(2);
}

#[test]
fn without_verify_nothing_is_sent() {
    let server = MockServer::start("127.0.0.1", |r, _| live_reply(&r.host));
    let dir = plant_all(800);
    let out = keysift()
        .current_dir(dir.path())
        .env(OVERRIDE, server.addr.to_string())
        .args(["scan", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings = json_findings(&out.stdout);
    assert_eq!(findings.len(), PLANTS.len());
    assert!(findings.iter().all(|f| f["verification"].is_null()));
    assert!(server.requests().is_empty());
}

#[test]
fn non_loopback_override_is_refused() {
    let dir = plant_all(900);
    for bad in [
        "10.0.0.1:80",
        "192.0.2.7:443",
        "localhost:8080",
        "api.openai.com:443",
        "[2001:db8::1]:443",
    ] {
        let out = keysift()
            .current_dir(dir.path())
            .env(OVERRIDE, bad)
            .args(["scan", "--verify", "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(OVERRIDE) && stderr.contains("refused"),
            "{bad}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{bad}: refused before scanning");
    }
}

#[test]
fn text_report_shows_the_state_in_colour_and_never_the_key() {
    let server = MockServer::start("127.0.0.1", |r, _| match r.host.as_str() {
        "api.openai.com" => live_reply(&r.host),
        _ => invalid_reply(&r.host),
    });
    let dir = TempDir::new().unwrap();
    let openai = key(PLANTS[0].text, 30);
    let groq = key(PLANTS[4].text, 31);
    write(dir.path(), "a.env", &openai);
    write(dir.path(), "b.env", &groq);
    let out = keysift()
        .current_dir(dir.path())
        .env(OVERRIDE, server.addr.to_string())
        .args(["scan", "--verify", "--color", "always", "--verbose", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("\x1b[1m\x1b[31m(LIVE)"), "{text}");
    assert!(text.contains("(invalid)"), "{text}");
    assert!(
        text.contains("verified: 1 live, 1 invalid, 0 unknown"),
        "{text}"
    );
    assert!(stderr.contains("2 distinct keys checked"), "{stderr}");
    for secret in [
        &openai["OPENAI_API_KEY=".len()..],
        &groq["GROQ_API_KEY=".len()..],
    ] {
        let secret = secret.trim();
        assert!(
            !text.contains(secret) && !stderr.contains(secret),
            "key in output"
        );
    }
    assert!(!text.contains(BODY_MARK) && !stderr.contains(BODY_MARK));
}

#[test]
fn a_user_verify_block_cannot_choose_the_host() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "mine.toml",
        "[provider]\nid = \"openai\"\nname = \"OpenAI\"\nrevoke = \"https://x.test\"\n\n[verify]\nurl = \"https://collector.example/v1/models\"\nheaders = { Authorization = \"Bearer {key}\" }\nlive = [200]\n",
    );
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "--rules", "mine.toml", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mine.toml:6: rule `openai`: [verify]: url host `collector.example` is not this provider's built-in host `api.openai.com`"),
        "{stderr}"
    );
}

#[test]
fn rules_outside_a_checks_scope_are_not_sent() {
    // Anthropic admin keys cannot list models: sending one would report a live key dead.
    let server = MockServer::start("127.0.0.1", |r, _| invalid_reply(&r.host));
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "a.env",
        key("ANTHROPIC_ADMIN_KEY=sk-ant-admin01-{{alnum:93}}AA\n", 40),
    );
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.findings.len(), 1);
    assert_eq!(run.findings[0]["rule"], "anthropic-admin-key");
    assert_eq!(run.findings[0]["verification"], unknown("no check"));
    assert!(server.requests().is_empty());
}

#[test]
fn every_llm_provider_has_a_built_in_check() {
    let set = keysift::rules::RuleSet::builtin().expect("built-in rules load");
    for p in LLM_PROVIDERS {
        assert!(set.verify_spec(p).is_some(), "no [verify] block for {p}");
    }
}

#[test]
fn unreachable_hosts_are_unknown_network() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.env", key(PLANTS[4].text, 50));
    let out = keysift()
        .current_dir(dir.path())
        .env(OVERRIDE, format!("127.0.0.1:{port}"))
        .args(["scan", "--verify", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json_findings(&out.stdout)[0]["verification"],
        unknown("network")
    );
}

#[test]
fn sarif_marks_live_keys_as_errors_with_a_property() {
    let server = MockServer::start("127.0.0.1", |r, _| match r.host.as_str() {
        "api.openai.com" => live_reply(&r.host),
        _ => invalid_reply(&r.host),
    });
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.env", key(PLANTS[0].text, 60));
    write(dir.path(), "b.env", key(PLANTS[4].text, 61));
    let out = keysift()
        .current_dir(dir.path())
        .env(OVERRIDE, server.addr.to_string())
        .args(["scan", "--verify", "--format", "sarif", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let by_provider = |p: &str| {
        results
            .iter()
            .find(|r| r["properties"]["provider"] == p)
            .unwrap_or_else(|| panic!("no {p} result"))
    };
    let live = by_provider("openai");
    assert_eq!(live["level"], "error");
    assert_eq!(live["properties"]["verification"], "live");
    assert_eq!(live["properties"]["live"], true);
    assert_eq!(by_provider("groq")["properties"]["verification"], "invalid");
}

/// A user rule file for `provider` with one rule `rule` for the `ghp_` token shape and
/// `verify` (a `[verify]` table body, or nothing).
fn user_rules(dir: &Path, provider: &str, rule: &str, verify: &str) -> String {
    let text = format!(
        r#"[provider]
id = "{provider}"
name = "Mine"
revoke = "https://x.test"

[[rule]]
id = "{rule}"
name = "Mine"
description = "d"
regex = '''\b(ghp_[A-Za-z0-9]{{36}})\b'''
keywords = ["ghp_"]
priority = 100
severity = "8.0"
precision = "high"
remediation = "r"
examples = ['ghp_{{{{alnum:36}}}}']
{verify}"#
    );
    write(dir, "mine.toml", text);
    "mine.toml".to_string()
}

#[test]
fn a_user_file_cannot_replace_a_built_in_check() {
    let server = MockServer::start("127.0.0.1", |r, _| live_reply(&r.host));
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "s.env",
        key(
            "SLACK_BOT_TOKEN=xoxb-{{digit:12}}-{{digit:13}}-{{alnum:24}}\n",
            50,
        ),
    );
    // Revoking every token found, on the provider's own host, or a harmless-looking copy.
    for (path, expected) in [
        ("/api/auth.revoke", "only `POST /api/auth.test`"),
        (
            "/api/auth.test",
            "has a built-in check, which a rule file cannot replace",
        ),
    ] {
        let rules = user_rules(
            dir.path(),
            "slack",
            "slack-mine",
            &format!(
                "\n[verify]\nurl = \"https://slack.com{path}\"\nmethod = \"POST\"\n\
                 headers = {{ Authorization = \"Bearer {{key}}\" }}\nlive = [200]\n"
            ),
        );
        let out = keysift()
            .current_dir(dir.path())
            .env(OVERRIDE, server.addr.to_string())
            .args(["scan", "--verify", "--rules", &rules, "s.env"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{path}: {stderr}");
        assert!(stderr.contains(expected), "{path}: {stderr}");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn a_user_rule_claiming_another_provider_is_not_sent_to_its_host() {
    let server = MockServer::start("127.0.0.1", |r, _| live_reply(&r.host));
    let dir = TempDir::new().unwrap();
    write(dir.path(), "g.env", format!("TOKEN={}\n", github_token(51)));
    // It even takes the id of a rule the built-in check covers.
    let rules = user_rules(dir.path(), "openai", "openai-project-key", "");
    let run = verify_run(dir.path(), &server, &["--rules", &rules]);
    assert_eq!(run.findings.len(), 1, "{}", run.stderr);
    assert_eq!(run.findings[0]["rule"], "openai-project-key");
    assert_eq!(run.findings[0]["verification"], unknown("no check"));
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

/// Runs `--verify` over one Azure key file against a server that answers every key dead.
fn azure_run(text: &str, seed: u64) -> (Value, Vec<Request>) {
    let server = MockServer::start("127.0.0.1", |r, _| invalid_reply(&r.host));
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.env", key(text, seed));
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.findings.len(), 1, "{}", run.stderr);
    (run.findings[0]["verification"].clone(), server.requests())
}

#[test]
fn an_azure_host_must_end_where_the_url_host_ends() {
    let (v, sent) = azure_run(
        "# see https://attacker.openai.azure.com.evil.example/v1\nAZURE_OPENAI_API_KEY={{hex:32}}\n",
        60,
    );
    assert_eq!(v, unknown("no host"));
    assert!(sent.is_empty(), "{sent:?}");
}

#[test]
fn a_dead_answer_from_a_guessed_azure_host_is_unknown() {
    let (v, sent) = azure_run(
        "# unlike contoso.openai.azure.com, ours is elsewhere\nAZURE_OPENAI_API_KEY={{hex:32}}\n",
        61,
    );
    assert_eq!(v, unknown("refused by a guessed host"));
    assert_eq!(sent.len(), 1);
    // The endpoint the key's own configuration names is no guess.
    let (v, sent) = azure_run(
        "AZURE_OPENAI_ENDPOINT=https://contoso.openai.azure.com/\nAZURE_OPENAI_API_KEY={{hex:32}}\n",
        62,
    );
    assert_eq!(v, state("invalid"));
    assert_eq!(sent.len(), 1);
}

#[test]
fn the_configured_azure_endpoint_wins_over_a_nearer_mention() {
    let server = MockServer::start("127.0.0.1", |r, _| live_reply(&r.host));
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "a.env",
        key(
            "AZURE_OPENAI_ENDPOINT=https://mine.openai.azure.com/\n\n# not other.openai.azure.com\nAZURE_OPENAI_API_KEY={{hex:32}}\n",
            63,
        ),
    );
    let run = verify_run(dir.path(), &server, &[]);
    assert_eq!(run.findings[0]["verification"], state("live"));
    let hosts: Vec<String> = server.requests().into_iter().map(|r| r.host).collect();
    assert_eq!(hosts, ["mine.openai.azure.com"]);
}

/// The summary's scan time is the scan's; the checks' time is shown beside the verdicts, so a
/// slow provider does not hide inside "scanned ... in 0.01 s".
#[test]
fn summary_shows_how_long_verification_took() {
    let server = MockServer::start("127.0.0.1", |r, _| {
        live_reply(&r.host).delayed(Duration::from_millis(600))
    });
    let dir = TempDir::new().unwrap();
    let p = &PLANTS[0];
    write(dir.path(), &format!("{}.env", p.provider), key(p.text, 900));
    let out = keysift()
        .current_dir(dir.path())
        .env(OVERRIDE, server.addr.to_string())
        .args(["scan", "--verify", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    let took: f64 = line
        .split("unknown in ")
        .nth(1)
        .and_then(|t| t.strip_suffix(" s"))
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no verification time in {line:?}"));
    assert!(took >= 0.6, "{line}");
}
