#!/usr/bin/env python3
"""Hostile-input benchmark: is keysift linear in the size of one file, whatever its shape?

For each shape below it writes files of 1, 4, 16 and 64 MB (10^6 bytes), once with every
repeated unit on its own line ("lines") and once with no newline at all ("one line"), scans each
file alone on one thread (`keysift scan FILE -j 1 --format json -o /dev/null`; --format picks
another report format: SARIF and text have their own per-finding costs) and prints a
Markdown table: wall and CPU time, CPU seconds per MB, that rate divided by the 1 MB file's
rate (1.0 = perfectly linear; the target is at most 2), and peak RSS minus the file size. A last
case scans 300 MB of `sk-` for memory. Files are generated here, deterministically (fixed
seeds), into --dir, and deleted after their run unless --keep.

Timing: CPU time and peak RSS come from wait4(2) of the keysift process (microsecond CPU
resolution; ru_maxrss is what `/usr/bin/time -v` reports as "Maximum resident set size"). A run
under 0.5 s is repeated three times and the fastest kept. The start-up cost (a scan of an
empty file, fastest of five) is subtracted from every CPU time before dividing by the size, so a
1 MB case is not made to look slow by the fixed cost of compiling the rules. A case that runs
past --timeout seconds of CPU time is killed and reported as such; the larger sizes of that shape and layout are
then skipped (they could only take longer).

    bench/pathological.py [--bin target/release/keysift] [--sizes 1,4,16,64] [--timeout 60]
                          [--shapes aws-kw,...] [--layouts lines,one-line] [--memory-mb 300]
                          [--format json|sarif|text|gitlab]
                          [--dir /tmp/keysift-pathological] [--keep] [--out FILE]
"""

import argparse
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time

MB = 1_000_000
ALNUM = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = b"0123456789abcdef"


def random_text(rng, alphabet, n):
    """n bytes drawn from alphabet (deterministic for a seeded rng)."""
    table = bytes(alphabet[i % len(alphabet)] for i in range(256))
    return rng.randbytes(n).translate(table)


class Shape:
    """A repeated unit. `unit(i, rnd)` returns the i-th unit's bytes; `rnd(alphabet, n)` draws
    random characters."""

    def __init__(self, name, what, unit, sep_one_line=b""):
        self.name, self.what, self.unit, self.sep_one_line = name, what, unit, sep_one_line

    def write(self, path, size, layout, seed=15):
        rng = random.Random(f"{self.name}/{layout}/{seed}")
        pool = {}

        def rnd(alphabet, n):
            # Draw from a large pre-generated pool: fast, and every unit still differs.
            buf, pos = pool.get(alphabet, (b"", 0))
            if pos + n > len(buf):
                buf, pos = random_text(rng, alphabet, 1 << 20), 0
            pool[alphabet] = (buf, pos + n)
            return buf[pos : pos + n]

        sep = b"\n" if layout == "lines" else self.sep_one_line
        written, i, chunk = 0, 0, []
        with open(path, "wb") as f:
            while written < size:
                u = self.unit(i, rnd) + sep
                u = u[: size - written]
                chunk.append(u)
                written += len(u)
                i += 1
                if len(chunk) >= 4096:
                    f.write(b"".join(chunk))
                    chunk = []
            f.write(b"".join(chunk))


def minified_js(i, rnd):
    """About 400 bytes of minified JavaScript, as in a bundled cloud SDK: one
    `apiKey:"<32 alnum>"` property and the context words `aws` and `api-key` nearby (no rule
    takes that value for a key: too short for AWS, not hex for Azure)."""
    n = i % 997
    head = (
        b'var a%d=function(e,t){var r=t||{};return e.map(function(o){return o.id===r.id?'
        b'Object.assign({},o,{provider:r.provider||"aws",apiKey:"' % n
    )
    tail = (
        b'",headers:{"api-key":o.k%d},timeout:r.timeout||6e4}):o})};'
        b'if(typeof window!=="undefined"&&window.addEventListener){window.addEventListener('
        b'"load",function(){document.querySelectorAll("[data-w%d]").forEach(function(x){'
        b'x.classList.add("ready")})})}' % (n % 3 + 1, n)
    )
    body = head + rnd(ALNUM, 32) + tail
    return body + b";" * max(0, 399 - len(body))


SHAPES = [
    Shape("aws-kw", "`aws.x=1;` repeated (context word, no key)", lambda i, r: b"aws.x=1;"),
    Shape(
        "mistral-env",
        "`MISTRAL_API_KEY=` repeated, no value",
        lambda i, r: b"MISTRAL_API_KEY=",
    ),
    Shape("mistral-word", "`mistral ` repeated", lambda i, r: b"mistral "),
    Shape("sk", "`sk-` repeated (keyword, no key)", lambda i, r: b"sk-"),
    Shape("minified-js", "minified JS: `apiKey:\"<32 alnum>\"`, `aws`, `api-key` every 400 bytes", minified_js),
    Shape(
        "github-keys",
        "GitHub classic tokens (`ghp_` + 36 alnum)",
        lambda i, r: b"ghp_" + r(ALNUM, 36),
        b" ",
    ),
    Shape(
        "mistral-keys",
        "`MISTRAL_API_KEY=` + 32 alnum",
        lambda i, r: b"MISTRAL_API_KEY=" + r(ALNUM, 32),
        b" ",
    ),
    Shape(
        "azure-keys",
        "Azure endpoint + `AZURE_OPENAI_API_KEY=` + 32 hex",
        lambda i, r: b"AZURE_OPENAI_ENDPOINT=https://r%d.openai.azure.com AZURE_OPENAI_API_KEY="
        % (i % 100)
        + r(HEX, 32),
        b" ",
    ),
]


