"""Checks action.yml beyond what actionlint does for action metadata.

Usage: check_action.py ACTION_YML

actionlint checks the workflows that use the action (inputs they pass, `runs.using`), but
not the action's own structure or scripts. This script checks that structure against GitHub's
metadata syntax for composite actions, that every `${{ inputs.X }}` and `steps.Y` reference
resolves, that no script expands `${{ }}` inline (inputs go through `env:`, so they cannot
inject shell code), and runs shellcheck on every script. Needs PyYAML and shellcheck; .ci/run
installs both.
"""

import re
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    sys.exit("check_action.py: needs the Python package PyYAML (pip install pyyaml)")

TOP_KEYS = {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
INPUT_KEYS = {"description", "required", "default", "deprecationMessage"}
STEP_KEYS = {
    "id", "if", "name", "uses", "run", "shell", "with", "env",
    "working-directory", "continue-on-error",
}
EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)
INPUT_REF = re.compile(r"\binputs\.([A-Za-z0-9_-]+)")
STEP_REF = re.compile(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")
OUTPUT_WRITE = re.compile(r"""echo\s+"([A-Za-z0-9_-]+)=.*>>\s*"\$GITHUB_OUTPUT\"""")


def main() -> int:
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        action = yaml.safe_load(f)
    problems = []

    def need(cond, msg):
        if not cond:
            problems.append(msg)

    need(isinstance(action, dict), "top level is not a mapping")
    need(set(action) <= TOP_KEYS, f"unknown top-level keys {set(action) - TOP_KEYS}")
    for key in ("name", "description", "runs"):
        need(key in action, f"missing {key}")
    inputs = action.get("inputs") or {}
    for name, spec in inputs.items():
        need(isinstance(spec, dict) and spec.get("description"), f"input {name}: no description")
        need(set(spec) <= INPUT_KEYS, f"input {name}: unknown keys {set(spec) - INPUT_KEYS}")
        if "default" in spec:
            need(isinstance(spec["default"], str), f"input {name}: default must be a string")
    runs = action.get("runs") or {}
    need(runs.get("using") == "composite", "runs.using is not composite")
    steps = runs.get("steps") or []
    need(steps, "no steps")

    step_outputs = {}
    for step in steps:
        if "id" in step and "run" in step:
            step_outputs[step["id"]] = set(OUTPUT_WRITE.findall(step["run"]))
        elif "id" in step:
            step_outputs[step["id"]] = None  # outputs of a `uses:` step are not known here

    def check_refs(where, text, bare=False):
        text = str(text)
        exprs = [text] if bare and "${{" not in text else EXPR.findall(text)
        for expr in exprs:
            for name in INPUT_REF.findall(expr):
                need(name in inputs, f"{where}: unknown input {name}")
            for step_id, out in STEP_REF.findall(expr):
                need(step_id in step_outputs, f"{where}: unknown step {step_id}")
                known = step_outputs.get(step_id)
                if known is not None:
                    need(out in known, f"{where}: step {step_id} never sets output {out}")

    scripts = []
    for i, step in enumerate(steps):
        where = f"step {i + 1} ({step.get('name', step.get('id', '?'))})"
        need(set(step) <= STEP_KEYS, f"{where}: unknown keys {set(step) - STEP_KEYS}")
        need(("run" in step) != ("uses" in step), f"{where}: needs exactly one of run and uses")
        if "run" in step:
            need(step.get("shell") == "bash", f"{where}: run steps need `shell: bash`")
            need("${{" not in step["run"], f"{where}: expands ${{{{ }}}} inside the script")
            scripts.append((where, step["run"]))
        for key in ("if", "with", "env"):
            if key in step:
                check_refs(f"{where} {key}", step[key], bare=(key == "if"))
    for name, spec in (action.get("outputs") or {}).items():
        need(spec.get("description") and spec.get("value"), f"output {name}: needs description and value")
        check_refs(f"output {name}", spec.get("value"))
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    need(len(uploads) == 1, "exactly one github/codeql-action/upload-sarif step")

    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        problems.append("shellcheck is not installed (apt-get install shellcheck)")
    else:
        for where, script in scripts:
            with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as tmp:
                # GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
                tmp.write("#!/usr/bin/env bash\nset -eo pipefail\n" + script)
            out = subprocess.run([shellcheck, "-s", "bash", "-S", "style", tmp.name],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                problems.append(f"{where}: shellcheck:\n{out.stdout}{out.stderr}")

    for p in problems:
        print(f"{path}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
