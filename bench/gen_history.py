#!/usr/bin/env python3
"""Writes a `git fast-import` stream: a history of thousands of commits over real source files.

Usage: gen_history.py SRC_DIR PLANTED_TSV [EDIT_COMMITS] > stream

The files of SRC_DIR are imported in a few commits, then edited the way projects evolve: each
commit changes lines in one to four files (mostly a hot subset), sometimes adds or deletes a
file; topic branches are merged with merge commits or left as refs; releases are tagged.
GitHub-token-shaped secrets are planted in some commits and half of them are deleted later.
PLANTED_TSV gets one line per planted secret: commit mark, path. Deterministic (fixed seed);
the secrets are generated here at run time, never stored.
"""

import os
import random
import string
import sys

rng = random.Random(7)
ALNUM = string.ascii_letters + string.digits
out = sys.stdout.buffer
next_mark = 1
clock = 1_600_000_000


def mark():
    global next_mark
    next_mark += 1
    return next_mark - 1


def blob(data):
    m = mark()
    out.write(b"blob\nmark :%d\ndata %d\n" % (m, len(data)))
    out.write(data)
    out.write(b"\n")
    return m


def commit(ref, message, changes, parent=None, merge=None):
    """changes: {path: bytes or None (delete)}; returns the commit mark."""
    global clock
    clock += rng.randint(60, 7200)
    marks = {p: blob(d) for p, d in changes.items() if d is not None}
    m = mark()
    who = rng.choice(["Ada Lovelace <ada@example.test>", "Linus Example <linus@example.test>",
                      "Grace Hopper <grace@example.test>", "Ken Example <ken@example.test>"])
    msg = message.encode()
    out.write(b"commit %s\nmark :%d\n" % (ref.encode(), m))
    out.write(b"author %s %d +0000\ncommitter %s %d +0000\n" % (who.encode(), clock, who.encode(), clock))
    out.write(b"data %d\n%s\n" % (len(msg), msg))
    if parent is not None:
        out.write(b"from :%d\n" % parent)
    if merge is not None:
        out.write(b"merge :%d\n" % merge)
    for p, d in changes.items():
        if d is None:
            out.write(b"D %s\n" % p.encode())
        else:
            out.write(b"M 100644 :%d %s\n" % (marks[p], p.encode()))
    out.write(b"\n")
    return m


def edit(data, pool_lines):
    """Replaces, inserts or deletes a few lines, like a small patch."""
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines) + 1)
        kind = rng.random()
        new = [rng.choice(pool_lines) for _ in range(rng.randint(1, 6))]
        if kind < 0.5:
            lines[at:at + rng.randint(1, 5)] = new
        elif kind < 0.85:
            lines[at:at] = new
        else:
            del lines[at:at + rng.randint(1, 4)]
    return b"\n".join(lines)


def main():
    src, planted_path = sys.argv[1], sys.argv[2]
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
    files = {}
    for root, _, names in os.walk(src):
        for n in sorted(names):
            full = os.path.join(root, n)
            if os.path.islink(full):
                continue
            with open(full, "rb") as f:
                files[os.path.relpath(full, src)] = f.read()
    paths = sorted(files)
    pool_lines = [l for p in paths[::7] for l in files[p].split(b"\n") if 8 < len(l) < 100]
    planted = []

    # Initial import in 40 commits.
    state = {}
    tip = None
    for i in range(40):
        chunk = {p: files[p] for p in paths[i::40]}
        state.update(chunk)
        tip = commit("refs/heads/main", f"import part {i + 1}", chunk, parent=tip)

    hot = rng.sample(sorted(state), len(state) // 5)
    live_secrets = []  # (path, line) still in the tree
    n = 0
    topic = 0
    while n < edits:
        # Every ~150 commits a topic branch of 3-12 commits; most are merged with --no-ff.
        if n and n % 150 == 0:
            topic += 1
            branch = f"refs/heads/topic/{topic}"
            btip, bstate = tip, dict(state)
            changed = {}
            for _ in range(rng.randint(3, 12)):
                p = rng.choice(hot)
                if p in bstate:
                    bstate[p] = edit(bstate[p], pool_lines)
                    changed[p] = bstate[p]
                    btip = commit(branch, f"topic {topic}: update {p}", {p: bstate[p]}, parent=btip)
                    n += 1
            if rng.random() < 0.8:
                tip = commit("refs/heads/main", f"Merge topic {topic}", changed, parent=tip, merge=btip)
                state = bstate
                n += 1
        if n and n % 500 == 0:
            out.write(b"reset refs/tags/v0.%d\nfrom :%d\n\n" % (n // 500, tip))
        changes = {}
        targets = [rng.choice(hot) if rng.random() < 0.8 else rng.choice(sorted(state))
                   for _ in range(rng.randint(1, 4))]
        for p in targets:
            if p in state:
                state[p] = edit(state[p], pool_lines)
                changes[p] = state[p]
        r = rng.random()
        if r < 0.02:
            p = rng.choice(paths)
            new = os.path.join(os.path.dirname(p), f"gen_{n}_{os.path.basename(p)}")
            state[new] = files[p]
            changes[new] = files[p]
        elif r < 0.03 and len(state) > 100:
            p = rng.choice(sorted(set(state) - set(hot)))
            del state[p]
            changes[p] = None
        message = f"update {', '.join(sorted(changes))[:70]}"
        # Plant a secret in about one commit in 200; remove half of them later.
        if rng.random() < 0.005:
            p = rng.choice(sorted(p for p in state if p.endswith((".c", ".h"))))
            secret = "ghp_" + "".join(rng.choice(ALNUM) for _ in range(36))
            line = b'static const char *token = "%s";' % secret.encode()
            state[p] = state[p] + b"\n" + line + b"\n"
            changes[p] = state[p]
            live_secrets.append((p, line))
            message = f"add client for {os.path.basename(p)}"
            pending_plant = p
        else:
            pending_plant = None
        if live_secrets and rng.random() < 0.003:
            p, line = live_secrets.pop(rng.randrange(len(live_secrets)))
            if p in state and line in state[p]:
                state[p] = state[p].replace(line + b"\n", b"")
                changes[p] = state[p]
        if not changes:
            continue
        tip = commit("refs/heads/main", message, changes, parent=tip)
        if pending_plant is not None:
            planted.append((tip, pending_plant))
        n += 1
    with open(planted_path, "w") as f:
        for m, p in planted:
            f.write(f":{m}\t{p}\n")


if __name__ == "__main__":
    main()
