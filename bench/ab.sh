#!/usr/bin/env bash
# bench/ab.sh - compares the CPU time (user + system) of commands run interleaved, for A/B tests
# of a change on a machine too busy for wall-clock timing: other load stretches wall time far
# more than CPU time, and interleaving spreads what it does to CPU time evenly over the commands.
#
#   RUNS=7 bench/ab.sh 'old/keysift scan /work/corpus/linux -o /dev/null' 'new/keysift scan ...'
#
# Prints, per command, the minimum and median CPU seconds and wall seconds over RUNS runs
# (default 7), and the ratio of each median to the first command's.
set -euo pipefail
RUNS=${RUNS:-7}
[[ $# -ge 1 ]] || { sed -n '2,9p' "$0"; exit 2; }
declare -a cpu wall
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for ((r = 0; r < RUNS; r++)); do
    for ((i = 0; i < $#; i++)); do
        cmd=${*:i+1:1}
        /usr/bin/time -o "$tmp" -f '%U %S %e' sh -c "$cmd" >/dev/null 2>&1 || true
        read -r u s w < <(tail -n1 "$tmp")
        cpu[i]+="$(echo "$u + $s" | bc) "
        wall[i]+="$w "
    done
done
stat() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {printf "%.3f %.3f\n", a[1], a[int((NR+1)/2)]}'; }
printf '%-10s %-10s %-10s %-10s %-7s %s\n' "cpu min" "cpu med" "wall min" "wall med" "x first" command
first=
for ((i = 0; i < $#; i++)); do
    read -r cmin cmed < <(echo "${cpu[i]}" | stat)
    read -r wmin wmed < <(echo "${wall[i]}" | stat)
    first=${first:-$cmed}
    printf '%-10s %-10s %-10s %-10s %-7s %s\n' "$cmin" "$cmed" "$wmin" "$wmed" \
        "$(awk -v a="$cmed" -v b="$first" 'BEGIN {printf "%.2f", a/b}')" "${*:i+1:1}"
done
