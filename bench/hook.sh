#!/usr/bin/env bash
# Pre-commit hook latency: `keysift scan --staged` on a typical commit (10 changed files) in a
# 10,000-file repository, wall time including process start, as git runs the hook.
#
#   bench/hook.sh [RUNS]      (default 50; needs git and python3; uses hyperfine if installed)
#
# Also times the pieces: process start with rule compilation (`keysift rules`), and the git
# plumbing alone (`git diff --cached --raw`), so a regression can be placed.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-50}
cargo build --release --quiet
KS="$PWD/target/release/keysift"
REPO=${KEYSIFT_BENCH_REPO:-/tmp/keysift-hook-bench}

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid

if [ ! -f "$REPO/.bench-ready" ]; then
  rm -rf "$REPO"
  mkdir -p "$REPO"
  git -C "$REPO" init -q -b main
  # 10,000 source-like files of 1-4 KiB in 100 directories, no secrets.
  python3 - "$REPO" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(42)
words = ("config value user request handler token_count session retry timeout buffer "
         "parse render client server cache index query result error logger").split()
for d in range(100):
    os.makedirs(os.path.join(root, f"pkg{d:03}"), exist_ok=True)
    for f in range(100):
        lines = []
        for i in range(rng.randint(30, 120)):
            a, b, c = rng.sample(words, 3)
            lines.append(f"    let {a}_{i} = {b}.{c}({i}, \"{a}-{b}\"); // {c} {a}")
        with open(os.path.join(root, f"pkg{d:03}", f"mod{f:03}.rs"), "w") as fh:
            fh.write("fn main() {\n" + "\n".join(lines) + "\n}\n")
PY
  git -C "$REPO" add -A
  git -C "$REPO" commit -q -m "10,000 files"
  touch "$REPO/.bench-ready"
  echo ".bench-ready" > "$REPO/.git/info/exclude"
fi

# A typical commit: 10 modified files, a few lines each, staged.
git -C "$REPO" reset -q --hard
for i in 0 1 2 3 4 5 6 7 8 9; do
  f="$REPO/pkg0${i}0/mod00${i}.rs"
  printf '// change %s\nfn added_%s() -> u32 { %s }\n' "$i" "$i" "$i" >>"$f"
  git -C "$REPO" add "$f"
done
staged=$(git -C "$REPO" diff --cached --name-only | wc -l)
files=$(git -C "$REPO" ls-files | wc -l)
echo "repository: $files files, $staged staged; keysift $("$KS" --version | cut -d' ' -f2), $("$KS" rules | tail -1)"
(cd "$REPO" && "$KS" scan --staged >/dev/null) || { echo "hook did not pass on a clean commit" >&2; exit 1; }

median_ms() { # median wall time of "$@" over $RUNS runs, in ms
  local t=()
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    t+=($(((e - s) / 1000)))
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

cd "$REPO"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if command -v hyperfine >/dev/null; then
  json=$(mktemp)
  hyperfine --warmup 3 --runs "$RUNS" -N --style none --export-json "$json" \
    "$KS scan --staged" "$KS rules" "git diff --cached --raw -z -M --no-abbrev" >/dev/null
  python3 - "$json" <<'PY'
import json, sys
names = ["keysift scan --staged (the hook)", "keysift rules (start-up: rules compiled)",
         "git diff --cached --raw alone"]
for name, r in zip(names, json.load(open(sys.argv[1]))["results"]):
    print(f"  {name}: median {r['median']*1000:.1f} ms, min {r['min']*1000:.1f} ms, "
          f"mean {r['mean']*1000:.1f} ms; CPU {(r['user']+r['system'])*1000:.1f} ms "
          f"({len(r['times'])} runs)")
PY
  rm -f "$json"
else
  echo "median wall time over $RUNS runs (install hyperfine for min, mean and CPU time):"
  echo "  keysift scan --staged (the hook): $(median_ms "$KS" scan --staged) ms"
  echo "  keysift rules (start-up: rules compiled): $(median_ms "$KS" rules) ms"
  echo "  git diff --cached --raw alone: $(median_ms git diff --cached --raw -z -M --no-abbrev) ms"
fi
