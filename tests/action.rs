//! The GitHub Action (action.yml) and the example workflow in docs/ and the README. In Rust:
//! both validate against SchemaStore's schemas (tests/data), every `${{ inputs.X }}` and
//! `steps.Y.outputs.Z` the action uses resolves, no script expands `${{ }}` inline, and the
//! example passes only inputs the action defines. Ignored, for `.ci/run`: actionlint on the
//! workflows and shellcheck on the action's scripts.

mod schema;

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;
use tempfile::TempDir;

const ACTION: &str = "action.yml";
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

fn steps(action: &Value) -> &Vec<Value> {
    action["runs"]["steps"].as_array().expect("runs.steps")
}

/// The leading name (letters, digits, `_`, `-`) of `s`.
fn name(s: &str) -> &str {
    let end = s
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-')
        .unwrap_or(s.len());
    &s[..end]
}

/// What follows each `prefix` in `text` that starts a context name, such as `path }}` after
/// `inputs.` in `${{ inputs.path }}` (not after `github.inputs.`).
fn after<'t>(text: &'t str, prefix: &str) -> Vec<&'t str> {
    text.match_indices(prefix)
        .filter(|(at, _)| {
            text[..*at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_' && c != '.')
        })
        .map(|(at, _)| &text[at + prefix.len()..])
        .collect()
}

/// `(step, output)` for each `steps.STEP.outputs.OUTPUT` in `text`; output is "" when the
/// reference is to something else of the step (such as `steps.x.outcome`).
fn step_refs(text: &str) -> Vec<(&str, &str)> {
    after(text, "steps.")
        .into_iter()
        .map(|rest| {
            let id = name(rest);
            let output = rest[id.len()..].strip_prefix(".outputs.").map_or("", name);
            (id, output)
        })
        .collect()
}

