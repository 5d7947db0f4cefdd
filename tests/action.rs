//! The GitHub Action (action.yml) and the example workflow in docs/ and the README: they must
//! lint clean with actionlint, and the action's metadata and scripts must be well formed.
//! Needs `actionlint`, PyYAML and shellcheck, which .ci/run installs.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use tempfile::TempDir;

const EXAMPLE: &str = "docs/example-workflow.yml";
/// How the example refers to the action; a copy for linting uses `./` instead.
const EXAMPLE_USES: &str = "uses: OWNER/keysift@v0.1.0";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

fn run(cmd: &mut Command, what: &str) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {what} ({e}); .ci/run shows how to install it"))
}

fn assert_success(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn actionlint(dir: &Path, files: &[&Path]) -> Output {
    run(
        Command::new("actionlint")
            .current_dir(dir)
            .args(["-no-color"])
            .args(files),
        "actionlint",
    )
}

#[test]
fn action_metadata_is_well_formed_and_its_scripts_pass_shellcheck() {
    let out = run(
        Command::new("python3")
            .arg(root().join("tests/support/check_action.py"))
            .arg(root().join("action.yml")),
        "python3",
    );
    assert_success(&out, "check_action.py");
}

#[test]
fn example_workflow_lints_clean() {
    let out = actionlint(&root(), &[Path::new(EXAMPLE)]);
    assert_success(&out, "actionlint on the example workflow");
}

/// actionlint checks a local action's metadata (`runs.using`) and the inputs a workflow passes
/// to it, so the example is linted once more against this repository's action.yml.
#[test]
fn example_workflow_uses_only_inputs_the_action_defines() {
    let example = read(EXAMPLE);
    assert!(
        example.contains(EXAMPLE_USES),
        "{EXAMPLE} uses {EXAMPLE_USES}"
    );
    let dir = TempDir::new().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::copy(root().join("action.yml"), dir.path().join("action.yml")).unwrap();
    let local = example.replace(EXAMPLE_USES, "uses: ./");
    let wf = Path::new(".github/workflows/keysift.yml");
    std::fs::write(dir.path().join(wf), local).unwrap();
    let out = actionlint(dir.path(), &[wf]);
    assert_success(&out, "actionlint with the local action");

    let broken = example
        .replace(EXAMPLE_USES, "uses: ./")
        .replace("category:", "categoryy:");
    std::fs::write(dir.path().join(wf), broken).unwrap();
    let out = actionlint(dir.path(), &[wf]);
    assert!(
        !out.status.success(),
        "actionlint must reject an unknown input"
    );
}

#[test]
fn readme_shows_the_example_workflow_verbatim() {
    let readme = read("README.md");
    let example = read(EXAMPLE);
    assert!(
        readme.contains(&format!("```yaml\n{example}```\n")),
        "README.md must show {EXAMPLE} verbatim in a ```yaml block"
    );
}

#[test]
fn action_installs_keysift_from_its_own_checkout_with_the_lockfile() {
    let action = read("action.yml");
    assert!(action.contains(r#"cargo install --path "$ACTION_PATH" --locked"#));
    assert!(action.contains("ACTION_PATH: ${{ github.action_path }}"));
    assert!(action.contains("--format sarif"));
}
