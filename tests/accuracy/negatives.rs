//! Hard negatives: files that look like they hold a key and do not. Placeholders and templates,
//! identifiers, hashes and UUIDs next to provider names, lock files, notebook images, minified
//! bundles, prose, near-miss shapes, and keys a user marked as allowed.

use super::Case;
use super::carriers::{ALL, Carrier, Doc, Lang};
use super::positives::{filler, make_key, uuid};
use super::providers::provider;
use super::rng::Rng;
use super::shapes::{self, Shape};
use super::tree::{Field, Node, camel, s, upper_snake};
use super::vocab;

fn case(path: &str, text: String, why: &str) -> Case {
    Case::new(path.to_string(), text, Vec::new(), why.to_string())
}

/// A key-shaped string that no one would issue: the template's random classes replaced by a
/// filler people type (x's, zeros, a sequence, a repeated unit, or a word such as EXAMPLE).
pub fn shaped_placeholder(rng: &mut Rng, template: &str) -> String {
    let mode = rng.below(6);
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").expect("closed template");
        let (class, n) = after[..end].split_once(':').expect("class:N");
        let n: usize = n.parse().expect("length");
        let hexy = matches!(class, "hex" | "HEX" | "digit");
        let body: String = match mode {
            0 => (if class == "HEX" || class == "upper" {
                "X"
            } else {
                "x"
            })
            .repeat(n),
            1 => "0".repeat(n),
            2 => {
                let seq = if hexy {
                    "0123456789abcdef"
                } else {
                    "abcdefghijklmnopqrstuvwxyz0123456789"
                };
                seq.chars().cycle().take(n).collect()
            }
            3 => {
                let unit = if hexy {
                    rng.pick(&["deadbeef", "abcd1234", "1234abcd", "a1b2c3d4"])
                        .to_string()
                } else {
                    let len = rng.range(3, 6);
                    rng.fill(&format!("{{{{{class}:{len}}}}}"))
                };
                unit.chars().cycle().take(n).collect()
            }
            _ if hexy => "0123456789abcdef".chars().cycle().take(n).collect(),
            // A phrase typed over the key's length, as in the AWS IAM guide's
            // `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` or "yourkeyhere" fillers.
            _ => {
                let phrase = rng.pick(&[
                    "EXAMPLEKEY",
                    "yourkeyhere",
                    "YOURAPIKEY",
                    "abc123",
                    "testtest",
                ]);
                phrase.chars().cycle().take(n).collect()
            }
        };
        out.push_str(&body);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A value that stands for a key without being one: a published placeholder
/// ([`vocab::PLACEHOLDERS`]), a documentation example key, a shape-preserving filler, or code
/// that reads the key from the environment.
fn placeholder(rng: &mut Rng, shape: &Shape, env: &str, carrier: Carrier) -> Node {
    let svc = shape.provider.replace('-', "_");
    let v = match rng.below(10) {
        0..=5 => rng
            .pick(vocab::PLACEHOLDERS)
            .replace("{ENV}", env)
            .replace("{env}", &env.to_ascii_lowercase())
            .replace("{svc}", &svc),
        6 => rng.pick(vocab::DOC_EXAMPLE_KEYS).to_string(),
        _ if shape.is_pem() => {
            let label = shape.template.split('|').next().unwrap_or("PRIVATE KEY");
            format!("-----BEGIN {label}-----\n...\n-----END {label}-----")
        }
        _ if shape.make == shapes::Make::ServiceAccount => {
            "{\"type\": \"service_account\", \"private_key_id\": \"<KEY_ID>\"}".to_string()
        }
        _ => shaped_placeholder(rng, shape.template),
    };
    // Code refers to the environment instead of holding the value.
    if rng.chance(30) {
        let expr = match carrier.lang() {
            Lang::Python => Some(format!("os.environ[\"{env}\"]")),
            Lang::Js => Some(format!("process.env.{env}")),
            Lang::Go => Some(format!("os.Getenv(\"{env}\")")),
            Lang::Java => Some(format!("System.getenv(\"{env}\")")),
            Lang::Rust => Some(format!("&std::env::var(\"{env}\")?")),
            _ => None,
        };
        if let Some(e) = expr {
            return Node::Lit(e);
        }
    }
    Node::Str(v)
}

/// Category A: each rule in ten of the carriers, with the key replaced by a placeholder.
fn placeholders(rng: &mut Rng, out: &mut Vec<Case>) {
    for shape in shapes::active() {
        let p = provider(shape.provider);
        for _ in 0..10 {
            let carrier = rng.pick(ALL);
            let env = rng.pick(shape.envs).to_string();
            let mut doc = Doc::default();
            for _ in 0..rng.below(3) {
                doc.tree.push(filler(rng));
            }
            let name = if carrier.env_names() {
                env.clone()
            } else {
                match rng.below(3) {
                    0 => env.clone(),
                    1 => env.to_ascii_lowercase(),
                    _ => camel(&env),
                }
            };
            let value = placeholder(rng, shape, &env, carrier);
            if carrier.lang() == Lang::Curl {
                let shown = match &value {
                    Node::Str(v) if !v.is_empty() => v.clone(),
                    _ => format!("${env}"),
                };
                let t = if p.curl.is_empty() {
                    "curl https://api.example.com/v1/models -H \"Authorization: Bearer {K}\""
                } else {
                    p.curl[rng.below(p.curl.len())]
                };
                doc.code
                    .push(rng.fill(&t.replace("{K}", &shown).replace("{RES}", "contoso")));
            } else {
                doc.tree.push(Field::new(&name, value));
            }
            for _ in 0..rng.below(3) {
                doc.tree.push(filler(rng));
            }
            if rng.chance(50)
                && !p.comments.is_empty()
                && carrier.has_comments()
                && let Some(f) = doc.tree.first_mut()
            {
                f.comment = Some(p.comments[0].to_string());
            }
            let path = carrier.path(rng);
            let text = carrier.render(rng, &doc);
            out.push(case(
                path,
                text,
                &format!("placeholder/{}/{carrier:?}", shape.rule),
            ));
        }
    }
}

/// Words that build camel-case identifiers, some naming providers.
const WORDS: &[&str] = &[
    "Mistral",
    "Cohere",
    "Azure",
    "OpenAI",
    "Client",
    "Config",
    "Builder",
    "Chat",
    "Completion",
    "Request",
    "Response",
    "Embedding",
    "Model",
    "Large",
    "Small",
    "Factory",
    "Provider",
    "Handler",
    "Stream",
    "Options",
    "Async",
    "Default",
    "Instruct",
    "Tokenizer",
    "Rerank",
    "Deployment",
    "Service",
    "Manager",
    "V2",
    "V3",
    "7B",
    "8x7B",
    "2407",
    "2411",
    "Test",
    "Integration",
    "Spec",
    "Mock",
    "Retry",
    "Policy",
    "Settings",
    "Key",
    "Api",
    "Base",
];

/// A camel-case identifier of exactly `len` characters that contains a digit.
fn identifier(rng: &mut Rng, len: usize) -> String {
    loop {
        let mut id = String::new();
        while id.len() < len {
            id.push_str(rng.pick(WORDS));
        }
        if id.len() == len && id.bytes().any(|b| b.is_ascii_digit()) {
            return id;
        }
    }
}

/// A word from the context vocabulary of the prefixless providers.
fn context_word(rng: &mut Rng) -> (&'static str, &'static str) {
    rng.pick(&[
        ("mistral", "MISTRAL"),
        ("cohere", "COHERE"),
        ("azure", "AZURE_OPENAI"),
        ("twilio", "TWILIO"),
        ("aws", "AWS"),
    ])
}

/// Category C: provider names next to values that are not keys.
fn context_near_non_keys(rng: &mut Rng, out: &mut Vec<Case>) {
    for i in 0..260 {
        let (word, env) = context_word(rng);
        // An id or digest field from the formats that carry them, valued in a shape a
        // prefixless key shares.
        let label = rng.pick(vocab::ID_FIELDS);
        let value = match i % 6 {
            0 => uuid(rng),
            1 => rng.fill("{{hex:32}}"),
            2 => rng.fill("{{hex:40}}"),
            3 => uuid(rng).replace('-', ""),
            4 => identifier(rng, 32),
            _ => rng.fill("{{hex:64}}"),
        };
        let carrier = rng.pick(&[
            Carrier::Env,
            Carrier::Yaml,
            Carrier::Json,
            Carrier::Toml,
            Carrier::Python,
            Carrier::K8s,
            Carrier::Compose,
        ]);
        let mut doc = Doc::default();
        let mention = match rng.below(4) {
            0 => Field::str("provider", word),
            1 => Field::str(
                &format!("{}_model", word),
                rng.pick(&["large", "v3", "default"]),
            ),
            2 => Field::str("model", &format!("{word}-large-latest")),
            _ => Field::new(
                &format!("{env}_API_KEY"),
                Node::Str(format!("${{{env}_API_KEY}}")),
            ),
        };
        doc.tree.push(mention);
        for _ in 0..rng.below(2) {
            doc.tree.push(filler(rng));
        }
        let label = if carrier.env_names() {
            upper_snake(label)
        } else {
            label.to_string()
        };
        doc.tree.push(Field::str(&label, &value));
        let path = carrier.path(rng);
        let text = carrier.render(rng, &doc);
        out.push(case(path, text, &format!("context-near-non-key/{label}")));
    }
    // Hugging Face model ids, GGUF files and class names: the words without any key.
    for _ in 0..30 {
        let text = format!(
            "model_id = \"mistralai/Mistral-7B-Instruct-v0.{}\"\nrevision = \"{}\"\nfile = \"mistral-7b-instruct-v0.2.Q4_K_M.gguf\"\nmodel = MistralForCausalLM.from_pretrained(model_id, revision=revision)\ntokenizer = AutoTokenizer.from_pretrained(\"CohereForAI/c4ai-command-r-v01\")\n",
            rng.range(1, 3),
            rng.fill("{{hex:40}}")
        );
        out.push(case("train.py", text, "model-ids"));
    }
}

/// A camel-case identifier of exactly `len` characters with a digit, first word lower-case
/// half of the time (`mistralChatStream2411Options...`).
fn camel_identifier(rng: &mut Rng, len: usize) -> String {
    let id = identifier(rng, len);
    if rng.chance(50) {
        let mut cs = id.chars();
        let first = cs.next().map(|c| c.to_ascii_lowercase());
        first.into_iter().chain(cs).collect()
    } else {
        id
    }
}

/// Category C2: identifiers of key length in code that uses the providers' SDKs: class names,
/// imports, calls, without a label to tell them apart.
fn identifiers_in_code(rng: &mut Rng, out: &mut Vec<Case>) {
    for i in 0..120 {
        let (word, env) = context_word(rng);
        let len = if i % 3 == 0 { 40 } else { 32 };
        let a = camel_identifier(rng, len);
        let b = camel_identifier(rng, len);
        let (path, text) = match i % 4 {
            0 => (
                "src/llm/adapter.py",
                format!(
                    "from {word}.models import {a}\n\n\nclass {b}(Base):\n    \"\"\"Adapter for the {word} client.\"\"\"\n\n    def run(self):\n        return {a}(self.client)\n"
                ),
            ),
            1 => (
                "src/client.ts",
                format!(
                    "import {{ {a} }} from \"@{word}/sdk\";\n\nexport class {b} implements {a} {{\n  constructor(private readonly key = process.env.{env}_API_KEY) {{}}\n}}\n"
                ),
            ),
            2 => (
                "internal/llm/client.go",
                format!(
                    "package llm\n\n// {a} wraps the {word} API.\ntype {a} struct {{\n\tclient *{word}.Client\n}}\n\nfunc {b}() *{a} {{ return nil }}\n"
                ),
            ),
            _ => (
                "src/main/java/com/acme/Llm.java",
                format!(
                    "package com.acme;\n\nimport dev.{word}.{a};\n\npublic class {b} {{\n    private final {a} client = new {a}(System.getenv(\"{env}_API_KEY\"));\n}}\n"
                ),
            ),
        };
        out.push(case(path, text, "identifier-in-code"));
    }
}

/// Category B: key-shaped random values with no provider anywhere in the file.
fn tokens_without_context(rng: &mut Rng, out: &mut Vec<Case>) {
    for i in 0..120 {
        let value = match i % 4 {
            0 => rng.fill("{{alnum:32}}"),
            1 => rng.fill("{{alnum:40}}"),
            2 => rng.fill("{{hex:32}}"),
            _ => rng.fill("{{b64:40}}"),
        };
        let carrier = rng.pick(&[
            Carrier::Env,
            Carrier::Yaml,
            Carrier::Json,
            Carrier::Python,
            Carrier::JavaScript,
            Carrier::Go,
            Carrier::K8s,
        ]);
        let mut doc = Doc::default();
        for _ in 0..rng.below(3) {
            doc.tree.push(filler(rng));
        }
        let name = rng.pick(vocab::GENERIC_NAMES);
        doc.tree.push(Field::str(name, &value));
        for _ in 0..rng.below(3) {
            doc.tree.push(filler(rng));
        }
        let path = carrier.path(rng);
        let text = carrier.render(rng, &doc);
        out.push(case(path, text, "no-context"));
    }
}

/// Category D: lock files of projects that depend on the providers' SDKs.
fn lockfiles(rng: &mut Rng, out: &mut Vec<Case>) {
    let pkgs = [
        ("@mistralai/mistralai", "mistralai"),
        ("cohere-ai", "cohere"),
        ("@azure/openai", "azure-ai-inference"),
        ("openai", "openai"),
        ("twilio", "twilio"),
        ("@aws-sdk/client-s3", "boto3"),
    ];
    for i in 0..70 {
        let (npm, py) = rng.pick(&pkgs);
        let ver = format!(
            "{}.{}.{}",
            rng.range(0, 5),
            rng.range(0, 30),
            rng.range(0, 9)
        );
        let sha512 = rng.fill("{{b64:86}}==");
        let (path, text) = match i % 10 {
            0 => (
                "package-lock.json",
                format!(
                    "{{\n  \"name\": \"app\",\n  \"lockfileVersion\": 3,\n  \"packages\": {{\n    \"node_modules/{npm}\": {{\n      \"version\": \"{ver}\",\n      \"resolved\": \"https://registry.npmjs.org/{npm}/-/{}-{ver}.tgz\",\n      \"integrity\": \"sha512-{sha512}\"\n    }}\n  }}\n}}\n",
                    npm.rsplit('/').next().unwrap_or(npm)
                ),
            ),
            1 => (
                "yarn.lock",
                format!(
                    "\"{npm}@^{ver}\":\n  version \"{ver}\"\n  resolved \"https://registry.yarnpkg.com/{npm}/-/x-{ver}.tgz#{}\"\n  integrity sha512-{sha512}\n",
                    rng.fill("{{hex:40}}")
                ),
            ),
            2 => (
                "pnpm-lock.yaml",
                format!(
                    "lockfileVersion: '9.0'\npackages:\n  {npm}@{ver}:\n    resolution: {{integrity: sha512-{sha512}}}\n"
                ),
            ),
            3 => (
                "Cargo.lock",
                format!(
                    "[[package]]\nname = \"mistralai-client\"\nversion = \"{ver}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{}\"\n",
                    rng.fill("{{hex:64}}")
                ),
            ),
            4 => (
                "poetry.lock",
                format!(
                    "[[package]]\nname = \"{py}\"\nversion = \"{ver}\"\nfiles = [\n    {{file = \"{py}-{ver}-py3-none-any.whl\", hash = \"sha256:{}\"}},\n    {{file = \"{py}-{ver}.tar.gz\", hash = \"md5:{}\"}},\n]\n",
                    rng.fill("{{hex:64}}"),
                    rng.fill("{{hex:32}}")
                ),
            ),
            5 => (
                "go.sum",
                format!(
                    "github.com/cohere-ai/cohere-go/v2 v2.{}.0 h1:{}=\ngithub.com/gage-technologies/mistral-go v1.1.0/go.mod h1:{}=\n",
                    rng.range(1, 12),
                    rng.fill("{{b64:43}}"),
                    rng.fill("{{b64:43}}")
                ),
            ),
            6 => (
                "uv.lock",
                format!(
                    "[[package]]\nname = \"{py}\"\nversion = \"{ver}\"\nsdist = {{ url = \"https://files.pythonhosted.org/packages/{}/{py}-{ver}.tar.gz\", hash = \"sha256:{}\" }}\n",
                    rng.fill("{{hex:2}}/{{hex:2}}/{{hex:60}}"),
                    rng.fill("{{hex:64}}")
                ),
            ),
            7 => (
                "Pipfile.lock",
                format!(
                    "{{\n    \"default\": {{\n        \"{py}\": {{\n            \"hashes\": [\n                \"sha256:{}\"\n            ],\n            \"version\": \"=={ver}\"\n        }}\n    }},\n    \"_meta\": {{\"hash\": {{\"sha256\": \"{}\"}}}}\n}}\n",
                    rng.fill("{{hex:64}}"),
                    rng.fill("{{hex:64}}")
                ),
            ),
            8 => (
                "composer.lock",
                format!(
                    "{{\n    \"content-hash\": \"{}\",\n    \"packages\": [{{\"name\": \"azure-openai/client\", \"dist\": {{\"shasum\": \"{}\"}}}}]\n}}\n",
                    rng.fill("{{hex:32}}"),
                    rng.fill("{{hex:40}}")
                ),
            ),
            _ => (
                ".terraform.lock.hcl",
                format!(
                    "provider \"registry.terraform.io/hashicorp/azurerm\" {{\n  version     = \"{ver}\"\n  constraints = \"~> 4.0\"\n  hashes = [\n    \"h1:{}=\",\n    \"zh:{}\",\n  ]\n}}\n",
                    rng.fill("{{b64:43}}"),
                    rng.fill("{{hex:64}}")
                ),
            ),
        };
        out.push(case(path, text, "lockfile"));
    }
    // A requirements file pinned with hashes.
    for _ in 0..10 {
        let text = format!(
            "mistralai==1.2.3 \\\n    --hash=sha256:{}\ncohere==5.11.0 \\\n    --hash=sha256:{}\n",
            rng.fill("{{hex:64}}"),
            rng.fill("{{hex:64}}")
        );
        out.push(case("requirements.txt", text, "requirements-hashes"));
    }
}

/// A base64 PNG of about `n` bytes of payload.
fn png_b64(rng: &mut Rng, n: usize) -> String {
    format!(
        "iVBORw0KGgoAAAANSUhEUgAA{}",
        rng.fill(&format!("{{{{b64:{n}}}}}"))
    )
}

/// Category E: notebooks whose outputs hold base64 images, next to provider code without keys.
fn notebooks(rng: &mut Rng, out: &mut Vec<Case>) {
    for i in 0..70 {
        let (word, env) = context_word(rng);
        let size = rng.range(800, 4000);
        let img = png_b64(rng, size);
        let image = if i % 2 == 0 {
            format!("\"{img}\"")
        } else {
            // Older writers split the data into 76-character lines.
            let parts: Vec<String> = img
                .as_bytes()
                .chunks(76)
                .map(|c| format!("\"{}\\n\"", String::from_utf8_lossy(c)))
                .collect();
            format!("[\n      {}\n     ]", parts.join(",\n      "))
        };
        let text = format!(
            r#"{{
 "cells": [
  {{
   "cell_type": "code",
   "execution_count": 3,
   "id": "{cell}",
   "metadata": {{}},
   "outputs": [
    {{
     "data": {{
      "image/png": {image},
      "text/plain": [
       "<Figure size 640x480 with 1 Axes>"
      ]
     }},
     "metadata": {{}},
     "output_type": "display_data"
    }}
   ],
   "source": [
    "import os\n",
    "from {word} import Client\n",
    "client = Client(api_key=os.environ[\"{env}_API_KEY\"])\n",
    "plot_scores(client, \"{word}\")\n"
   ]
  }}
 ],
 "metadata": {{"colab": {{"provenance": []}}, "kernelspec": {{"name": "python3"}}}},
 "nbformat": 4,
 "nbformat_minor": 5
}}
"#,
            cell = rng.fill("{{hex:8}}")
        );
        out.push(case("notebooks/eval.ipynb", text, "notebook-image"));
    }
}

