//! Loads arbitrary text as a rule file (`--rules`, `keysift rules check`), alone and on top of
//! the built-in rules, then builds the engine and scans the file's own text and examples.
//!
//! Besides "no panic" it checks that errors name a line of the file, that a user file never
//! changes a built-in `[verify]` block nor gets one for its own rules (so no rule file can
//! send another provider's keys anywhere), and that every check that may run sends the key
//! only in a header, with the method and path built in for the provider.

#![no_main]

use std::sync::{Arc, OnceLock};

use keysift::{
    detect::engine::{Engine, Scratch},
    rules::{
        RuleError, RuleSet, expand_template, hosts,
        verify_spec::{Check, KEY_PLACEHOLDER, VerifySpec},
    },
    scan::{ScanOptions, Scanner},
};
use keysift_fuzz::templates_are_small;
use libfuzzer_sys::fuzz_target;

const ORIGIN: &str = "fuzz.toml";

/// Provider id → built-in `[verify]` block.
fn builtin_specs() -> &'static Vec<(String, VerifySpec)> {
    static S: OnceLock<Vec<(String, VerifySpec)>> = OnceLock::new();
    S.get_or_init(|| {
        let set = RuleSet::builtin().expect("built-in rules load");
        let mut ids: Vec<String> = set.rules().iter().map(|r| r.provider.id.clone()).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| set.verify_spec(&id).cloned().map(|s| (id, s)))
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Alone, as `keysift rules check FILE` loads it.
    let mut own = RuleSet::default();
    match own.add_source(ORIGIN, text) {
        // Not a rule file at all: loading it over the built-ins fails at the same step.
        Err(e @ RuleError::Parse { .. }) => return check_error(&e, text),
        Err(e) => check_error(&e, text),
        Ok(()) => {
            check_specs(&own);
            exercise(own, text);
        }
    }
    // On top of the built-ins, as `--rules FILE` loads it.
    let mut set = RuleSet::builtin().expect("built-in rules load");
    match set.add_source(ORIGIN, text) {
        Err(e) => check_error(&e, text),
        Ok(()) => {
            for (id, spec) in builtin_specs() {
                assert_eq!(
                    set.verify_spec(id),
                    Some(spec),
                    "a rule file changed the built-in check of `{id}`"
                );
            }
            for rule in set.rules() {
                if rule.origin == ORIGIN
                    && builtin_specs()
                        .iter()
                        .any(|(id, _)| *id == rule.provider.id)
                {
                    assert!(
                        set.verify_spec_for(rule).is_none(),
                        "user rule `{}` is checked by the built-in `{}` block",
                        rule.id,
                        rule.provider.id
                    );
                }
            }
            check_specs(&set);
        }
    }
});

/// Every check a rule may run: the provider's built-in method and path, the key in a header
/// only, no header the transport owns, nothing that could split a header line.
fn check_specs(set: &RuleSet) {
    for rule in set.rules() {
        let Some(spec) = set.verify_spec_for(rule) else {
            continue;
        };
        let Check::Http(http) = &spec.check else {
            continue;
        };
        let target = hosts::target(&rule.provider.id)
            .unwrap_or_else(|| panic!("`{}` checked without a built-in host", rule.provider.id));
        assert_eq!(
            (http.method, http.path.as_str()),
            (target.method, target.path)
        );
        assert!(!http.path.contains(KEY_PLACEHOLDER));
        assert!(
            http.headers
                .iter()
                .any(|(_, v)| v.contains(KEY_PLACEHOLDER))
        );
        for (name, value) in &http.headers {
            assert!(!name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic()));
            assert!(!name.eq_ignore_ascii_case("host"));
            assert!(value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()));
        }
    }
}

/// An error names the file, and a line that exists in it.
fn check_error(e: &RuleError, text: &str) {
    let message = e.to_string();
    assert!(
        message.starts_with(ORIGIN),
        "error without its file: {message}"
    );
    if let RuleError::Invalid { line, .. } = e {
        let lines = text.lines().count().max(1);
        assert!(
            (1..=lines + 1).contains(line),
            "error names line {line} of {lines}"
        );
    }
}

/// Builds an engine over the rules and scans the file itself and each rule's expanded
/// examples: user regexes and windows must not panic the scan.
fn exercise(set: RuleSet, text: &str) {
    if set.is_empty() {
        return;
    }
    let examples: Vec<String> = set
        .rules()
        .iter()
        .flat_map(|r| r.examples.iter().chain(&r.negative_examples))
        .take(16)
        .filter(|e| templates_are_small(e))
        .map(|e| expand_template(e, 1))
        .collect();
    let Ok(engine) = Engine::new(Arc::new(set)) else {
        return;
    };
    let scanner = Scanner::new(engine, ScanOptions::default());
    let mut scratch = Scratch::default();
    scanner.scan_blob("fuzz/rules.toml", text.as_bytes(), &mut scratch);
    for e in &examples {
        scanner.scan_blob("fuzz/example.env", e.as_bytes(), &mut scratch);
    }
}
