//! Canonical forms at 100%: a value whose own label is the provider's env var or whose call is
//! the provider's client (`MISTRAL_API_KEY=…`, `cohere.Client("…")`, a Kubernetes `- name:` /
//! `value:` pair) is reported whatever random characters it drew, unless it reads as a
//! placeholder. Keys are drawn uniformly by this test's own generator (xorshift), not by the
//! crate's templates. 10,000 keys per form by default; `canonical_forms_100k` (ignored, run
//! by `.ci/run`) draws 100,000.

use std::sync::Arc;

use keysift::detect::engine::{Engine, Scratch};
use keysift::rules::RuleSet;
use keysift::scan::{ScanOptions, Scanner};

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// `n` characters drawn uniformly from `alphabet` (rejection sampling, no modulo bias).
    fn draw(&mut self, alphabet: &[u8], n: usize) -> String {
        let limit = u64::MAX - u64::MAX % alphabet.len() as u64;
        (0..n)
            .map(|_| {
                loop {
                    let r = self.next();
                    if r < limit {
                        break alphabet[(r % alphabet.len() as u64) as usize] as char;
                    }
                }
            })
            .collect()
    }
}

/// (rule, file name, form with `@KEY@` where the key goes, alphabet, length).
const FORMS: &[(&str, &str, &str, &[u8], usize)] = &[
    (
        "mistral-api-key",
        ".env",
        "MISTRAL_API_KEY=@KEY@\n",
        ALNUM,
        32,
    ),
    (
        "mistral-api-key",
        ".env",
        "CODESTRAL_API_KEY=@KEY@\n",
        ALNUM,
        32,
    ),
    (
        "mistral-api-key",
        "app.py",
        "client = Mistral(api_key=\"@KEY@\")\n",
        ALNUM,
        32,
    ),
    (
        "mistral-api-key",
        "deploy.yaml",
        "        env:\n          - name: MISTRAL_API_KEY\n            value: \"@KEY@\"\n",
        ALNUM,
        32,
    ),
    ("cohere-api-key", ".env", "CO_API_KEY=@KEY@\n", ALNUM, 40),
    (
        "cohere-api-key",
        ".env",
        "COHERE_API_KEY=@KEY@\n",
        ALNUM,
        40,
    ),
    (
        "cohere-api-key",
        "app.py",
        "co = cohere.Client(\"@KEY@\")\n",
        ALNUM,
        40,
    ),
    (
        "cohere-api-key",
        "deploy.yaml",
        "  - name: COHERE_API_KEY\n    value: @KEY@\n",
        ALNUM,
        40,
    ),
    (
        "azure-openai-api-key",
        ".env",
        "AZURE_OPENAI_API_KEY=@KEY@\n",
        HEX,
        32,
    ),
    (
        "azure-openai-api-key",
        "app.py",
        "client = AzureOpenAI(api_key=\"@KEY@\", api_version=\"2024-10-21\")\n",
        HEX,
        32,
    ),
    (
        "azure-openai-api-key",
        "app.py",
        "client = AzureOpenAI(\n    api_key=\"@KEY@\",\n)\n",
        HEX,
        32,
    ),
    (
        "azure-openai-api-key",
        "deploy.yaml",
        "  - name: AZURE_OPENAI_API_KEY\n    value: \"@KEY@\"\n",
        HEX,
        32,
    ),
];

/// Scans `keys_per_form` random keys in every form (forms spread over two threads) and fails
/// with every form that missed one.
fn run(keys_per_form: usize) {
    let rules = Arc::new(RuleSet::builtin().expect("built-in rules load"));
    let scanner = Scanner::new(
        Engine::new(rules).expect("engine builds"),
        ScanOptions::default(),
    );
    let failures: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|half| {
                let scanner = &scanner;
                s.spawn(move || {
                    FORMS
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == half)
                        .filter_map(|(i, form)| check(scanner, form, i as u64, keys_per_form))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Scans `n` random keys written in `form`; a message when any is missed.
fn check(
    scanner: &Scanner,
    (rule, file, form, alphabet, len): &(&str, &str, &str, &[u8], usize),
    seed: u64,
    n: usize,
) -> Option<String> {
    let mut scratch = Scratch::default();
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d ^ (seed + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut missed = 0;
    let mut example = None;
    for _ in 0..n {
        let key = rng.draw(alphabet, *len);
        let text = form.replace("@KEY@", &key);
        let found = scanner.scan_text(file, text.as_bytes(), &mut scratch);
        if !found
            .iter()
            .any(|f| f.rule.id == *rule && f.secret.expose() == key)
        {
            missed += 1;
            example.get_or_insert(key);
        }
    }
    (missed > 0).then(|| {
        format!(
            "{rule} in {form:?}: {missed} of {n} missed, e.g. {:?}",
            example.unwrap_or_default()
        )
    })
}

#[test]
fn canonical_forms_10k() {
    run(10_000);
}

#[test]
#[ignore = "100,000 keys per form; .ci/run runs it"]
fn canonical_forms_100k() {
    run(100_000);
}
