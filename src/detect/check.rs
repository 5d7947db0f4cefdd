//! Runs every rule against its own examples: each expanded example must yield exactly one
//! finding, of that rule (with its checksum holding, for rules whose keys carry one); each
//! negative example none of that rule. Used by the test suite for
//! the built-in rules and by `keysift rules check FILE` for users' own.

use std::sync::Arc;

use super::engine::{Engine, EngineError, Scratch};
use crate::rules::{RuleSet, expand_template};

/// One example that did not behave.
#[derive(Debug)]
pub struct RuleCheckFailure {
    pub rule: String,
    pub origin: String,
    /// The expanded example; it is synthetic, so showing it leaks nothing.
    pub example: String,
    pub problem: String,
}

/// The seed of example `index` of `rule`: fixed, so failures reproduce.
fn seed(rule: &str, index: usize) -> u64 {
    rule.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    }) ^ index as u64
}

pub fn check_rules(rules: Arc<RuleSet>) -> Result<Vec<RuleCheckFailure>, EngineError> {
    let engine = Engine::new(Arc::clone(&rules))?;
    let mut scratch = Scratch::default();
    let mut failures = Vec::new();
    for rule in rules.rules() {
        let mut fail = |example: &str, problem: String| {
            failures.push(RuleCheckFailure {
                rule: rule.id.clone(),
                origin: rule.origin.clone(),
                example: example.to_string(),
                problem,
            })
        };
        if let Err(e) = rule.compiled() {
            fail("", e.to_string());
            continue;
        }
        for (i, t) in rule.examples.iter().enumerate() {
            let ex = expand_template(t, seed(&rule.id, i));
            let hits = engine.scan(ex.as_bytes(), &mut scratch);
            let found: Vec<String> = hits
                .iter()
                .map(|c| rules.rules()[c.rule].id.clone())
                .collect();
            if found != [rule.id.clone()] {
                fail(
                    &ex,
                    format!("expected one finding of this rule, got {found:?}"),
                );
            } else if hits[0].checksum == Some(false) {
                // An example is a real key's shape: `{{base62-crc32:N}}` makes one that passes.
                fail(&ex, "the example's checksum fails".to_string());
            }
        }
        for (i, t) in rule.negative_examples.iter().enumerate() {
            let ex = expand_template(t, seed(&rule.id, 1000 + i));
            let hits = engine.scan(ex.as_bytes(), &mut scratch);
            if hits.iter().any(|c| rules.rules()[c.rule].id == rule.id) {
                fail(&ex, "negative example matched".to_string());
            }
        }
    }
    Ok(failures)
}