def run_once(cmd, timeout):
    """(wall s, cpu s, peak RSS bytes, exit code or None when killed at the timeout).

    The timeout is on CPU time (RLIMIT_CPU), so that a busy machine does not kill a run that
    would finish in time on an idle one; a wall-clock cap of ten times it guards against
    a process that sleeps."""
    def limit():
        secs = max(1, int(timeout + 0.999))
        resource.setrlimit(resource.RLIMIT_CPU, (secs, secs + 1))

    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit)
    killed = False
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > 10 * timeout:
            p.send_signal(signal.SIGKILL)
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.005)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    cpu = ru.ru_utime + ru.ru_stime
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        killed = True
    elif code not in (0, 1):
        sys.exit(f"pathological.py: {' '.join(cmd)} failed ({code}): {err[-500:]}")
    return wall, cpu, ru.ru_maxrss * 1024, None if killed else code


def measure(cmd, timeout):
    best = run_once(cmd, timeout)
    if best[3] is not None and best[0] < 0.5:
        for _ in range(2):
            r = run_once(cmd, timeout)
            best = (min(best[0], r[0]), min(best[1], r[1]), max(best[2], r[2]), best[3])
    return best


def count_findings(ks, path):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [ks, "scan", path, "-j", "1", "--format", "json", "-o", out.name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(out.name, "rb") as f:
            return sum(chunk.count(b'"fingerprint"') for chunk in iter(lambda: f.read(1 << 20), b""))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "keysift"))
    ap.add_argument("--sizes", default="1,4,16,64", help="MB, comma-separated; the first is the reference")
    ap.add_argument("--shapes", default=",".join(s.name for s in SHAPES))
    ap.add_argument("--layouts", default="lines,one-line")
    ap.add_argument("--timeout", type=float, default=60.0, help="CPU seconds per run")
    ap.add_argument("--memory-mb", type=int, default=300, help="size of the `sk-` memory case; 0 skips it")
    ap.add_argument("--format", default="json", choices=["json", "sarif", "text", "gitlab"],
                    help="report format of the timed runs (findings are counted from JSON)")
    ap.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "keysift-pathological"))
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--out", help="also write the table to this file")
    a = ap.parse_args()

    ks = os.path.abspath(a.bin)
    if not os.access(ks, os.X_OK):
        sys.exit(f"pathological.py: no keysift binary at {ks} (cargo build --release)")
    sizes = [int(s) for s in a.sizes.split(",")]
    shapes = {s.name: s for s in SHAPES}
    wanted = [shapes[n] for n in a.shapes.split(",") if n]
    layouts = [l for l in a.layouts.split(",") if l]
    os.makedirs(a.dir, exist_ok=True)

    empty = os.path.join(a.dir, "empty.txt")
    open(empty, "wb").close()
    base = min(run_once([ks, "scan", empty, "-j", "1", "--format", a.format, "-o", "/dev/null"], 30)[1] for _ in range(5))

    version = subprocess.run([ks, "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"## Pathological inputs: {version}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"One file per run, `keysift scan FILE -j 1 --format {a.format} -o /dev/null`; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f} at the start. CPU = user + system time; "
        f"CPU/MB excludes start-up ({base * 1000:.1f} ms, an empty file). "
        f"x{sizes[0]} MB = CPU/MB over the {sizes[0]} MB file's CPU/MB (1.0 = linear). "
        f"RSS - file = peak RSS minus the file size. Timeout {a.timeout:.0f} s of CPU per run.",
        "",
        "| shape | layout | MB | findings | wall s | CPU s | CPU ms/MB | x%d MB | peak RSS MB | RSS - file MB |" % sizes[0],
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    print("\n".join(lines), flush=True)

    def row(cells):
        line = "| " + " | ".join(str(c) for c in cells) + " |"
        lines.append(line)
        print(line, flush=True)

    def case(shape, layout, mb, ref):
        path = os.path.join(a.dir, f"{shape.name}.{layout}.{mb}MB.txt")
        if not os.path.exists(path) or os.path.getsize(path) != mb * MB:
            shape.write(path, mb * MB, layout)
        cmd = [ks, "scan", path, "-j", "1", "--format", a.format, "-o", "/dev/null"]
        wall, cpu, rss, rc = measure(cmd, a.timeout)
        found = count_findings(ks, path) if rc is not None and mb == sizes[0] else ""
        if not a.keep:
            os.remove(path)
        if rc is None:
            row([shape.name, layout, mb, "", f"killed at {a.timeout:.0f} s CPU", "", "", "", "", ""])
            return None
        per = max(cpu - base, 0.0) / mb
        ratio = f"{per / ref:.2f}" if ref else "1.00" if ref is None else ""
        row(
            [shape.name, layout, mb, found, f"{wall:.3f}", f"{cpu:.3f}", f"{per * 1000:.1f}", ratio,
             f"{rss / 1e6:.0f}", f"{(rss - mb * MB) / 1e6:.0f}"]
        )
        return per

    for shape in wanted:
        for layout in layouts:
            ref = None
            for mb in sizes:
                per = case(shape, layout, mb, ref)
                if per is None:
                    for rest in sizes[sizes.index(mb) + 1 :]:
                        row([shape.name, layout, rest, "", "skipped (smaller file timed out)", "", "", "", "", ""])
                    break
                if ref is None:
                    ref = per or 1e-9
    if a.memory_mb:
        case(shapes["sk"], "one-line", a.memory_mb, False)
    lines.append("")
    lines.append(
        "Shapes: "
        + "; ".join(f"`{s.name}` {s.what}" for s in wanted)
        + ". `lines`: a newline after every unit; `one-line`: no newline (keys separated by a space)."
    )
    print(lines[-1])
    if a.out:
        with open(a.out, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
