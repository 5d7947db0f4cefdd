//! The suite's own key shapes, one entry per keysift rule id, written from the providers'
//! documented formats (`/work/shared/providers.md`, the providers' docs and blog posts cited
//! below), never from the rules' `examples` or through keysift's template expander. Bodies are
//! drawn by [`Rng::fill`]; GitHub and npm tokens carry their real CRC32 checksum.
//!
//! Sources:
//! - GitHub: "Behind GitHub's new authentication token formats" (github.blog, 2021-04-05): a
//!   prefix (`ghp_` classic PAT, `gho_` OAuth, `ghu_` user-to-server, `ghs_` server-to-server,
//!   `ghr_` refresh), 30 base62 characters and a 6-character base62 CRC32 of those 30;
//!   fine-grained PATs are `github_pat_` + 22 + `_` + 59 (docs.github.com, "About personal
//!   access tokens").
//! - npm: "Announcing npm's new access token format" (github.blog, 2021-09-23): `npm_` + 30
//!   base62 + the same 6-character CRC32.
//! - Slack: api.slack.com "Token types" (`xoxb-` bot, `xoxp-` user, `xapp-` app-level, `xoxe-`
//!   rotating refresh, `xoxe.xoxb-`/`xoxe.xoxp-` config, `xoxa-`/`xoxr-` workspace apps) and
//!   "Sending messages using incoming webhooks" (`hooks.slack.com/services/T…/B…/…`); workflow
//!   webhooks from "Workflow Builder webhooks" (`hooks.slack.com/workflows/T…/A…/…/…`).
//! - GitLab: docs.gitlab.com "Token prefixes" (`glpat-` + 20; routable tokens add
//!   `.01.` + a base36 suffix).
//! - AWS: docs.aws.amazon.com IAM "Managing access keys" (`AKIA`/`ASIA` + 16 upper-case base32,
//!   40-character secret).
//! - Google: cloud.google.com "API keys" (`AIza` + 35), "Create and delete service account keys"
//!   (the JSON key file); Gemini's newer `AQ.` keys per providers.md.
//! - Stripe: docs.stripe.com "API keys" (`sk_live_`, `rk_live_`, 24 to 99 characters after).
//! - Twilio: twilio.com/docs/iam/api-keys (`SK` + 32 hex) and the 32-hex Auth Token.
//! - SendGrid: docs.sendgrid.com "API keys" (`SG.` + 22 + `.` + 43).
//! - AI providers: the shapes table of providers.md, checked against each console's key page.
//! - PEM/OpenPGP: RFC 7468 labels, RFC 5958 (PKCS#8), RFC 4880 armor; the body heads are the
//!   DER prefixes real keys start with.
//!
//! Adding a rule: add one `Shape::new(rule_id, provider_id, template, envs)` line to [`SHAPES`]
//! (`.context()` when the key is only recognisable by a mention of its provider). The test
//! `every_rule_has_a_positive_generator` fails until every rule of `RuleSet::builtin()` has one.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use keysift::rules::RuleSet;

use super::rng::Rng;

/// How a shape's value is made from its template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Make {
    /// The template expanded as is.
    Plain,
    /// The template, then the 6-character base62 CRC32 of everything after the prefix
    /// (GitHub and npm tokens).
    Crc32,
    /// A PEM block; the template is the PEM label and the DER head of the body.
    Pem,
    /// A Google service-account JSON key file on one line; the secret is its private_key_id.
    ServiceAccount,
}

pub struct Shape {
    pub rule: &'static str,
    pub provider: &'static str,
    pub template: &'static str,
    pub make: Make,
    /// Environment-variable names the provider's docs use for this credential.
    pub envs: &'static [&'static str],
    /// True when the value has no distinctive shape: a positive must carry a mention of the
    /// provider (its name, host, client or comment), as a reviewer would need.
    pub needs_context: bool,
}

