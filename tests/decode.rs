//! End-to-end behaviour of the decoding layer: secrets stored base64-encoded (Kubernetes
//! Secrets, docker configs), percent-encoded or JSON-escaped are found at the encoded run and
//! reported as decoded, redacted everywhere; encoded data that holds no secret (images, fonts,
//! source maps, integrity hashes, lock files) stays quiet; bad input (malformed or binary
//! base64, huge blobs, deep nesting, invalid escapes) never panics and never points outside
//! the file. Postman collections are read as a view (each credential under its request's name
//! and URL).

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::*;
use tempfile::TempDir;

fn b64(s: impl AsRef<[u8]>) -> String {
    STANDARD.encode(s)
}

fn mistral_key(seed: u64) -> String {
    key("{{alnum:20}}{{digit:1}}{{alnum:11}}", seed)
}

#[test]
fn kubernetes_secret_data_is_found_at_the_encoded_run() {
    let dir = TempDir::new().unwrap();
    let k = mistral_key(1);
    let enc = b64(&k);
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: llm\ntype: Opaque\ndata:\n  MISTRAL_API_KEY: {enc}\n"
    );
    write(dir.path(), "secret.yaml", &text);
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&findings), ["mistral-api-key"]);
    let f = &findings[0];
    assert_eq!(f["line"], 7);
    assert_eq!(f["column"], 20);
    assert_eq!(f["end_column"], 20 + enc.len() as u64 - 1);
    assert_eq!(f["decoded"], serde_json::json!(["base64"]));
    let json = serde_json::to_string(&findings).unwrap();
    assert!(!json.contains(&k), "the decoded secret leaks: {json}");
    assert!(!json.contains(&enc), "the encoded secret leaks: {json}");

    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("[mistral-api-key] (base64)"), "{stdout}");
    assert!(!stdout.contains(&k) && !stdout.contains(&enc), "{stdout}");

    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", ".", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["properties"]["decoded"],
        serde_json::json!(["base64"])
    );
    let raw = String::from_utf8_lossy(&out.stdout);
    assert!(!raw.contains(&k) && !raw.contains(&enc));

    // --no-decode turns the layer off.
    let (code, findings, _) = scan_json(dir.path(), &[".", "--no-decode"]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn docker_config_nesting_and_other_encodings() {
    let dir = TempDir::new().unwrap();
    let tok = github_token(7);
    let auth = b64(format!("bot:{tok}"));
    let config = format!("{{\"auths\":{{\"ghcr.io\":{{\"auth\":\"{auth}\"}}}}}}");
    write(
        dir.path(),
        "pull.yaml",
        format!(
            "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {}\n",
            b64(&config)
        ),
    );
    let k = mistral_key(3);
    write(
        dir.path(),
        "url.env",
        format!(
            "MISTRAL_URL=https://x.example/?api_key={}\n",
            URL_SAFE_NO_PAD.encode(&k)
        ),
    );
    let escaped: String = tok
        .chars()
        .map(|c| {
            if c == '_' {
                "\\u005f".to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    write(
        dir.path(),
        "esc.json",
        format!("{{\"token\": \"{escaped}\"}}\n"),
    );
    let (_, findings, _) = scan_json(dir.path(), &["."]);
    let got: Vec<(String, String, serde_json::Value)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["decoded"].clone(),
            )
        })
        .collect();
    assert!(
        got.contains(&(
            "pull.yaml".into(),
            "github-pat".into(),
            serde_json::json!(["base64", "base64"])
        )) || got.contains(&(
            "pull.yaml".into(),
            "github-pat".into(),
            serde_json::json!(["base64"])
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "url.env".into(),
            "mistral-api-key".into(),
            serde_json::json!(["base64"])
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "esc.json".into(),
            "github-pat".into(),
            serde_json::json!(["escape"])
        )),
        "{got:?}"
    );
    assert_eq!(
        got.iter().filter(|g| g.0 == "pull.yaml").count(),
        1,
        "{got:?}"
    );
}

#[test]
fn encoded_data_without_secrets_stays_quiet() {
    let dir = TempDir::new().unwrap();
    // An image and a font as data URIs, a source map, integrity hashes, a lock file holding
    // base64 of a key-shaped value, and base64 text that is no key.
    let png: Vec<u8> = (0..3000u32).map(|i| (i * 7919 % 251) as u8).collect();
    write(
        dir.path(),
        "style.css",
        format!(
            ".a {{ background: url(data:image/png;base64,{}); }}\n@font-face {{ src: url(data:font/woff2;base64,{}); }}\n",
            b64(&png),
            b64(&png[..900])
        ),
    );
    let map = format!(
        "{{\"version\":3,\"sources\":[\"a.ts\"],\"sourcesContent\":[\"const MISTRAL_API_KEY = '{}';\"]}}",
        mistral_key(5)
    );
    write(
        dir.path(),
        "app.js",
        format!(
            "console.log(1);\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,{}\n",
            b64(map)
        ),
    );
    write(
        dir.path(),
        "index.html",
        format!(
            "<script src=\"x.js\" integrity=\"sha384-{}\"></script>\n",
            b64(&png[..48])
        ),
    );
    write(
        dir.path(),
        "package-lock.json",
        format!(
            "{{\"mistral\": \"{}\"}}\n",
            b64(format!("MISTRAL_API_KEY={}", mistral_key(6)))
        ),
    );
    write(
        dir.path(),
        "notes.yaml",
        format!(
            "description: {}\n",
            b64("just some words that say nothing secret at all")
        ),
    );
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!((code, rule_ids(&findings)), (0, Vec::<String>::new()));
}

/// Deterministic bytes for the bad-input tests.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn bad_input_never_panics_nor_points_outside_the_file() {
    let dir = TempDir::new().unwrap();
    let k = mistral_key(9);
    // Malformed base64: wrong length, stray padding, mixed alphabets, around a real run.
    let good = b64(&k);
    write(
        dir.path(),
        "malformed.yaml",
        format!(
            "a: {}=\nb: ==={}===\nc: {}_-+/\nd: {}\nMISTRAL_API_KEY: {good}\n",
            &good[..good.len() - 1],
            good,
            good,
            "A".repeat(4 * 1024 + 1)
        ),
    );
    // Base64 of binary, 4 MB on one line.
    write(
        dir.path(),
        "blob.txt",
        format!("blob: {}\n", b64(noise(3 * 1024 * 1024, 1))),
    );
    // Base64 of text, 4 MB on one line, with a key at its very end.
    let mut text = "lorem ipsum dolor sit amet\n".repeat(110_000);
    text.push_str(&format!("MISTRAL_API_KEY={k}\n"));
    write(
        dir.path(),
        "big.yaml",
        format!("data:\n  env: {}\n", b64(&text)),
    );
    // A decoding bomb: base64 nested 40 deep.
    let mut bomb = format!("MISTRAL_API_KEY={k}");
    for _ in 0..40 {
        bomb = b64(&bomb);
    }
    write(dir.path(), "bomb.yaml", format!("x: {bomb}\n"));
    // Invalid escapes and percent-encoding.
    write(
        dir.path(),
        "escapes.json",
        "{\"a\": \"\\/\\ud800\\u12\\x4g\\q\\/\", \"b\": \"%zz%2%2B%E9%%\\/\\u00zz\", \"c\": \"\\\\\\/\"}\n",
    );
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    for f in &findings {
        let path = f["path"].as_str().unwrap();
        let body = std::fs::read_to_string(dir.path().join(path)).unwrap();
        let lines: Vec<&str> = body.lines().collect();
        let (line, col, end) = (
            f["line"].as_u64().unwrap() as usize,
            f["column"].as_u64().unwrap() as usize,
            f["end_column"].as_u64().unwrap() as usize,
        );
        assert!(line >= 1 && line <= lines.len(), "{f}");
        let len = lines[line - 1].chars().count();
        assert!(
            col >= 1 && col <= end && end <= len,
            "{f} on a line of {len}"
        );
    }
    let at = |p: &str| {
        findings
            .iter()
            .filter(|f| f["path"] == p)
            .map(|f| f["line"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(at("malformed.yaml"), [5]);
    assert_eq!(at("blob.txt"), Vec::<u64>::new());
    assert_eq!(at("big.yaml"), [2]);
    // Nested deeper than the layer goes: not decoded, and no panic.
    assert_eq!(at("bomb.yaml"), Vec::<u64>::new());
}

/// A base64 run longer than the 16 MiB window a large file is read in: each window decodes
/// its part of the run from the first whole quad, so a key at the end of a single-line blob
/// is found, once, located at the characters that encode it; so is one the windows overlap.
#[test]
fn keys_in_a_base64_run_longer_than_a_read_window_are_found_once() {
    const WINDOW: usize = 16 << 20;
    let dir = TempDir::new().unwrap();
    let prefix = "data:\n  env: ";
    let filler = "lorem ipsum dolor sit amet\n";
    // Decoded text whose base64 reaches just past the first window and its margins.
    let mut text = String::new();
    let mut keys = Vec::new();
    let mut add_key = |text: &mut String, seed: u64| {
        let k = mistral_key(seed);
        text.push_str("MISTRAL_API_KEY=");
        keys.push((text.len(), k.clone()));
        text.push_str(&k);
        text.push('\n');
    };
    text.push_str(&filler.repeat(40));
    add_key(&mut text, 21);
    // The second key is encoded a few KB after the second window starts, where both see it.
    while (prefix.len() + text.len() / 3 * 4) < WINDOW + 4000 {
        text.push_str(filler);
    }
    add_key(&mut text, 22);
    while (prefix.len() + text.len() / 3 * 4) < WINDOW + (256 << 10) {
        text.push_str(filler);
    }
    add_key(&mut text, 23);
    let enc = b64(&text);
    // The run starts at an offset the second window's start does not share modulo 4.
    assert_ne!((WINDOW - prefix.len()) % 4, 0);
    write(dir.path(), "big.yaml", format!("{prefix}{enc}\n"));
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(rule_ids(&findings), ["mistral-api-key"; 3], "{findings:?}");
    let run_column = "  env: ".len() + 1;
    for (f, (at, k)) in findings.iter().zip(&keys) {
        assert_eq!(f["line"], 2, "{f}");
        assert_eq!(f["decoded"], serde_json::json!(["base64"]));
        // The quads holding the key: four characters for every three bytes.
        let (from, to) = (at / 3 * 4, (at + k.len()).div_ceil(3) * 4);
        assert_eq!(f["column"], (run_column + from) as u64, "{f}");
        assert_eq!(f["end_column"], (run_column + to - 1) as u64, "{f}");
    }
    let json = serde_json::to_string(&findings).unwrap();
    for (_, k) in &keys {
        assert!(!json.contains(k.as_str()), "a decoded secret leaks");
    }
}

#[test]
fn postman_requests_lend_their_name_and_url_to_their_headers() {
    let dir = TempDir::new().unwrap();
    let k = mistral_key(11);
    let pad = "          { \"key\": \"Accept\", \"value\": \"application/json\" },\n".repeat(8);
    let collection = format!(
        r#"{{
  "info": {{
    "_postman_id": "5f1c2b7e-0000-4000-8000-000000000001",
    "name": "LLM APIs",
    "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
  }},
  "item": [
    {{
      "name": "Mistral embed",
      "request": {{
        "method": "POST",
        "header": [
{pad}          {{ "key": "Authorization", "value": "Bearer {k}", "type": "text" }}
        ],
        "body": {{ "mode": "raw", "raw": "{{}}" }},
        "options": {{}},
        "description": "",
        "event": [],
        "url": {{
          "raw": "https://api.mistral.ai/v1/embeddings",
          "host": ["api", "mistral", "ai"]
        }}
      }}
    }}
  ]
}}
"#
    );
    write(dir.path(), "llm.postman_collection.json", &collection);
    let (_, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(rule_ids(&findings), ["mistral-api-key"]);
    let line = collection.lines().position(|l| l.contains(&k)).unwrap() + 1;
    assert_eq!(findings[0]["line"], line as u64);
    assert_eq!(findings[0]["decoded"], serde_json::json!([]));
    // Without the collection's markers, the same text is no Postman view: too far to vouch.
    let plain = collection
        .replace("_postman_id", "id")
        .replace("schema.getpostman.com", "example.com");
    write(dir.path(), "llm.postman_collection.json", plain);
    let (_, findings, _) = scan_json(dir.path(), &["."]);
    assert!(findings.is_empty(), "{findings:?}");
}
