//! Every built-in rule against its own examples and negative examples.

use std::sync::Arc;

mod common;

use common::LLM_PROVIDERS;
use keysift::detect::check::check_rules;
use keysift::rules::RuleSet;

#[test]
fn every_builtin_rule_passes_its_examples() {
    let set = Arc::new(RuleSet::builtin().expect("built-in rules load"));
    let failures = check_rules(Arc::clone(&set)).expect("engine builds");
    for f in &failures {
        eprintln!("{}: {}: {} in {:?}", f.origin, f.rule, f.problem, f.example);
    }
    assert!(failures.is_empty(), "{} example failures", failures.len());
}

#[test]
fn every_rule_has_examples_both_ways_and_a_remediation() {
    let set = RuleSet::builtin().expect("built-in rules load");
    for r in set.rules() {
        assert!(r.examples.len() >= 2, "{}: needs two examples", r.id);
        assert!(
            !r.negative_examples.is_empty(),
            "{}: needs a negative example",
            r.id
        );
        assert!(
            !r.remediation.trim().is_empty(),
            "{}: needs a remediation",
            r.id
        );
        assert!(
            !r.provider.revoke.trim().is_empty(),
            "{}: needs a revoke hint",
            r.id
        );
        assert!(
            !r.references.is_empty(),
            "{}: needs a reference documenting its shape",
            r.id
        );
    }
}

#[test]
fn every_table_provider_is_covered() {
    let set = RuleSet::builtin().expect("built-in rules load");
    let others = [
        "aws",
        "github",
        "gitlab",
        "slack",
        "stripe",
        "npm",
        "sendgrid",
        "twilio",
        "private-key",
        // AI services of issue 12: routers, inference clouds, observability, vector stores,
        // speech, image and agent tools.
        "openrouter",
        "perplexity",
        "replicate",
        "together",
        "fireworks",
        "cerebras",
        "nvidia",
        "langsmith",
        "langfuse",
        "pinecone",
        "voyage",
        "elevenlabs",
        "amazon-bedrock",
        "wandb",
        "vercel",
        "moonshot",
        "minimax",
        "zhipu",
        "stability",
        "deepgram",
        "assemblyai",
        "jina",
        "tavily",
        "firecrawl",
        "exa",
        "mem0",
        "dashscope",
    ];
    for p in LLM_PROVIDERS.iter().chain(&others) {
        assert!(
            set.rules().iter().any(|r| r.provider.id == *p),
            "no rule for provider {p}"
        );
    }
}
