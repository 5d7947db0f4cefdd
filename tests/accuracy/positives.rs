//! Labelled positives: every provider in every carrier, under the names people use, with the
//! provider's mention (for prefixless keys) on the key's line or a few lines away.

use super::carriers::{ALL, Carrier, Doc, Lang};
use super::providers::{Provider, provider};
use super::rng::Rng;
use super::shapes::{self, Shape};
use super::tree::{Field, Node, camel, s, upper_snake};
use super::vocab;
use super::{Case, Expected};

/// Unremarkable settings that sit between a key and its mention.
pub fn filler(rng: &mut Rng) -> Field {
    let (k, v): (&str, Node) = match rng.below(16) {
        0 => (
            "port",
            Node::Lit(rng.pick(&["8080", "3000", "8000"]).to_string()),
        ),
        1 => ("log_level", s(rng.pick(&["info", "debug", "warn"]))),
        2 => (
            "timeout",
            Node::Lit(rng.pick(&["30", "60", "120"]).to_string()),
        ),
        3 => ("database_url", s("postgres://app:app@db:5432/app")),
        4 => ("redis_url", s("redis://localhost:6379/0")),
        5 => ("max_tokens", Node::Lit("1024".into())),
        6 => ("temperature", Node::Lit("0.2".into())),
        7 => (
            "environment",
            s(rng.pick(&["production", "staging", "dev"])),
        ),
        8 => (
            "region",
            s(rng.pick(&["eu-west-1", "westeurope", "us-east-1"])),
        ),
        9 => ("retries", Node::Lit("3".into())),
        10 => ("app_name", s("acme-assistant")),
        11 => ("sentry_environment", s("prod")),
        12 => ("cache_ttl", Node::Lit("300".into())),
        13 => ("workers", Node::Lit("4".into())),
        14 => ("tz", s("UTC")),
        _ => ("feature_flags", s("search,chat")),
    };
    Field::new(k, v)
}

/// A secret of a service keysift has no rule for, under the name its docs give it
/// ([`vocab::SERVICE_SECRETS`]). It sits next to labelled keys and must not be reported as one.
pub fn lookalike(rng: &mut Rng) -> Field {
    let (name, shape) = rng.pick(vocab::uncovered_services());
    Field::str(name, &rng.fill(shape))
}

pub fn uuid(rng: &mut Rng) -> String {
    rng.fill("{{hex:8}}-{{hex:4}}-4{{hex:3}}-a{{hex:3}}-{{hex:12}}")
}

/// Fills `{RES}` and `{{class:N}}` in a mention or snippet; `{ID}` becomes a fresh AWS key id,
/// which is itself a labelled secret.
pub fn fill_text(rng: &mut Rng, text: &str, expected: &mut Vec<Expected>) -> String {
    let res = rng
        .pick(&["contoso", "acme-eastus", "ai-prod-swe", "oai-weu-01"])
        .to_string();
    let mut t = text.replace("{RES}", &res);
    if t.contains("{ID}") {
        let id = rng.fill("AKIA{{upperalnum:16}}");
        expected.push(Expected::new("aws", "aws-access-key-id", &id));
        t = t.replace("{ID}", &id);
    }
    rng.fill(&t)
}

#[derive(Clone, Copy, Debug)]
enum Style {
    /// The key under its provider's variable name (`MISTRAL_API_KEY`).
    Named,
    /// The key in a block named after the provider (`mistral: {api_key: ...}`).
    Block,
    /// The key under a generic name, the provider mentioned some lines away.
    Generic,
    /// Client code or a curl command with the key inline.
    Snippet,
}

fn snippets(p: &Provider, lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Python => p.py,
        Lang::Js => p.js,
        Lang::Go => p.go,
        Lang::Rust => p.rust,
        Lang::Java => p.java,
        Lang::Curl => p.curl,
        Lang::Config => &[],
    }
}