/// Category F: minified bundles that mention providers and carry hashes and data URIs.
fn minified(rng: &mut Rng, out: &mut Vec<Case>) {
    for _ in 0..50 {
        let (word, _) = context_word(rng);
        let mut line = String::from("!function(){\"use strict\";");
        for j in 0..rng.range(30, 80) {
            let piece = match rng.below(9) {
                0 => format!(
                    "var {}=\"{}\";",
                    rng.fill("{{alpha:1}}"),
                    rng.fill("{{hex:32}}")
                ),
                1 => format!("e.exports={{name:\"{word}\",version:\"1.{j}.0\"}};"),
                2 => {
                    let size = rng.range(100, 400);
                    format!("t.src=\"data:image/png;base64,{}\";", png_b64(rng, size))
                }
                3 => format!(
                    "n.p+\"static/js/{}.{}.chunk.js\";",
                    rng.range(100, 999),
                    rng.fill("{{hex:8}}")
                ),
                4 => format!(
                    "function {}(e,t){{return e&&t?e.{}(t):null}}",
                    rng.fill("{{alpha:2}}"),
                    rng.fill("{{alpha:3}}")
                ),
                5 => format!("const r=new URL(\"https://api.{word}.ai/v1/chat\");"),
                6 => format!("integrity:\"sha384-{}\",", rng.fill("{{b64:64}}")),
                7 => format!("i[\"{}\"]=function(e){{}};", rng.fill("{{hex:32}}")),
                _ => format!(
                    "var o={{{}:\"{}\"}};",
                    rng.fill("{{alpha:1}}"),
                    identifier(rng, 32)
                ),
            };
            line.push_str(&piece);
        }
        line.push_str("}();\n//# sourceMappingURL=main.js.map\n");
        out.push(case("dist/assets/index.min.js", line, "minified"));
    }
}