impl Shape {
    pub const fn new(
        rule: &'static str,
        provider: &'static str,
        template: &'static str,
        envs: &'static [&'static str],
    ) -> Shape {
        Shape {
            rule,
            provider,
            template,
            make: Make::Plain,
            envs,
            needs_context: false,
        }
    }

    pub const fn context(self) -> Shape {
        Shape {
            needs_context: true,
            ..self
        }
    }

    pub const fn made(self, make: Make) -> Shape {
        Shape { make, ..self }
    }

    pub fn is_pem(&self) -> bool {
        self.make == Make::Pem
    }
}

use Make::{Crc32, Pem, ServiceAccount};

#[rustfmt::skip]
pub static SHAPES: &[Shape] = &[
    // AI providers
    Shape::new("mistral-api-key", "mistral", "{{alnum:32}}", &["MISTRAL_API_KEY", "MISTRAL_API_KEY", "CODESTRAL_API_KEY"]).context(),
    Shape::new("cohere-api-key", "cohere", "{{alnum:40}}", &["CO_API_KEY", "COHERE_API_KEY", "COHERE_API_KEY"]).context(),
    Shape::new("azure-openai-api-key", "azure-openai", "{{hex:32}}", &["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_KEY"]).context(),
    Shape::new("azure-openai-api-key-84", "azure-openai", "{{alnum:52}}JQQJ99{{alnum:18}}ACOG{{alnum:4}}", &["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_KEY"]),
    Shape::new("deepseek-api-key", "deepseek", "sk-{{hex:32}}", &["DEEPSEEK_API_KEY"]),
    Shape::new("openai-legacy-key", "openai", "sk-{{alnum:20}}T3BlbkFJ{{alnum:20}}", &["OPENAI_API_KEY"]),
    Shape::new("openai-project-key", "openai", "sk-proj-{{b64url:74}}T3BlbkFJ{{b64url:74}}", &["OPENAI_API_KEY"]),
    Shape::new("openai-service-account-key", "openai", "sk-svcacct-{{b64url:74}}T3BlbkFJ{{b64url:74}}", &["OPENAI_API_KEY"]),
    Shape::new("openai-admin-key", "openai", "sk-admin-{{b64url:58}}T3BlbkFJ{{b64url:58}}", &["OPENAI_ADMIN_KEY"]),
    Shape::new("openai-user-key", "openai", "sk-None-{{b64url:58}}T3BlbkFJ{{b64url:58}}", &["OPENAI_API_KEY"]),
    Shape::new("anthropic-api-key", "anthropic", "sk-ant-api03-{{b64url:93}}AA", &["ANTHROPIC_API_KEY"]),
    Shape::new("anthropic-admin-key", "anthropic", "sk-ant-admin01-{{b64url:93}}AA", &["ANTHROPIC_ADMIN_KEY"]),
    Shape::new("anthropic-oauth-access-token", "anthropic", "sk-ant-oat01-{{b64url:93}}AA", &["CLAUDE_CODE_OAUTH_TOKEN"]),
    Shape::new("anthropic-oauth-refresh-token", "anthropic", "sk-ant-ort01-{{b64url:93}}AA", &["CLAUDE_REFRESH_TOKEN"]),
    Shape::new("google-api-key", "google", "AIza{{b64url:35}}", &["GOOGLE_API_KEY", "GEMINI_API_KEY", "FIREBASE_API_KEY"]),
    Shape::new("google-gemini-api-key", "google", "AQ.Ab8RN6{{b64url:44}}", &["GEMINI_API_KEY"]),
    Shape::new("google-service-account-key", "google", "{{hex:40}}", &["GOOGLE_CREDENTIALS", "GCP_SA_KEY", "GOOGLE_APPLICATION_CREDENTIALS_JSON"]).made(ServiceAccount),
    Shape::new("xai-api-key", "xai", "xai-{{alnum:80}}", &["XAI_API_KEY"]),
    Shape::new("groq-api-key", "groq", "gsk_{{alnum:52}}", &["GROQ_API_KEY"]),
    Shape::new("huggingface-access-token", "huggingface", "hf_{{alnum:34}}", &["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"]),
    Shape::new("huggingface-org-token", "huggingface", "api_org_{{alnum:34}}", &["HF_ORG_TOKEN"]),
    Shape::new("anyscale-api-key", "anyscale", "esecret_{{loweralnum:26}}", &["ANYSCALE_API_KEY"]),
    // Cloud and developer services
    Shape::new("aws-access-key-id", "aws", "AKIA{{upperalnum:16}}", &["AWS_ACCESS_KEY_ID"]),
    Shape::new("aws-secret-access-key", "aws", "{{b64:40}}", &["AWS_SECRET_ACCESS_KEY"]).context(),
    Shape::new("github-pat", "github", "ghp_{{alnum:30}}", &["GITHUB_TOKEN", "GH_TOKEN"]).made(Crc32),
    Shape::new("github-oauth-token", "github", "gho_{{alnum:30}}", &["GH_TOKEN", "GITHUB_OAUTH_TOKEN"]).made(Crc32),
    Shape::new("github-user-to-server-token", "github", "ghu_{{alnum:30}}", &["GITHUB_USER_TOKEN", "GH_TOKEN"]).made(Crc32),
    Shape::new("github-server-to-server-token", "github", "ghs_{{alnum:30}}", &["GITHUB_TOKEN", "GITHUB_APP_INSTALLATION_TOKEN"]).made(Crc32),
    Shape::new("github-refresh-token", "github", "ghr_{{alnum:30}}", &["GITHUB_REFRESH_TOKEN"]).made(Crc32),
    Shape::new("github-fine-grained-pat", "github", "github_pat_11{{upperalnum:20}}_{{alnum:59}}", &["GITHUB_TOKEN", "GH_PAT"]),
    Shape::new("gitlab-pat", "gitlab", "glpat-{{b64url:20}}", &["GITLAB_TOKEN", "GL_TOKEN"]),
    Shape::new("gitlab-pat-routable", "gitlab", "glpat-{{b64url:27}}.01.{{loweralnum:9}}", &["GITLAB_TOKEN", "GITLAB_PAT"]),
    Shape::new("npm-access-token", "npm", "npm_{{alnum:30}}", &["NPM_TOKEN", "NODE_AUTH_TOKEN"]).made(Crc32),
    Shape::new("slack-bot-token", "slack", "xoxb-{{digit:12}}-{{digit:13}}-{{alnum:24}}", &["SLACK_BOT_TOKEN"]),
    Shape::new("slack-user-token", "slack", "xoxp-{{digit:12}}-{{digit:13}}-{{digit:13}}-{{hex:32}}", &["SLACK_USER_TOKEN"]),
    Shape::new("slack-workspace-access-token", "slack", "xoxa-2-{{digit:12}}-{{digit:13}}-{{alnum:64}}", &["SLACK_ACCESS_TOKEN"]),
    Shape::new("slack-workspace-refresh-token", "slack", "xoxr-{{digit:12}}-{{digit:13}}-{{alnum:64}}", &["SLACK_REFRESH_TOKEN"]),
    Shape::new("slack-refresh-token", "slack", "xoxe-1-{{alnum:146}}", &["SLACK_REFRESH_TOKEN"]),
    Shape::new("slack-config-token", "slack", "xoxe.xoxp-1-{{alnum:150}}", &["SLACK_CONFIG_TOKEN"]),
    Shape::new("slack-app-token", "slack", "xapp-1-A{{upperalnum:10}}-{{digit:13}}-{{hex:64}}", &["SLACK_APP_TOKEN"]),
    Shape::new("slack-webhook-url", "slack", "https://hooks.slack.com/services/T{{upperalnum:8}}/B{{upperalnum:10}}/{{alnum:24}}", &["SLACK_WEBHOOK_URL"]),
    Shape::new("slack-workflow-webhook-url", "slack", "https://hooks.slack.com/workflows/T{{upperalnum:8}}/A{{upperalnum:10}}/{{digit:18}}/{{alnum:32}}", &["SLACK_WORKFLOW_WEBHOOK"]),
    Shape::new("stripe-secret-key", "stripe", "sk_live_51{{alnum:97}}", &["STRIPE_SECRET_KEY", "STRIPE_API_KEY"]),
    Shape::new("stripe-restricted-key", "stripe", "rk_live_51{{alnum:97}}", &["STRIPE_RESTRICTED_KEY"]),
    Shape::new("sendgrid-api-key", "sendgrid", "SG.{{b64url:22}}.{{b64url:43}}", &["SENDGRID_API_KEY"]),
    Shape::new("twilio-api-key", "twilio", "SK{{hex:32}}", &["TWILIO_API_KEY", "TWILIO_API_KEY_SID"]).context(),
    Shape::new("twilio-auth-token", "twilio", "{{hex:32}}", &["TWILIO_AUTH_TOKEN"]).context(),
    // AI providers of issue 12 (branch `providers`): shapes from providers.md's second table
    // and the providers' key pages (AssemblyAI, Deepgram, DashScope, Exa, Firecrawl,
    // Fireworks, Jina, Mem0, MiniMax, Moonshot, Stability, Tavily, Zhipu docs). Until a rule
    // is built in, its line is skipped.
    Shape::new("amazon-bedrock-api-key", "amazon-bedrock", "ABSKQmVkcm9ja0FQSUtleS{{b64:110}}=", &["AWS_BEARER_TOKEN_BEDROCK"]),
    Shape::new("amazon-bedrock-short-term-api-key", "amazon-bedrock", "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t{{b64:600}}=", &["AWS_BEARER_TOKEN_BEDROCK"]),
    Shape::new("assemblyai-api-key", "assemblyai", "{{hex:32}}", &["ASSEMBLYAI_API_KEY"]).context(),
    Shape::new("cerebras-api-key", "cerebras", "csk-{{loweralnum:48}}", &["CEREBRAS_API_KEY"]),
    Shape::new("dashscope-api-key", "dashscope", "sk-{{hex:32}}", &["DASHSCOPE_API_KEY"]).context(),
    Shape::new("deepgram-api-key", "deepgram", "{{hex:40}}", &["DEEPGRAM_API_KEY"]).context(),
    Shape::new("elevenlabs-api-key", "elevenlabs", "sk_{{hex:48}}", &["ELEVENLABS_API_KEY", "XI_API_KEY"]).context(),
    Shape::new("elevenlabs-api-key-legacy", "elevenlabs", "{{hex:32}}", &["ELEVENLABS_API_KEY", "XI_API_KEY"]).context(),
    Shape::new("exa-api-key", "exa", "{{hex:8}}-{{hex:4}}-4{{hex:3}}-a{{hex:3}}-{{hex:12}}", &["EXA_API_KEY"]).context(),
    Shape::new("firecrawl-api-key", "firecrawl", "fc-{{hex:32}}", &["FIRECRAWL_API_KEY"]),
    Shape::new("fireworks-api-key", "fireworks", "fw_{{alnum:24}}", &["FIREWORKS_API_KEY"]).context(),
    Shape::new("jina-api-key", "jina", "jina_{{hex:32}}{{alnum:28}}", &["JINA_API_KEY"]),
    Shape::new("langfuse-secret-key", "langfuse", "sk-lf-{{hex:8}}-{{hex:4}}-{{hex:4}}-{{hex:4}}-{{hex:12}}", &["LANGFUSE_SECRET_KEY"]),
    Shape::new("langsmith-personal-access-token", "langsmith", "lsv2_pt_{{hex:32}}_{{hex:10}}", &["LANGSMITH_API_KEY"]),
    Shape::new("langsmith-service-key", "langsmith", "lsv2_sk_{{hex:32}}_{{hex:10}}", &["LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"]),
    Shape::new("mem0-api-key", "mem0", "m0-{{alnum:40}}", &["MEM0_API_KEY"]),
    Shape::new("minimax-api-key", "minimax", "sk-api-{{b64url:119}}", &["MINIMAX_API_KEY"]),
    Shape::new("moonshot-api-key", "moonshot", "sk-{{alnum:48}}", &["MOONSHOT_API_KEY"]).context(),
    Shape::new("nvidia-api-key", "nvidia", "nvapi-{{b64url:64}}", &["NVIDIA_API_KEY", "NGC_API_KEY"]),
    Shape::new("openrouter-api-key", "openrouter", "sk-or-v1-{{hex:64}}", &["OPENROUTER_API_KEY"]),
    Shape::new("perplexity-api-key", "perplexity", "pplx-{{alnum:48}}", &["PERPLEXITY_API_KEY", "PPLX_API_KEY"]),
    Shape::new("pinecone-api-key", "pinecone", "pcsk_{{alnum:5}}_{{alnum:63}}", &["PINECONE_API_KEY"]),
    Shape::new("replicate-api-token", "replicate", "r8_{{alnum:37}}", &["REPLICATE_API_TOKEN"]),
    Shape::new("stability-api-key", "stability", "sk-{{alnum:48}}", &["STABILITY_API_KEY"]).context(),
    Shape::new("tavily-api-key", "tavily", "tvly-dev-{{alnum:32}}", &["TAVILY_API_KEY"]),
    Shape::new("together-api-key", "together", "tgp_v1_{{b64url:43}}", &["TOGETHER_API_KEY"]),
    Shape::new("vercel-ai-gateway-key", "vercel", "vck_{{b64url:56}}", &["AI_GATEWAY_API_KEY"]),
    Shape::new("voyage-api-key", "voyage", "pa-{{b64url:43}}", &["VOYAGE_API_KEY"]).context(),
    Shape::new("wandb-api-key", "wandb", "wandb_v1_{{alnum:77}}", &["WANDB_API_KEY"]),
    Shape::new("wandb-api-key-legacy", "wandb", "{{hex:40}}", &["WANDB_API_KEY"]).context(),
    Shape::new("zhipu-api-key", "zhipu", "{{hex:32}}.{{alnum:16}}", &["ZHIPUAI_API_KEY", "ZHIPU_API_KEY"]).context(),
    // Private keys: label | DER head of the body | body length | line width
    Shape::new("private-key-rsa", "private-key", "RSA PRIVATE KEY|MIIEpAIBAAKCAQEA|1570|64", &["JWT_PRIVATE_KEY", "PRIVATE_KEY"]).made(Pem),
    Shape::new("private-key-ec", "private-key", "EC PRIVATE KEY|MHcCAQEEI|218|64", &["TLS_KEY", "EC_PRIVATE_KEY"]).made(Pem),
    Shape::new("private-key-dsa", "private-key", "DSA PRIVATE KEY|MIIBuwIBAAKBgQ|620|64", &["DSA_PRIVATE_KEY", "SSH_HOST_KEY"]).made(Pem),
    Shape::new("private-key-openssh", "private-key", "OPENSSH PRIVATE KEY|b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW|330|70", &["SSH_PRIVATE_KEY", "DEPLOY_KEY"]).made(Pem),
    Shape::new("private-key-pkcs8", "private-key", "PRIVATE KEY|MIIEvgIBADANBgkqhkiG9w0BAQEFAASC|1590|64", &["PRIVATE_KEY", "SIGNING_KEY"]).made(Pem),
    Shape::new("private-key-pkcs8-encrypted", "private-key", "ENCRYPTED PRIVATE KEY|MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI|1680|64", &["ENCRYPTED_PRIVATE_KEY", "SIGNING_KEY"]).made(Pem),
    Shape::new("private-key-pgp", "private-key", "PGP PRIVATE KEY BLOCK|lQVYBG|1800|64", &["GPG_PRIVATE_KEY", "PGP_SECRET_KEY"]).made(Pem),
];