/// How far (in fields or lines) a mention sits from the key it explains.
fn distance(rng: &mut Rng) -> usize {
    match rng.below(20) {
        0..=7 => 1,
        8..=13 => 2,
        14..=17 => 3,
        _ => rng.range(4, 5),
    }
}

/// A field whose key or value mentions `p`.
fn mention_field(rng: &mut Rng, p: &Provider, expected: &mut Vec<Expected>) -> Field {
    let (k, v) = rng.pick(p.mentions);
    Field::str(k, &fill_text(rng, v, expected))
}

/// The key name as the carrier's users write it.
fn style_name(rng: &mut Rng, carrier: Carrier, env: &str) -> String {
    if carrier.env_names() || matches!(carrier, Carrier::Rust | Carrier::Java | Carrier::Go) {
        return env.to_string();
    }
    match rng.below(3) {
        0 => env.to_string(),
        1 => env.to_ascii_lowercase(),
        _ => camel(env),
    }
}

/// The fields that carry one key of `p`, and the code that uses it.
struct Binding {
    fields: Vec<Field>,
    code: Vec<String>,
    imports: Vec<String>,
}

fn bind(
    rng: &mut Rng,
    p: &'static Provider,
    carrier: Carrier,
    key: &str,
    kind: &Shape,
    expected: &mut Vec<Expected>,
    allow_snippet: bool,
) -> Binding {
    let lang = carrier.lang();
    let code_snippets = snippets(p, lang);
    let mut styles = vec![Style::Named, Style::Block, Style::Generic];
    if lang != Lang::Config && !code_snippets.is_empty() && allow_snippet {
        styles.extend([Style::Snippet, Style::Snippet]);
        if lang == Lang::Curl {
            styles = vec![Style::Snippet, Style::Snippet, Style::Named, Style::Generic];
        }
    }
    if p.mentions.is_empty() && (!kind.needs_context || p.comments.is_empty()) {
        styles.retain(|s| !matches!(s, Style::Generic));
    }
    // A provider the generator has no entry for is only named by its env names.
    if p.id.is_empty() {
        styles = vec![Style::Named];
    }
    let style = rng.pick(&styles);
    let mut b = Binding {
        fields: Vec::new(),
        code: Vec::new(),
        imports: Vec::new(),
    };
    let mention_needed = kind.needs_context;
    match style {
        Style::Named => {
            let env = rng_env(rng, kind);
            let name = style_name(rng, carrier, env);
            b.fields.push(Field::str(&name, key));
            maybe_use(rng, p, lang, &name, &mut b, expected, false);
        }
        Style::Block => {
            let mut inner = Vec::new();
            for _ in 0..rng.below(3) {
                inner.push(filler(rng));
            }
            let bk = rng.pick(p.block_keys);
            inner.push(Field::str(bk, key));
            if !p.mentions.is_empty() && rng.chance(40) {
                inner.push(mention_field(rng, p, expected));
            }
            for _ in 0..rng.below(2) {
                inner.push(filler(rng));
            }
            if carrier.nests() {
                b.fields.push(Field::new(p.block, Node::Obj(inner)));
            } else {
                // Flat carriers name the block in the variable: MISTRAL_API_KEY.
                for f in inner {
                    let name = format!("{}_{}", upper_snake(p.block), upper_snake(&f.key));
                    b.fields.push(Field::new(&name, f.value));
                }
            }
        }
        Style::Generic => {
            let name = rng.pick(vocab::GENERIC_NAMES).to_string();
            let name = if carrier.env_names() || matches!(lang, Lang::Go | Lang::Rust | Lang::Java)
            {
                upper_snake(&name)
            } else {
                name
            };
            let d = distance(rng);
            let key_field = Field::str(&name, key);
            let with_mention = mention_needed || rng.chance(50);
            let used = with_mention && maybe_use(rng, p, lang, &name, &mut b, expected, true);
            if !with_mention || used {
                b.fields.push(key_field);
            } else if carrier.has_comments() && !p.comments.is_empty() && rng.chance(50) {
                // A comment d lines above the key.
                let text = rng_pick_str(rng, p.comments);
                let c = Some(fill_text(rng, text, expected));
                let mut fields = vec![];
                for _ in 1..d {
                    fields.push(filler(rng));
                }
                fields.push(key_field);
                fields[0].comment = c;
                b.fields.extend(fields);
            } else {
                let m = mention_field(rng, p, expected);
                let mut between = vec![];
                for _ in 1..d {
                    between.push(filler(rng));
                }
                if rng.chance(60) {
                    b.fields.push(m);
                    b.fields.extend(between);
                    b.fields.push(key_field);
                } else {
                    b.fields.push(key_field);
                    b.fields.extend(between);
                    b.fields.push(m);
                }
            }
        }
        Style::Snippet => {
            let t = rng_pick_str(rng, code_snippets);
            let t = t.replace("{K}", key);
            b.code.push(fill_text(rng, &t, expected));
            if lang == Lang::Python && (kind.needs_context || rng.chance(60)) {
                b.imports
                    .extend(p.py_import.iter().take(1).map(|s| s.to_string()));
            }
        }
    }
    b
}