/// Category G: prose and docs: sk-learn, placeholder instructions, changelogs with SHAs.
fn prose(rng: &mut Rng, out: &mut Vec<Case>) {
    for i in 0..90 {
        let text = match i % 6 {
            0 => "We compared our model against sk-learn baselines (scikit-learn, a.k.a. sk-learn).\nInstall with `pip install scikit-learn`; sk-learn-contrib has more.\n".to_string(),
            1 => {
                let p = provider(rng.pick(&["mistral", "cohere", "azure-openai", "deepseek", "openai"]));
                let env = shapes::of_provider(p.id)[0].envs[0];
                format!(
                    "## Configuration\n\nSet `{env}` to the key from your {} console, e.g.\n\n```sh\nexport {env}=\"<your key>\"\n```\n\nNever commit the key; keys look like `sk-...` or a 32-character string.\n",
                    p.comments.first().unwrap_or(&p.id)
                )
            }
            2 => {
                let mut s = String::from("# Changelog\n\n## 1.4.0\n\n");
                for _ in 0..rng.range(3, 8) {
                    s.push_str(&format!(
                        "- {} {} ({})\n",
                        rng.pick(&["Fix", "Add", "Improve"]),
                        rng.pick(&["Mistral streaming", "Cohere rerank support", "Azure OpenAI retries", "DeepSeek reasoning output"]),
                        rng.fill("{{hex:40}}")
                    ));
                }
                s
            }
            3 => format!(
                "commit {}\nAuthor: Dev <dev@acme.io>\nDate:   Mon Jan 6 10:00:00 2025 +0100\n\n    Switch embeddings to cohere embed-v3\n\ndiff --git a/app.py b/app.py\nindex {}..{} 100644\n",
                rng.fill("{{hex:40}}"),
                rng.fill("{{hex:7}}"),
                rng.fill("{{hex:7}}")
            ),
            4 => format!(
                "Azure OpenAI deployment `{}` in resource contoso (subscription {}).\nThe api-key header carries the key; see the portal's Keys and Endpoint page.\n",
                rng.pick(&["gpt-4o", "gpt-35-turbo"]),
                uuid(rng)
            ),
            _ => format!(
                "| provider | env var | example |\n|---|---|---|\n| Mistral | `MISTRAL_API_KEY` | `{}` |\n| Cohere | `CO_API_KEY` | `<your-key>` |\n| DeepSeek | `DEEPSEEK_API_KEY` | `sk-...` |\n",
                shaped_placeholder(rng, "{{alnum:32}}")
            ),
        };
        out.push(case(
            rng.pick(&["README.md", "docs/providers.md", "CHANGELOG.md"]),
            text,
            "prose",
        ));
    }
}