pub fn shape(rule: &str) -> Option<&'static Shape> {
    SHAPES.iter().find(|s| s.rule == rule)
}

/// The rule ids keysift has built in.
pub fn builtin_rules() -> &'static BTreeSet<String> {
    static IDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let rules = RuleSet::builtin().expect("built-in rules load");
        rules.rules().iter().map(|r| r.id.clone()).collect()
    })
}

/// The shapes of rules keysift has built in (lines for rules still on their way are skipped).
pub fn active() -> impl Iterator<Item = &'static Shape> {
    SHAPES.iter().filter(|s| builtin_rules().contains(s.rule))
}

/// The shapes of one provider.
pub fn of_provider(provider: &str) -> Vec<&'static Shape> {
    active().filter(|s| s.provider == provider).collect()
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// CRC32 as 6 base62 digits, most significant first, zero-padded (GitHub's token checksum).
pub fn base62_crc32(body: &str) -> String {
    let mut n = crc32fast::hash(body.as_bytes());
    let mut digits = [b'0'; 6];
    for d in digits.iter_mut().rev() {
        *d = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&digits).into_owned()
}

/// A value of `shape` and the secrets keysift should report in it as (rule, secret): one for
/// most shapes; a service-account file also holds a PKCS#8 private key.
pub fn make(rng: &mut Rng, shape: &Shape) -> (String, Vec<(&'static str, String)>) {
    match shape.make {
        Make::Plain => {
            let v = rng.fill(shape.template);
            (v.clone(), vec![(shape.rule, v)])
        }
        Make::Crc32 => {
            let v = rng.fill(shape.template);
            let body = v.split_once('_').map_or("", |(_, b)| b);
            let v = format!("{v}{}", base62_crc32(body));
            (v.clone(), vec![(shape.rule, v)])
        }
        Make::Pem => {
            let v = pem(rng, shape.template);
            (v.clone(), vec![(shape.rule, v)])
        }
        Make::ServiceAccount => {
            let id = rng.fill(shape.template);
            let key = pem(rng, "PRIVATE KEY|MIIEvQIBADANBgkqhkiG9w0BAQEFAASC|1590|64");
            let project = format!(
                "{}-{}",
                rng.pick(&["billing", "ml-platform", "acme-data", "ingest", "webapp"]),
                rng.fill("{{digit:6}}")
            );
            let json = format!(
                "{{\"type\": \"service_account\", \"project_id\": \"{project}\", \"private_key_id\": \"{id}\", \"private_key\": \"{}\\n\", \"client_email\": \"{}@{project}.iam.gserviceaccount.com\", \"client_id\": \"{}\", \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\", \"token_uri\": \"https://oauth2.googleapis.com/token\"}}",
                key.replace('\n', "\\n"),
                rng.pick(&["deployer", "ci-runner", "terraform", "etl"]),
                rng.fill("{{digit:21}}")
            );
            (json, vec![(shape.rule, id), ("private-key-pkcs8", key)])
        }
    }
}

/// A PEM block from `LABEL|HEAD|LEN|WIDTH`: `LEN` random base64 characters after the DER head,
/// wrapped at `WIDTH`. OpenPGP armor gets its blank line and CRC24 line.
pub fn pem(rng: &mut Rng, spec: &str) -> String {
    let parts: Vec<&str> = spec.split('|').collect();
    let (label, head) = (parts[0], parts[1]);
    let len: usize = parts[2].parse().expect("body length");
    let width: usize = parts[3].parse().expect("line width");
    let body = format!("{head}{}", rng.chars("b64", len));
    let mut lines: Vec<String> = body
        .as_bytes()
        .chunks(width)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let pgp = label.starts_with("PGP");
    if !label.starts_with("OPENSSH")
        && let Some(last) = lines.last_mut()
    {
        last.push('=');
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    if pgp {
        out.push('\n');
    }
    out.push_str(&lines.join("\n"));
    if pgp {
        out.push_str(&format!("\n={}", rng.chars("b64", 4)));
    }
    out.push_str(&format!("\n-----END {label}-----"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the base62 CRC32 used by GitHub-style tokens: the checksum of a
    /// body equals what a decoder (base62 digits back to an integer) reads from its token.
    #[test]
    fn checksum_round_trips() {
        let c = base62_crc32("abcdefghijklmnopqrstuvwxyzABCD");
        let n = c.bytes().fold(0u64, |n, b| {
            n * 62 + BASE62.iter().position(|&x| x == b).expect("base62") as u64
        });
        assert_eq!(
            n,
            u64::from(crc32fast::hash(b"abcdefghijklmnopqrstuvwxyzABCD"))
        );
        assert_eq!(c.len(), 6);
    }
}
