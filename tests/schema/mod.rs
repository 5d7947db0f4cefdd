//! JSON Schema validation for the tests, in Rust: the schemas vendored in `tests/data` (its
//! README says where each comes from), compiled with format assertions on, so URIs and
//! date-times are checked and not only shapes.
#![allow(dead_code)]

use std::path::Path;

use jsonschema::Validator;
use serde_json::Value;

/// Compiles `tests/data/FILE` with format checks.
///
/// The schema is evaluated as draft-07 whatever its `$schema` says: the OASIS SARIF schema
/// declares draft-04, which predates the `uri-reference` format, so a draft-04 validator skips
/// the check on every artifact URI. The only keywords whose meaning changed between those
/// drafts, `exclusiveMinimum`/`exclusiveMaximum`, appear in none of them, so draft-07 checks
/// the same shapes plus the formats. (The GitHub schemas are draft-07 already.)
pub fn validator(file: &str) -> Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {file}: {e}"));
    let mut schema: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"));
    schema["$schema"] = "http://json-schema.org/draft-07/schema#".into();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{file} does not compile: {e}"))
}

/// Every violation of `doc`, as `/instance/path: message`.
pub fn errors(validator: &Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Panics with every violation when `doc` does not validate.
pub fn assert_valid(validator: &Validator, doc: &Value, what: &str) {
    let errors = errors(validator, doc);
    assert!(
        errors.is_empty(),
        "{what} does not validate:\n{}",
        errors.join("\n")
    );
}

/// Reads a YAML file of this repository as JSON, the data model the GitHub schemas describe.
/// YAML 1.2 core schema, as GitHub reads workflows: `on:` stays a string key.
pub fn yaml_file(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {rel}: {e}"));
    yaml(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Parses YAML text into JSON values.
pub fn yaml(text: &str) -> Result<Value, serde_norway::Error> {
    serde_norway::from_str(text)
}