/// Category H: real-looking keys on lines that carry an inline allow comment.
fn inline_allowed(rng: &mut Rng, out: &mut Vec<Case>) {
    let markers = [
        "keysift:allow",
        "gitleaks:allow",
        "pragma: allowlist secret",
    ];
    let one_line: Vec<&Shape> = shapes::active()
        .filter(|s| s.make != shapes::Make::Pem && s.make != shapes::Make::ServiceAccount)
        .collect();
    for i in 0..90 {
        let shape = one_line[i % one_line.len()];
        let (key, labels) = make_key(rng, shape);
        let env = shape.envs[0];
        let marker = markers[i % markers.len()];
        let text = match i % 3 {
            0 => format!("{env}={key}  # {marker}\n"),
            1 => format!("const {} = \"{key}\"; // {marker}\n", camel(env)),
            _ => format!("{}: \"{key}\"  # {marker}\n", env.to_ascii_lowercase()),
        };
        out.push(Case {
            allowed: labels,
            ..case(".env.test", text, "inline-allow")
        });
    }
}

/// Category I: near-miss shapes next to the right context.
fn near_misses(rng: &mut Rng, out: &mut Vec<Case>) {
    for i in 0..140 {
        let (env, value) = match i % 14 {
            0 => ("MISTRAL_API_KEY", rng.fill("{{alnum:31}}")),
            1 => ("MISTRAL_API_KEY", rng.fill("{{alnum:33}}")),
            2 => ("MISTRAL_API_KEY", rng.fill("{{hex:32}}")),
            3 => ("COHERE_API_KEY", rng.fill("{{alnum:39}}")),
            4 => ("COHERE_API_KEY", rng.fill("{{hex:40}}")),
            5 => ("AZURE_OPENAI_API_KEY", rng.fill("{{hex:31}}")),
            6 => ("AZURE_OPENAI_API_KEY", rng.fill("{{alnum:32}}")),
            7 => ("DEEPSEEK_API_KEY", rng.fill("sk-{{HEX:32}}")),
            8 => ("DEEPSEEK_API_KEY", rng.fill("sk-{{hex:31}}")),
            9 => ("STRIPE_SECRET_KEY", rng.fill("sk_test_{{alnum:24}}")),
            10 => ("MISTRAL_API_KEY", rng.fill("{{alnum:32}}_{{alnum:4}}")),
            11 => ("TZ", "ASIA/TOKYO".to_string()),
            // One digit short of an OpenRouter key: neither OpenRouter's nor DeepSeek's.
            12 => ("OPENROUTER_API_KEY", rng.fill("sk-or-v1-{{hex:63}}")),
            _ => (
                "MISTRAL_MODEL_URL",
                rng.fill("https://files.acme.io/{{alnum:32}}/mistral.gguf"),
            ),
        };
        let carrier = rng.pick(&[Carrier::Env, Carrier::Yaml, Carrier::Python, Carrier::K8s]);
        let mut doc = Doc::default();
        doc.tree.push(Field::str(env, &value));
        let path = carrier.path(rng);
        let text = carrier.render(rng, &doc);
        out.push(case(path, text, &format!("near-miss/{env}")));
    }
}

