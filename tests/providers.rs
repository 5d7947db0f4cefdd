//! Plants one key of every built-in rule in a tree and scans it with the real binary: each
//! must be reported exactly once, with its own rule, redacted, and the run exits 1.

mod common;

use common::*;
use keysift::rules::{RuleSet, expand_template};

use tempfile::TempDir;

#[test]
fn every_planted_key_is_reported_once_with_its_rule() {
    let set = RuleSet::builtin().expect("built-in rules load");
    let dir = TempDir::new().unwrap();
    let mut expected = Vec::new();
    for (i, rule) in set.rules().iter().enumerate() {
        let example = expand_template(&rule.examples[0], 7_000 + i as u64);
        write(
            dir.path(),
            &format!("planted/{}.txt", rule.id),
            format!("{example}\n"),
        );
        expected.push(rule.id.clone());
    }
    expected.sort();
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(rule_ids(&findings), expected);
    for f in &findings {
        let path = f["path"].as_str().unwrap();
        assert_eq!(path, format!("planted/{}.txt", f["rule"].as_str().unwrap()));
        let planted = std::fs::read_to_string(dir.path().join(path)).unwrap();
        let secret = f["secret"].as_str().unwrap();
        assert!(secret.contains("…["), "not redacted: {secret}");
        let shown = secret.split('…').next().unwrap();
        assert!(planted.contains(shown));
    }
    // The same scan with --show-secrets gives the raw secrets: none may appear redacted.
    let (_, shown, _) = scan_json(dir.path(), &["--show-secrets", "."]);
    let redacted = serde_json::to_string(&findings).unwrap();
    for f in &shown {
        let secret = f["secret"].as_str().unwrap();
        assert!(!secret.contains("…["));
        assert!(!redacted.contains(secret), "{} leaks its secret", f["rule"]);
    }
}

/// Shapes several providers share go to the provider their context names, each file scanned
/// alone: `(file text with {K} for the key, key template, expected rule or None)`.
#[test]
fn shared_shapes_go_to_the_provider_named_nearby() {
    let sk48 = "sk-{{alnum:20}}{{digit:1}}{{alnum:27}}";
    let openai_legacy = "sk-{{alnum:19}}{{digit:1}}T3BlbkFJ{{alnum:20}}";
    let sk32hex = "sk-{{hex:32}}";
    let hex32 = "{{hex:32}}";
    let hex40 = "{{hex:40}}";
    let cases: &[(&str, &str, Option<&str>)] = &[
        // sk- + 48 alphanumerics: Moonshot, Stability, or nobody's.
        ("MOONSHOT_API_KEY={K}\n", sk48, Some("moonshot-api-key")),
        ("KIMI_API_KEY={K}\n", sk48, Some("moonshot-api-key")),
        ("STABILITY_API_KEY={K}\n", sk48, Some("stability-api-key")),
        (
            "import stability_sdk\napi = client.StabilityInference(key=\"{K}\")\n",
            sk48,
            Some("stability-api-key"),
        ),
        (
            "# moonshot for chat\nMOONSHOT_API_KEY={K}\n# stability.ai for images\n",
            sk48,
            Some("moonshot-api-key"),
        ),
        ("api_key = \"{K}\"\n", sk48, None),
        (
            "stability:\n  api_key: {K}\n",
            sk48,
            Some("stability-api-key"),
        ),
        // An old OpenAI key is sk- + 48 too: its marker wins over a Moonshot mention.
        (
            "MOONSHOT_API_KEY={K}\n",
            openai_legacy,
            Some("openai-legacy-key"),
        ),
        // sk- + 32 hex: DeepSeek's unless DashScope (Qwen, Bailian) is named nearer.
        ("DEEPSEEK_API_KEY={K}\n", sk32hex, Some("deepseek-api-key")),
        ("api_key = \"{K}\"\n", sk32hex, Some("deepseek-api-key")),
        (
            "DASHSCOPE_API_KEY={K}\n",
            sk32hex,
            Some("dashscope-api-key"),
        ),
        (
            "client = OpenAI(api_key=\"{K}\", base_url=\"https://dashscope.aliyuncs.com/compatible-mode/v1\")\n",
            sk32hex,
            Some("dashscope-api-key"),
        ),
        // Prefixes that contain DeepSeek's sk- are never DeepSeek's.
        (
            "OPENROUTER_API_KEY={K}\n",
            "sk-or-v1-{{hex:64}}",
            Some("openrouter-api-key"),
        ),
        (
            "LANGFUSE_SECRET_KEY={K}\n",
            "sk-lf-{{hex:8}}-{{hex:4}}-4{{hex:3}}-a{{hex:3}}-{{hex:12}}",
            Some("langfuse-secret-key"),
        ),
        (
            "MINIMAX_API_KEY={K}\n",
            "sk-api-{{b64url:60}}{{digit:1}}{{alnum:58}}",
            Some("minimax-api-key"),
        ),
        // 32 hex: AssemblyAI, older ElevenLabs, Azure OpenAI, by the name on the key.
        (
            "ASSEMBLYAI_API_KEY={K}\n",
            hex32,
            Some("assemblyai-api-key"),
        ),
        (
            "ELEVENLABS_API_KEY={K}\n",
            hex32,
            Some("elevenlabs-api-key-legacy"),
        ),
        (
            "AZURE_OPENAI_API_KEY={K}\n",
            hex32,
            Some("azure-openai-api-key"),
        ),
        // 40 hex: Deepgram or W&B by their names; a git ref is neither.
        ("DEEPGRAM_API_KEY={K}\n", hex40, Some("deepgram-api-key")),
        ("WANDB_API_KEY={K}\n", hex40, Some("wandb-api-key-legacy")),
        (
            "wandb @ git+https://github.com/wandb/wandb.git@{K}\n",
            hex40,
            None,
        ),
        // ElevenLabs' sk_ keys need ElevenLabs words; sk_ alone starts C identifiers.
        (
            "ELEVENLABS_API_KEY={K}\n",
            "sk_{{hex:48}}",
            Some("elevenlabs-api-key"),
        ),
        ("key = \"{K}\"\n", "sk_{{hex:48}}", None),
    ];
    for (i, (text, template, want)) in cases.iter().enumerate() {
        let dir = TempDir::new().unwrap();
        let k = key(template, 9_100 + i as u64);
        write(dir.path(), "config.txt", text.replace("{K}", &k));
        let (_, findings, stderr) = scan_json(dir.path(), &["--show-secrets", "."]);
        let got: Vec<(String, String)> = findings
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["secret"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        match want {
            Some(rule) => assert_eq!(
                got,
                vec![(rule.to_string(), k.clone())],
                "case {i}: {text:?}\n{stderr}"
            ),
            None => assert!(got.is_empty(), "case {i}: {text:?}: {got:?}"),
        }
    }
}