fn rng_env(rng: &mut Rng, kind: &Shape) -> &'static str {
    rng.pick(kind.envs)
}

fn rng_pick_str(rng: &mut Rng, xs: &'static [&'static str]) -> &'static str {
    xs[rng.below(xs.len())]
}

/// Sometimes (always when `needed`) adds code that uses the key through its variable, e.g.
/// `client = Mistral(api_key=API_KEY)` or `curl ... -H "Authorization: Bearer $API_KEY"`.
/// Returns whether it did.
fn maybe_use(
    rng: &mut Rng,
    p: &Provider,
    lang: Lang,
    name: &str,
    b: &mut Binding,
    expected: &mut Vec<Expected>,
    needed: bool,
) -> bool {
    if lang == Lang::Config || (!needed && !rng.chance(40)) {
        return false;
    }
    let usable: Vec<&str> = snippets(p, lang)
        .iter()
        .copied()
        .filter(|t| t.contains("\"{K}\"") || t.contains("'{K}'") || lang == Lang::Curl)
        .filter(|t| !t.contains("{ID}"))
        .collect();
    if usable.is_empty() {
        return false;
    }
    let t = rng.pick(&usable);
    let ident = match lang {
        Lang::Curl => format!("${}", upper_snake(name)),
        Lang::Js | Lang::Go => camel(name),
        Lang::Rust | Lang::Java => upper_snake(name),
        _ => name.to_string(),
    };
    let code = if lang == Lang::Curl {
        t.replace("{K}", &ident)
    } else {
        t.replace("\"{K}\"", &ident).replace("'{K}'", &ident)
    };
    b.code.push(fill_text(rng, &code, expected));
    if lang == Lang::Python {
        b.imports
            .extend(p.py_import.iter().take(1).map(|s| s.to_string()));
    }
    true
}

fn title(rng: &mut Rng, p: &Provider) -> Option<String> {
    if p.comments.is_empty() || rng.chance(50) {
        return None;
    }
    Some(format!("{} quick start", p.comments[0]))
}

/// A value of `shape` and its labels.
pub fn make_key(rng: &mut Rng, shape: &Shape) -> (String, Vec<Expected>) {
    let (value, secrets) = shapes::make(rng, shape);
    let expected = secrets
        .into_iter()
        .map(|(rule, secret)| {
            let provider = shapes::shape(rule).map_or(shape.provider, |s| s.provider);
            Expected::new(provider, rule, &secret)
        })
        .collect();
    (value, expected)
}