/// The outputs a `run:` script sets with `echo "NAME=..." >> "$GITHUB_OUTPUT"`.
fn outputs_written(script: &str) -> BTreeSet<&str> {
    script
        .lines()
        .filter(|l| l.contains(r#">> "$GITHUB_OUTPUT""#))
        .filter_map(|l| l.split_once(r#"echo ""#)?.1.split_once('='))
        .map(|(name, _)| name)
        .collect()
}

/// What GitHub's metadata syntax and this action's safety rules demand beyond the schema;
/// returns one line per problem.
fn action_problems(action: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let inputs = action["inputs"].as_object().expect("inputs");
    for (name, spec) in inputs {
        if spec["description"].as_str().is_none_or(str::is_empty) {
            problems.push(format!("input {name}: no description"));
        }
        if spec.get("default").is_some_and(|d| !d.is_string()) {
            problems.push(format!("input {name}: default is not a string"));
        }
    }
    if action["runs"]["using"] != "composite" {
        problems.push("runs.using is not composite".into());
    }
    // Outputs each step sets; None for a `uses:` step, whose outputs are not known here.
    let mut step_outputs: BTreeMap<&str, Option<BTreeSet<&str>>> = BTreeMap::new();
    for step in steps(action) {
        if let Some(id) = step["id"].as_str() {
            step_outputs.insert(id, step["run"].as_str().map(outputs_written));
        }
    }
    let check_refs = |where_: &str, text: &str, problems: &mut Vec<String>| {
        for input in after(text, "inputs.").into_iter().map(name) {
            if !inputs.contains_key(input) {
                problems.push(format!("{where_}: unknown input {input}"));
            }
        }
        for (id, output) in step_refs(text) {
            match step_outputs.get(id) {
                None => problems.push(format!("{where_}: unknown step {id}")),
                Some(Some(known)) if !output.is_empty() && !known.contains(output) => {
                    problems.push(format!("{where_}: step {id} never sets {output}"))
                }
                _ => {}
            }
        }
    };
    let mut uploads = 0;
    for (i, step) in steps(action).iter().enumerate() {
        let where_ = format!("step {} ({})", i + 1, step["name"].as_str().unwrap_or("?"));
        if step.get("run").is_some() == step.get("uses").is_some() {
            problems.push(format!("{where_}: needs exactly one of run and uses"));
        }
        if let Some(script) = step["run"].as_str() {
            if step["shell"] != "bash" {
                problems.push(format!("{where_}: run steps need `shell: bash`"));
            }
            // Inputs reach scripts through `env:`; expanded inline they could inject shell.
            if script.contains("${{") {
                problems.push(format!("{where_}: expands ${{{{ }}}} inside the script"));
            }
        }
        if step["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        {
            uploads += 1;
        }
        for key in ["if", "with", "env"] {
            if let Some(v) = step.get(key) {
                check_refs(&format!("{where_} {key}"), &v.to_string(), &mut problems);
            }
        }
    }
    for (name, spec) in action["outputs"].as_object().expect("outputs") {
        check_refs(
            &format!("output {name}"),
            &spec["value"].to_string(),
            &mut problems,
        );
    }
    if uploads != 1 {
        problems.push(format!("{uploads} upload-sarif steps instead of one"));
    }
    problems
}

/// The `with:` keys of the example's keysift step that the action does not define, and the
/// required inputs it leaves out (actionlint's check, for a local action).
fn example_input_problems(example: &Value, action: &Value) -> Vec<String> {
    let inputs = action["inputs"].as_object().expect("inputs");
    let uses = EXAMPLE_USES.trim_start_matches("uses: ");
    let step = example["jobs"]
        .as_object()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_array().expect("steps"))
        .find(|s| s["uses"] == uses)
        .unwrap_or_else(|| panic!("{EXAMPLE} has a step `{EXAMPLE_USES}`"));
    let with = step["with"].as_object().cloned().unwrap_or_default();
    let mut problems: Vec<String> = with
        .keys()
        .filter(|k| !inputs.contains_key(*k))
        .map(|k| format!("unknown input {k}"))
        .collect();
    for (name, spec) in inputs {
        if spec["required"] == true && spec.get("default").is_none() && !with.contains_key(name) {
            problems.push(format!("required input {name} missing"));
        }
    }
    problems
}

#[test]
fn action_metadata_validates_against_the_github_action_schema() {
    let validator = schema::validator("github-action.json");
    let action = schema::yaml_file(ACTION);
    schema::assert_valid(&validator, &action, ACTION);

    // The schema check can fail: a run step without a shell, an unknown key.
    let mut broken = action.clone();
    broken["runs"]["steps"][0]
        .as_object_mut()
        .expect("step")
        .remove("shell");
    assert!(!schema::errors(&validator, &broken).is_empty());
    let mut broken = action;
    broken["runs"]["stepz"] = Value::Array(vec![]);
    assert!(!schema::errors(&validator, &broken).is_empty());
}

#[test]
fn action_references_resolve_and_scripts_take_inputs_only_through_env() {
    let action = schema::yaml_file(ACTION);
    let problems = action_problems(&action);
    assert!(problems.is_empty(), "{ACTION}:\n{}", problems.join("\n"));
}

#[test]
fn action_checks_catch_broken_metadata() {
    let action = read(ACTION);
    let cases = [
        (
            "${{ inputs.sarif-file }}",
            "${{ inputs.sarif-fil }}",
            "unknown input sarif-fil",
        ),
        (
            "steps.scan.outputs.exit-code",
            "steps.scan.outputs.exit-cod",
            "step scan never sets exit-cod",
        ),
        (
            "steps.install.outputs.bin",
            "steps.instal.outputs.bin",
            "unknown step instal",
        ),
        (
            r#"rm -f -- "$SARIF_FILE""#,
            r#"rm -f -- "${{ inputs.sarif-file }}""#,
            "expands ${{ }} inside the script",
        ),
        ("shell: bash", "shell: sh", "run steps need `shell: bash`"),
        (
            r#"default: "true""#,
            "default: true",
            "default is not a string",
        ),
        (
            "uses: github/codeql-action/upload-sarif@v4",
            "uses: github/codeql-action/analyze@v4",
            "0 upload-sarif steps instead of one",
        ),
    ];
    for (from, to, want) in cases {
        assert!(action.contains(from), "{ACTION} no longer has {from:?}");
        let broken = schema::yaml(&action.replacen(from, to, 1)).expect("still YAML");
        let problems = action_problems(&broken);
        assert!(
            problems.iter().any(|p| p.ends_with(want)),
            "{from:?} -> {to:?}: want {want:?}, got {problems:?}"
        );
    }
}

#[test]
fn example_workflow_validates_and_passes_only_inputs_the_action_defines() {
    let validator = schema::validator("github-workflow.json");
    let example = schema::yaml_file(EXAMPLE);
    assert!(
        example.get("on").is_some(),
        "`on:` is read as a string key (YAML 1.2), as GitHub does"
    );
    schema::assert_valid(&validator, &example, EXAMPLE);
    let action = schema::yaml_file(ACTION);
    let problems = example_input_problems(&example, &action);
    assert!(problems.is_empty(), "{EXAMPLE}:\n{}", problems.join("\n"));

    // Both checks can fail.
    let text = read(EXAMPLE);
    let misspelt = schema::yaml(&text.replace("category:", "categoryy:")).expect("YAML");
    assert_eq!(
        example_input_problems(&misspelt, &action),
        ["unknown input categoryy"]
    );
    let broken = schema::yaml(&text.replace("runs-on:", "runs_on:")).expect("YAML");
    assert!(!schema::errors(&validator, &broken).is_empty());
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
    let action = read(ACTION);
    assert!(action.contains(r#"cargo install --path "$ACTION_PATH" --locked"#));
    assert!(action.contains("ACTION_PATH: ${{ github.action_path }}"));
    assert!(action.contains("--format sarif"));
}

// --- real linters, installed by .ci/run ---

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
#[ignore = "needs shellcheck; .ci/run runs it"]
fn action_scripts_pass_shellcheck() {
    let action = schema::yaml_file(ACTION);
    let dir = TempDir::new().unwrap();
    let scripts: Vec<&str> = steps(&action)
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(!scripts.is_empty());
    for (i, script) in scripts.iter().enumerate() {
        let file = dir.path().join(format!("step{i}.sh"));
        // GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
        std::fs::write(
            &file,
            format!("#!/usr/bin/env bash\nset -eo pipefail\n{script}"),
        )
        .unwrap();
        let out = run(
            Command::new("shellcheck")
                .args(["-s", "bash", "-S", "style"])
                .arg(&file),
            "shellcheck",
        );
        assert_success(&out, &format!("shellcheck on script {i} of {ACTION}"));
    }
    // shellcheck itself can fail: an unquoted expansion is reported.
    let file = dir.path().join("bad.sh");
    std::fs::write(&file, "#!/usr/bin/env bash\nrm -f -- $SARIF_FILE\n").unwrap();
    let out = run(
        Command::new("shellcheck")
            .args(["-s", "bash", "-S", "style"])
            .arg(&file),
        "shellcheck",
    );
    assert!(
        !out.status.success(),
        "shellcheck must flag an unquoted variable"
    );
}

#[test]
#[ignore = "needs actionlint; .ci/run runs it"]
fn example_workflow_lints_clean() {
    let out = actionlint(&root(), &[Path::new(EXAMPLE)]);
    assert_success(&out, "actionlint on the example workflow");
}

/// actionlint checks a local action's metadata (`runs.using`) and the inputs a workflow passes
/// to it, so the example is linted once more against this repository's action.yml.
#[test]
#[ignore = "needs actionlint; .ci/run runs it"]
fn example_workflow_lints_clean_against_the_local_action() {
    let example = read(EXAMPLE);
    assert!(
        example.contains(EXAMPLE_USES),
        "{EXAMPLE} uses {EXAMPLE_USES}"
    );
    let dir = TempDir::new().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::copy(root().join(ACTION), dir.path().join(ACTION)).unwrap();
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

/// The step named `name`: its `run` script, and its `env` with each `${{ … }}` value taken
/// from `given` (by variable name) and literal values as written (issue 10, item 14).
fn step_command(action: &Value, name: &str, given: &[(&str, &Path)]) -> Command {
    let step = steps(action)
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("a step named {name}"));
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(step["run"].as_str().expect("a run script"));
    for (var, value) in step["env"].as_object().into_iter().flatten() {
        let value = value.as_str().expect("string env");
        if value.contains("${{") {
            if let Some((_, v)) = given.iter().find(|(g, _)| g == var) {
                cmd.env(var, v);
            }
        } else {
            cmd.env(var, value);
        }
    }
    cmd
}

/// A fake program: a bash script.
#[cfg(unix)]
fn fake_program(dir: &Path, name: &str, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/usr/bin/env bash\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The checkout's rust-toolchain.toml and .cargo/config.toml must not pick the toolchain
/// that builds keysift: the install step runs cargo outside the checkout, toolchain pinned.
#[cfg(unix)]
#[test]
fn install_step_builds_outside_the_checkout_with_a_pinned_toolchain() {
    let action = schema::yaml_file(ACTION);
    let tmp = TempDir::new().unwrap();
    let (bin, workspace, temp) = (
        tmp.path().join("bin"),
        tmp.path().join("workspace"),
        tmp.path().join("runner-temp"),
    );
    for d in [&bin, &workspace, &temp] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(
        workspace.join("rust-toolchain.toml"),
        "[toolchain]\npath = \"/evil\"\n",
    )
    .unwrap();
    let record = tmp.path().join("cargo-call");
    fake_program(
        &bin,
        "cargo",
        &format!(
            "echo \"cwd=$PWD toolchain=${{RUSTUP_TOOLCHAIN:-}} args=$*\" > '{}'",
            record.display()
        ),
    );
    let root = root();
    let out = run(
        step_command(&action, "Install keysift", &[("ACTION_PATH", &root)])
            .current_dir(&workspace)
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("RUNNER_TEMP", &temp)
            .env("GITHUB_OUTPUT", tmp.path().join("out")),
        "bash",
    );
    assert_success(&out, "the install step");
    let call = std::fs::read_to_string(&record).unwrap();
    assert!(call.contains(&format!("cwd={}", temp.display())), "{call}");
    assert!(call.contains("toolchain=stable"), "{call}");
    assert!(call.contains("--locked"), "{call}");
}

/// Exit 3 (a live key, with `--verify` in `args`) is a finding, not "scan failed": the job
/// log shows the findings and the job fails as for findings.
#[cfg(unix)]
#[test]
fn live_keys_exit_three_show_findings_and_fail_as_findings() {
    let action = schema::yaml_file(ACTION);
    let tmp = TempDir::new().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    fake_program(
        &bin,
        "keysift",
        "for a in \"$@\"; do [ \"$a\" = sarif ] && sarif=1; done\n\
         if [ -n \"${sarif:-}\" ]; then echo '{}' > \"$SARIF_FILE\"; else echo 'a.env:1:7: FINDING'; fi\n\
         exit 3",
    );
    let output = tmp.path().join("out");
    let keysift = bin.join("keysift");
    let scan = run(
        step_command(
            &action,
            "Scan",
            &[
                ("KEYSIFT_BIN", &keysift),
                ("SCAN_PATH", Path::new(".")),
                ("SCAN_ARGS", Path::new("--verify")),
                ("SARIF_FILE", Path::new("k.sarif")),
            ],
        )
        .current_dir(tmp.path())
        .env("GITHUB_OUTPUT", &output),
        "bash",
    );
    assert_success(&scan, "the scan step");
    let log = String::from_utf8_lossy(&scan.stdout);
    assert!(
        log.contains("a.env:1:7: FINDING"),
        "findings not shown: {log}"
    );
    let outputs = std::fs::read_to_string(&output).unwrap();
    assert!(outputs.contains("exit-code=3"), "{outputs}");

    let check = |fail: &str| {
        run(
            step_command(
                &action,
                "Check result",
                &[
                    ("EXIT_CODE", Path::new("3")),
                    ("FAIL_ON_FINDINGS", Path::new(fail)),
                    ("SARIF_FILE", Path::new("k.sarif")),
                ],
            )
            .current_dir(tmp.path()),
            "bash",
        )
    };
    let failed = check("true");
    let text = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{text}");
    assert!(text.contains("live keys found"), "{text}");
    assert!(!text.contains("scan failed"), "{text}");
    let warned = check("false");
    assert!(warned.status.success());
    assert!(String::from_utf8_lossy(&warned.stdout).contains("::warning"));
}
