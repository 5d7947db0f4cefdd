#!/usr/bin/env bash
# History scan benchmark: `keysift scan --git` against `git log -p --all | rg` on the same
# repository, in the same run. Prints medians, MB/s of blob data and the ratio.
#
#   bench/history.sh [REPO]     # REPO: any git repository (bare or not)
#
# Without REPO it builds (once, cached in $BENCH_DIR) a bare repository with a few thousand
# commits over real source files: the Linux 6.1 tree's kernel/, mm/, lib/, fs/ext4, fs/btrfs,
# net/ipv4, net/core and drivers/net/ethernet/intel, taken from /usr/src/linux-source-6.1.tar.xz
# (Debian package linux-source-6.1), edited commit after commit by bench/gen_history.py, with
# GitHub-token-shaped secrets planted (and half removed later). Planted secrets must all be
# found at their introducing commits, or the benchmark fails.
#
# With KINGFISHER=1, also times Kingfisher's full-history scan of the same repository (for a
# real project, pass a bare mirror as REPO: no clone needed, nothing is written to it).
#
# Environment: RUNS (default 5), EDITS (commits of edits, default 4000), BENCH_DIR
# (default /tmp/keysift-bench), TARBALL.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
EDITS=${EDITS:-4000}
WORK=${BENCH_DIR:-/tmp/keysift-bench}
TARBALL=${TARBALL:-/usr/src/linux-source-6.1.tar.xz}
mkdir -p "$WORK"

for tool in git rg python3 bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/history.sh: needs $tool" >&2; exit 2; }
done

cargo build --release --locked -q
KS=$PWD/target/release/keysift
RULES=$WORK/bench-rules.toml
# The planted shape as a rule of its own (the built-in rules run as well).
cat >"$RULES" <<'EOF'
[provider]
id = "benchgh"
name = "Bench GitHub-shaped token"
revoke = "https://example.test"

[[rule]]
id = "benchgh-token"
name = "Bench token"
description = "GitHub-classic-token shape planted by bench/gen_history.py."
regex = '''ghp_[A-Za-z0-9]{36}'''
keywords = ["ghp_"]
severity = "5.0"
precision = "high"
remediation = "none"
examples = ["ghp_{{alnum:36}}"]
EOF

REPO=${1:-}
PLANTED=
if [ -z "$REPO" ]; then
  REPO=$WORK/history-$EDITS.git
  PLANTED=$WORK/planted-$EDITS.tsv
  if [ ! -f "$REPO/keysift-bench-ready" ]; then
    [ -f "$TARBALL" ] || { echo "bench/history.sh: $TARBALL missing (apt-get install linux-source-6.1) or pass a REPO" >&2; exit 2; }
    SRC=$WORK/src
    if [ ! -d "$SRC/linux-source-6.1" ]; then
      echo "extracting a part of $TARBALL ..." >&2
      mkdir -p "$SRC"
      tar -xJf "$TARBALL" -C "$SRC" linux-source-6.1/kernel linux-source-6.1/mm linux-source-6.1/lib \
        linux-source-6.1/fs/ext4 linux-source-6.1/fs/btrfs linux-source-6.1/net/ipv4 \
        linux-source-6.1/net/core linux-source-6.1/drivers/net/ethernet/intel
    fi
    echo "building a history of $EDITS edit commits in $REPO ..." >&2
    rm -rf "$REPO"
    git init -q --bare "$REPO"
    python3 bench/gen_history.py "$SRC/linux-source-6.1" "$WORK/planted-marks.tsv" "$EDITS" |
      git -C "$REPO" fast-import --quiet --export-marks="$WORK/marks.txt"
    # One pack with deltas recomputed (-f), as after `git gc --aggressive`, and a commit-graph.
    git -C "$REPO" repack -adfq --window=10 --depth=50
    git -C "$REPO" commit-graph write --reachable
    git -C "$REPO" symbolic-ref HEAD refs/heads/main
    awk 'NR==FNR { id[$1] = $2; next } { print id[$1] "\t" $2 }' \
      "$WORK/marks.txt" "$WORK/planted-marks.tsv" >"$PLANTED"
    touch "$REPO/keysift-bench-ready"
  fi
fi

commits=$(git -C "$REPO" rev-list --all | wc -l)
refs=$(git -C "$REPO" for-each-ref | wc -l)
pack_mb=$(du -sm "$REPO/objects" 2>/dev/null | cut -f1 || du -sm "$REPO/.git/objects" | cut -f1)

