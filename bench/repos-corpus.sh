#!/usr/bin/env bash
# bench/repos-corpus.sh - builds the second benchmark corpus: the trees of 21 real repositories
# at pinned commits (Go with vendor/, Java, TypeScript/JavaScript with bundles, Python, Rust),
# about 0.95 GB in 82k files, into DEST (default /work/corpus/repos).
#
#   bench/repos-corpus.sh [DEST]
#
# Each repository's tree at the commit below is checked out into DEST/OWNER+NAME with
# `git read-tree` + `git checkout-index` (the files a clone would have, no .git directory),
# from a bare repository found in $MIRRORS/OWNER+NAME/repo (default MIRRORS=/work/.mirror),
# or, when there is none, cloned bare into $MIRRORS from GitHub first. The same commits give
# the same bytes on any machine. A tree is built beside its place and renamed when complete,
# so an interrupted run is redone, never trusted. Idempotent: trees already there are kept.
set -euo pipefail

DEST=${1:-/work/corpus/repos}
MIRRORS=${MIRRORS:-/work/.mirror}

# Left out of every build: files whose blobs the snapshots this list was made from lack (their
# largest files), so that a tree built from a full clone has the same bytes.
EXCLUDE="
grafana/loki pkg/logql/sketch/testdata/shakspeare.txt
grafana/loki pkg/pattern/drain/testdata/grafana-ruler.txt
grafana/loki pkg/storage/stores/shipper/indexshipper/tsdb/testdata/20kseries.json
grafana/loki vendor/github.com/apache/arrow-go/v18/arrow/compute/internal/kernels/scalar_comparison_avx2_amd64.s
grafana/loki vendor/modernc.org/sqlite/lib/sqlite_g_0000000000000003.go
grafana/loki vendor/modernc.org/sqlite/lib/sqlite_windows.go
grafana/loki vendor/modernc.org/sqlite/lib/sqlite_windows_386.go
mozilla/pdf.js test/bidi/BidiCharacterTest.txt
mozilla/pdf.js test/bidi/BidiTest.txt
mozilla/pdf.js test/pdfs/22060_A1_01_Plans.pdf
mozilla/pdf.js test/pdfs/issue12841_reduced.pdf
mozilla/pdf.js test/pdfs/issue19517.pdf
mozilla/pdf.js test/pdfs/issue3188.pdf
mozilla/pdf.js test/pdfs/issue8795_reduced.pdf
mozilla/pdf.js test/pdfs/issue9262_reduced.pdf
prometheus/prometheus tsdb/testdata/20kseries.json
"

# owner/name  commit
REPOS="
BurntSushi/ripgrep 3fce3b5bb0236da2df6d99672afb8a719642eca7
apache/kafka 1eb7644349cb07139d6a3c1ad1986979647cac99
containerd/containerd 301026e58c619e63d09c0ec411012e54c0124b03
moby/moby b985e2313a8676e18072b442911fc8f64f17d440
numpy/numpy 1f90bbb55e65e7de68921bc3f1a2d94492fdf689
pallets/flask 2ac89889f4cc330eabd50f295dcef02828522c69
rust-lang/cargo af373f761aa4e42b093c2e453078fd73c8ce54dd
spring-projects/spring-framework 91eb42645e26a7ef9382b4a655bcefe5c8682fee
tokio-rs/tokio ea91b33ca57ff0581b38e735cc108f831bccbdaa
vuejs/core e2bede96134f757aad5c5b33ac9be055022dbfc8
grafana/loki 65e30f8488e8a5ea2013c6881675f8103a8f6bc7
hashicorp/terraform 883c7221ee2e0bc2fad6912fd4b3cc4b53a598a7
pallets/jinja 5ef70112a1ff19c05324ff889dd30405b1002044
psf/requests 1f6589ec3a1ee910f9a65cc3ceac60b26677bc0e
jquery/jquery 51eb576cca6ffce252dc152bf8e91d5230a0d887
expressjs/express a3714473feb3d2908add734d340e7755fd85e0a3
prometheus/prometheus d15adb9ad7e5d9fbde3a9a8f30200593a5a14d86
lodash/lodash 9429a4ee03056e5b7be9a85a54571d7630f05983
ansible/ansible c9ac477e53a99e95781f333eec3329a935c1bf95
mozilla/pdf.js 0f26334f9d6f96119f6e5164fb65832fbbde7344
trufflesecurity/trufflehog 3ab759fef4bb5935d4fe9ac68b503d05346b8364
"

mkdir -p "$DEST"
while read -r repo commit; do
    [[ -n $repo ]] || continue
    name=${repo/\//+}
    [[ -d $DEST/$name ]] && continue
    git_dir=$MIRRORS/$name/repo
    if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
        echo "repos-corpus: cloning $repo (bare) into $git_dir" >&2
        rm -rf "$git_dir"
        mkdir -p "$(dirname "$git_dir")"
        git clone -q --bare "https://github.com/$repo.git" "$git_dir"
        git --git-dir="$git_dir" cat-file -e "$commit^{commit}" ||
            { echo "repos-corpus: $repo has no commit $commit" >&2; exit 1; }
    fi
    echo "repos-corpus: $repo at ${commit:0:12}" >&2
    tmp=$(mktemp -d "$DEST/.build.XXXXXX")
    index=$(mktemp "$DEST/.index.XXXXXX")
    rm -f "$index"
    # The tree exactly as committed: no line-ending or other filters from any config.
    GIT_INDEX_FILE=$index git --git-dir="$git_dir" -c core.autocrlf=false read-tree "$commit"
    awk -v r="$repo" '$1 == r { print $2 }' <<<"$EXCLUDE" |
        GIT_INDEX_FILE=$index git --git-dir="$git_dir" update-index --force-remove --stdin
    GIT_INDEX_FILE=$index git --git-dir="$git_dir" -c core.autocrlf=false --work-tree="$tmp" \
        checkout-index -a -f
    rm -f "$index"
    mv "$tmp" "$DEST/$name"
done <<<"$REPOS"

find "$DEST" -mindepth 1 -maxdepth 1 -name '.build.*' -exec rm -rf {} +
du -sb "$DEST" | awk '{printf "repos-corpus: %s ready, %.0f MB\n", $2, $1/1e6}' >&2
