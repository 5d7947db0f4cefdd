//! Micro-benchmark of the decoding layer against the engine, in CPU time of this thread
//! (robust to other load on the machine). Usage:
//! `cargo run --release --example decode_bench -- TREE`. It loads up to 20,000 files of TREE
//! into memory first, then times the engine's pass, the search for encoded runs, and the whole
//! decoding layer (runs, layers and the engine over them), best of three.
use std::sync::Arc;
use std::time::Duration;

use keysift::decode;
use keysift::detect::engine::{Engine, Scratch};
use keysift::rules::RuleSet;

fn cpu() -> Duration {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap();
    Duration::from_nanos(s.split_whitespace().next().unwrap().parse().unwrap())
}

fn time(name: &str, mut f: impl FnMut() -> usize) {
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..3 {
        let t = cpu();
        n = f();
        best = best.min(cpu() - t);
    }
    println!("{name:40} {n:8} {:>8.1} ms", best.as_secs_f64() * 1e3);
}

fn load(dir: &std::path::Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if out.len() >= 20_000 {
            return;
        }
        let p = e.path();
        if p.is_dir() {
            load(&p, out);
        } else if let Ok(b) = std::fs::read(&p)
            && !b.contains(&0)
        {
            out.push(b);
        }
    }
}

fn main() {
    let tree = std::env::args().nth(1).expect("usage: decode_bench TREE");
    let mut files = Vec::new();
    load(std::path::Path::new(&tree), &mut files);
    let bytes: usize = files.iter().map(Vec::len).sum();
    println!("{} files, {:.1} MB", files.len(), bytes as f64 / 1e6);
    let engine = Engine::new(Arc::new(RuleSet::builtin().unwrap())).unwrap();
    let mut scratch = Scratch::default();
    time("engine", || {
        files
            .iter()
            .map(|f| engine.scan(f, &mut scratch).len())
            .sum()
    });
    let mut runs = Vec::new();
    time("encoded runs", || {
        let mut n = 0;
        for f in &files {
            runs.clear();
            decode::runs::find(f, 0..f.len(), &mut runs);
            n += runs.len();
        }
        n
    });
    time("decoding layer (runs, layers, engine)", || {
        let mut n = 0;
        for f in &files {
            decode::layers(f, |layer| n += engine.scan(&layer.buf, &mut scratch).len());
        }
        n
    });
}