/// Category J: other services' secrets in files that also configure a prefixless provider
/// through the environment.
fn other_secrets(rng: &mut Rng, out: &mut Vec<Case>) {
    for _ in 0..240 {
        let (word, env) = context_word(rng);
        let carrier = rng.pick(&[Carrier::Env, Carrier::Compose, Carrier::K8s, Carrier::Yaml]);
        let mut doc = Doc::default();
        doc.tree.push(Field::new(
            &format!("{env}_API_KEY"),
            s(&format!("${{{env}_API_KEY}}")),
        ));
        if rng.chance(50) {
            doc.tree.push(Field::str("llm_provider", word));
        }
        let (name, shape) = rng.pick(vocab::uncovered_services());
        let value = rng.fill(shape);
        doc.tree.push(filler(rng));
        doc.tree.push(Field::str(name, &value));
        let path = carrier.path(rng);
        let text = carrier.render(rng, &doc);
        out.push(case(path, text, &format!("other-secret/{name}")));
    }
}

/// Category K: a private key's placeholders and public halves.
fn key_material(rng: &mut Rng, out: &mut Vec<Case>) {
    for i in 0..20 {
        let text = match i % 4 {
            0 => "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n"
                .to_string(),
            1 => format!(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} dev@laptop\n",
                rng.fill("{{b64:43}}")
            ),
            2 => shapes::pem(
                rng,
                "PUBLIC KEY|MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA|340|64",
            ),
            _ => format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                rng.fill("{{b64:64}}\n{{b64:64}}\n{{b64:40}}")
            ),
        };
        out.push(case("certs/README.md", text, "public-key-material"));
    }
}

pub fn generate(rng: &mut Rng) -> Vec<Case> {
    let mut out = Vec::new();
    placeholders(rng, &mut out);
    context_near_non_keys(rng, &mut out);
    identifiers_in_code(rng, &mut out);
    tokens_without_context(rng, &mut out);
    lockfiles(rng, &mut out);
    notebooks(rng, &mut out);
    minified(rng, &mut out);
    prose(rng, &mut out);
    inline_allowed(rng, &mut out);
    near_misses(rng, &mut out);
    other_secrets(rng, &mut out);
    key_material(rng, &mut out);
    out
}