/// One file with one key of `shape` in `carrier`.
fn single(rng: &mut Rng, shape: &'static Shape, carrier: Carrier) -> Case {
    let p = provider(shape.provider);
    let (key, mut expected) = make_key(rng, shape);
    // The AWS snippets pair the key id with a secret key; a key id alone goes in settings.
    let allow_snippet = shape.rule != "aws-access-key-id";
    let b = bind(rng, p, carrier, &key, shape, &mut expected, allow_snippet);
    let mut doc = Doc {
        imports: b.imports,
        code: b.code,
        title: title(rng, p),
        ..Doc::default()
    };
    let code_file = carrier.lang() != Lang::Config;
    if !code_file || !doc.code.is_empty() || rng.chance(50) {
        for _ in 0..rng.below(4) {
            doc.tree.push(filler(rng));
        }
    }
    if rng.chance(12) {
        doc.tree.push(lookalike(rng));
    }
    doc.tree.extend(b.fields);
    for _ in 0..rng.below(3) {
        doc.tree.push(filler(rng));
    }
    let path = carrier.path(rng).to_string();
    let text = carrier.render(rng, &doc);
    Case::new(path, text, expected, format!("{}/{carrier:?}", shape.rule))
}

/// Carriers where several providers' keys share one file.
const MULTI: &[Carrier] = &[
    Carrier::Env,
    Carrier::Shell,
    Carrier::Dockerfile,
    Carrier::Compose,
    Carrier::K8s,
    Carrier::Workflow,
    Carrier::Json,
    Carrier::Mcp,
    Carrier::Yaml,
    Carrier::Toml,
    Carrier::Terraform,
    Carrier::Python,
    Carrier::Markdown,
];

/// A file with the keys of 2 to 4 rules, prefixless ones favoured, and look-alikes.
fn multi(rng: &mut Rng) -> Case {
    let carrier = rng.pick(MULTI);
    let pool = [
        "mistral-api-key",
        "cohere-api-key",
        "azure-openai-api-key",
        "deepseek-api-key",
        "openai-project-key",
        "anthropic-api-key",
        "mistral-api-key",
        "cohere-api-key",
        "azure-openai-api-key",
        "twilio-auth-token",
        "aws-secret-access-key",
        "groq-api-key",
        "google-api-key",
        "slack-bot-token",
        "github-pat",
    ];
    let n = rng.range(2, 4);
    let mut chosen: Vec<&str> = Vec::new();
    while chosen.len() < n {
        let id = rng.pick(&pool);
        let provider = |r: &str| shapes::shape(r).map(|s| s.provider);
        if !chosen.iter().any(|c| provider(c) == provider(id)) {
            chosen.push(id);
        }
    }
    let mut expected = Vec::new();
    let mut doc = Doc::default();
    for id in chosen {
        let shape = shapes::shape(id).expect("a shape of the pool");
        let p = provider(shape.provider);
        let (key, labels) = make_key(rng, shape);
        expected.extend(labels);
        let b = bind(rng, p, carrier, &key, shape, &mut expected, false);
        doc.tree.extend(b.fields);
        doc.code.extend(b.code);
        doc.imports.extend(b.imports);
        if rng.chance(30) {
            doc.tree.push(filler(rng));
        }
        if rng.chance(15) {
            doc.tree.push(lookalike(rng));
        }
    }
    let path = carrier.path(rng).to_string();
    let text = carrier.render(rng, &doc);
    Case::new(path, text, expected, format!("multi/{carrier:?}"))
}

pub fn generate(rng: &mut Rng) -> Vec<Case> {
    let mut cases = Vec::new();
    for shape in shapes::active() {
        // Prefixless and context-dependent keys get three times the cases: they are the hard
        // part.
        let reps = if shape.needs_context || shape.rule == "deepseek-api-key" {
            3
        } else {
            1
        };
        for &carrier in ALL {
            if shape.is_pem() && carrier == Carrier::Notebook {
                continue;
            }
            for _ in 0..reps {
                cases.push(single(rng, shape, carrier));
            }
        }
    }
    for _ in 0..80 {
        cases.push(multi(rng));
    }
    cases
}
