//! Micro-benchmark of keyword-search strategies against the engine, in CPU time of this
//! thread (robust to other load on the machine). Usage:
//! `cargo run --release --example keyword_bench -- TREE` (optionally `PATS=a,b,c` to try a
//! different keyword set). It loads up to 20,000 files of TREE into memory first.
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::time::Duration;

fn cpu() -> Duration {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap();
    Duration::from_nanos(s.split_whitespace().next().unwrap().parse().unwrap())
}

fn time(name: &str, f: impl Fn() -> usize) {
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..3 {
        let t = cpu();
        n = f();
        best = best.min(cpu() - t);
    }
    println!("{name:40} {n:8} {:>8.1} ms", best.as_secs_f64() * 1e3);
}

fn main() {
    let set = keysift::rules::RuleSet::builtin().unwrap();
    let mut pats: Vec<String> = Vec::new();
    for r in set.rules() {
        let kws: Vec<String> = if r.keywords.is_empty() {
            r.context.as_ref().unwrap().keywords.clone()
        } else {
            r.keywords.clone()
        };
        for k in kws {
            if !pats.contains(&k) {
                pats.push(k);
            }
        }
    }
    if let Ok(extra) = std::env::var("PATS") {
        pats = extra.split(',').map(String::from).collect();
    }
    let all = pats.clone();
    pats.retain(|p| !all.iter().any(|q| q != p && p.contains(q.as_str())));
    println!("{} minimal patterns", pats.len());
    let root = std::env::args().nth(1).unwrap();
    let mut data = Vec::new();
    for e in ignore::WalkBuilder::new(&root).hidden(false).build() {
        let e = e.unwrap();
        if e.file_type().is_some_and(|t| t.is_file()) {
            data.push(std::fs::read(e.path()).unwrap());
        }
        if data.len() > 20000 {
            break;
        }
    }
    let total: usize = data.iter().map(|d| d.len()).sum();
    println!("{} files {} MB", data.len(), total >> 20);
    let f = memchr::memmem::Finder::new("sk-");
    time("memmem sk-", || {
        data.iter().map(|d| f.find_iter(d).count()).sum()
    });
    let mut b = aho_corasick::packed::Config::new().builder();
    for p in &pats {
        b.add(p);
    }
    if let Some(t) = b.build() {
        time("teddy all", || {
            data.iter().map(|d| t.find_iter(d).count()).sum()
        });
    }
    let ac = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::Standard)
        .prefilter(false)
        .build(&pats)
        .unwrap();
    time("ac dfa nopref overlapping", || {
        data.iter()
            .map(|d| ac.find_overlapping_iter(d.as_slice()).count())
            .sum()
    });
    let ac = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::Standard)
        .build(&pats)
        .unwrap();
    time("ac dfa pref overlapping", || {
        data.iter()
            .map(|d| ac.find_overlapping_iter(d.as_slice()).count())
            .sum()
    });
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(&pats)
        .unwrap();
    time("ac auto leftmost", || {
        data.iter()
            .map(|d| ac.find_iter(d.as_slice()).count())
            .sum()
    });
    let esc: Vec<String> = pats
        .iter()
        .map(|p| {
            regex_automata::util::syntax::parse(&regex_syntax_escape(p))
                .map(|_| regex_syntax_escape(p))
                .unwrap()
        })
        .collect();
    let re = regex_automata::meta::Regex::new_many(&esc).unwrap();
    time("meta new_many", || {
        data.iter()
            .map(|d| re.find_iter(d.as_slice()).count())
            .sum()
    });
    let ks = keysift::detect::keywords::KeywordSet::new(&all).unwrap();
    time("keyword set", || {
        let mut n = 0;
        for d in &data {
            ks.for_each(d, |_, _| n += 1);
        }
        n
    });
    let set = std::sync::Arc::new(set);
    let eng = keysift::detect::engine::Engine::new(set).unwrap();
    let mut s = keysift::detect::engine::Scratch::default();
    let s = std::cell::RefCell::new(&mut s);
    time("engine", || {
        data.iter()
            .map(|d| eng.scan(d, &mut s.borrow_mut()).len())
            .sum()
    });
}

fn regex_syntax_escape(p: &str) -> String {
    let mut o = String::new();
    for c in p.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}