# "median-wall median-cpu" in seconds over RUNS runs of a shell command (after a warm-up run).
# CPU is user + system time of the command and its children: on a shared machine it is the
# fairer measure, wall time the one a user waits.
median() {
  local cmd=$1 walls=() cpus=()
  sh -c "$cmd" >/dev/null 2>&1 || true
  for _ in $(seq "$RUNS"); do
    local w u s
    read -r w u s < <(/usr/bin/time -f '%e %U %S' sh -c "$cmd >/dev/null 2>&1" 2>&1 >/dev/null | tail -1)
    walls+=("$w")
    cpus+=("$(echo "$u + $s" | bc -l)")
  done
  local mid=$(((RUNS + 1) / 2))
  echo "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p")" \
    "$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "${mid}p")"
}

OUT=$WORK/history-report.json
"$KS" scan --git --rules "$RULES" --format json -o "$OUT" --verbose "$REPO" 2>"$WORK/stderr.txt" || true
read -r blob_bytes blobs scanned findings < <(python3 - "$OUT" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
h = r["stats"]["history"]
print(r["stats"]["bytes"], h["distinct_blobs"], h["blobs_scanned"], len(r["findings"]))
EOF
)
[ "$blobs" = "$scanned" ] || { echo "FAIL: $blobs distinct blobs but $scanned scanned" >&2; exit 1; }

if [ -n "$PLANTED" ]; then
  python3 - "$OUT" "$PLANTED" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
found = {(f["path"], (f["commit"] or {}).get("id")) for f in r["findings"]}
planted = [tuple(l.rstrip("\n").split("\t")[::-1]) for l in open(sys.argv[2]) if l.strip()]
missing = [p for p in planted if p not in found]
print(f"planted secrets: {len(planted)}, found at their introducing commit: {len(planted) - len(missing)}")
if missing:
    print("FAIL: missing", missing, file=sys.stderr)
    sys.exit(1)
EOF
fi

log_mb=$(git -C "$REPO" log -p --all | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
rg_lines=$(git -C "$REPO" log -p --all | rg -c 'ghp_' || true)

read -r ks ks_cpu < <(median "'$KS' scan --git --rules '$RULES' --format json '$REPO'")
read -r ks1 ks1_cpu < <(median "'$KS' scan --git -j 1 --rules '$RULES' --format json '$REPO'")
read -r lp lp_cpu < <(median "git -C '$REPO' log -p --all | rg -c 'ghp_'")

blob_mb=$(echo "$blob_bytes / 1000000" | bc -l)
rate() { echo "$1 / $2" | bc -l; }
printf '\nrepository: %s\n' "$REPO"
printf '  %d commits, %d refs, %s MB of objects on disk; %d distinct blobs, %.1f MB of blob data\n' \
  "$commits" "$refs" "$pack_mb" "$blobs" "$blob_mb"
printf '  git log -p --all prints %s MB; rg counts %s lines with ghp_; keysift: %s findings\n' \
  "$log_mb" "${rg_lines:-0}" "$findings"
printf '\nmedian of %d runs, %d cores, load average %s:\n' "$RUNS" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
printf '                               wall     CPU   blob MB/s (wall)\n'
printf '  keysift scan --git        %6.2f s %6.2f s  %7.1f\n' "$ks" "$ks_cpu" "$(rate "$blob_mb" "$ks")"
printf '  keysift scan --git -j 1   %6.2f s %6.2f s  %7.1f\n' "$ks1" "$ks1_cpu" "$(rate "$blob_mb" "$ks1")"
printf '  git log -p --all | rg     %6.2f s %6.2f s  (%.1f MB/s of log text)\n' "$lp" "$lp_cpu" "$(rate "$log_mb" "$lp")"
printf '  ratio (git log -p | rg) / keysift: %.1fx wall, %.1fx CPU\n' "$(rate "$lp" "$ks")" "$(rate "$lp_cpu" "$ks_cpu")"
grep '^keysift: history:' "$WORK/stderr.txt" || true

# Kingfisher on the same repository's full history, same machine, same run (KINGFISHER=1;
# its binary from the kingfisher-bin wheel, no validation, no network).
if [ "${KINGFISHER:-0}" = 1 ]; then
  KF=$(python3 -c "import os, kingfisher; d = os.path.dirname(kingfisher.__file__); print(os.path.join(d, 'bin', 'kingfisher'))" 2>/dev/null || true)
  if [ -x "$KF" ]; then
    read -r kf kf_cpu < <(median "'$KF' scan '$REPO' --git-history full --no-validate --no-update-check --format json -o /dev/null -q")
    printf '  kingfisher (full history)  %6.2f s %6.2f s  %7.1f\n' "$kf" "$kf_cpu" "$(rate "$blob_mb" "$kf")"
    printf '  ratio kingfisher / keysift: %.1fx wall, %.1fx CPU\n' "$(rate "$kf" "$ks")" "$(rate "$kf_cpu" "$ks_cpu")"
  else
    echo "  kingfisher: not installed (pip install kingfisher-bin)"
  fi
fi
