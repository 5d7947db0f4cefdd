//! Keeps the layout a map: reads every `crate::`, `super::` and `keysift::` path in `src/`
//! (test modules aside) and fails on an import cycle between top-level modules or between the
//! modules of `detect/`, on an import that points up the layer order below, on a module the
//! order does not place, and on two modules sharing a name. `src/lib.rs`'s doc mirrors
//! [`LAYERS`]; change both together.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules from the top (the binary) down to the leaves. A module may import
/// modules of its own layer (without a cycle) or of any layer below, never above.
const LAYERS: &[&[&str]] = &[
    &["main"],
    &["app"],
    &["cli"],
    &["commit"],
    &["scan"],
    &["report", "verify", "progress"],
    &["outcome"],
    &["detect"],
    &["decode", "source"],
    &["rules", "config", "finding", "baseline"],
    &["lines", "exit", "diagnostic", "size", "output_file"],
];

/// The modules of `detect/`, in the same sense.
const DETECT_LAYERS: &[&[&str]] = &[
    &["check"],
    &["engine"],
    &["validate"],
    &["candidate"],
    &["context"],
    &["keywords"],
];

/// A source file: its path under `src/` (with `/`) and its text.
type File = (String, String);

#[test]
fn src_follows_the_layer_order() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_dir(&src, &src, &mut files);
    assert!(files.len() > 20, "read {} files under src/", files.len());
    let mut problems = check(&files, LAYERS, None);
    problems.extend(check(&files, DETECT_LAYERS, Some("detect")));
    problems.extend(duplicate_names(&files));
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn checker_catches_cycles_and_upward_imports() {
    let files = |list: &[(&str, &str)]| -> Vec<File> {
        list.iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    };
    let layered: &[&[&str]] = &[&["a"], &["b", "c"], &["d"]];
    // Downward imports only, in every syntax the reader understands.
    let good = files(&[
        (
            "a.rs",
            "use crate::{b::X, c::{self, Y}};\nfn f() { crate::d::g(); }",
        ),
        ("b/mod.rs", "mod inner;\nuse crate::c::Z;"),
        ("b/inner.rs", "use super::super::d::W;\nuse super::Sibling;"),
        (
            "c.rs",
            "use crate::d;\n#[cfg(test)]\nmod tests {\n    use crate::a::X;\n}",
        ),
        (
            "d.rs",
            "// crate::a::X in a comment is no import\npub fn g() {}",
        ),
    ]);
    assert_eq!(check(&good, layered, None), Vec::<String>::new());

    let upward = files(&[
        ("a.rs", ""),
        ("d.rs", "fn f() { crate::b::g(); }"),
        ("b.rs", ""),
    ]);
    let problems = check(&upward, layered, None);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("d -> b") && p.contains("up")),
        "{problems:?}"
    );

    let nested_upward = files(&[("b/inner.rs", "use super::super::a::X;"), ("a.rs", "")]);
    let problems = check(&nested_upward, layered, None);
    assert!(
        problems.iter().any(|p| p.contains("b -> a")),
        "{problems:?}"
    );

    let cycle = files(&[("b.rs", "use crate::c::X;"), ("c.rs", "use crate::b::Y;")]);
    let problems = check(&cycle, layered, None);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("cycle") && p.contains("b") && p.contains("c")),
        "{problems:?}"
    );

    let unplaced = files(&[("e.rs", "use crate::d::X;")]);
    let problems = check(&unplaced, layered, None);
    assert!(problems.iter().any(|p| p.contains("`e`")), "{problems:?}");

    // Inside one folder: its modules against their own order, other folders ignored.
    let inner: &[&[&str]] = &[&["x"], &["y"]];
    let sub = files(&[
        ("a/x.rs", "use super::y::Y;"),
        ("a/y.rs", "use crate::a::x::X;\nuse crate::b::B;"),
        ("b.rs", "use crate::a::x::X;"),
    ]);
    let problems = check(&sub, inner, Some("a"));
    assert!(
        problems.iter().any(|p| p.contains("y -> x")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("cycle")), "{problems:?}");
    assert_eq!(problems.len(), 2, "{problems:?}");

    let twins = files(&[("a/walk.rs", ""), ("b/walk.rs", ""), ("b/mod.rs", "")]);
    assert_eq!(duplicate_names(&twins).len(), 1);
}

fn read_dir(root: &Path, dir: &Path, out: &mut Vec<File>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_dir(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).expect("under src/");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            out.push((rel, text));
        }
    }
}

/// The module path of a file: `detect/context/rank.rs` → `[detect, context, rank]`,
/// `scan/mod.rs` → `[scan]`, `main.rs` → `[main]`, `lib.rs` → `[]`.
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and `#[cfg(test)]` modules.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        let line = match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        code.push_str(line);
        code.push('\n');
    }
    while let Some(at) = code.find("#[cfg(test)]") {
        let rest = &code[at..];
        let Some(open) = rest.find('{') else {
            code.truncate(at);
            break;
        };
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, ch) in rest[open..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        code.replace_range(at..at + end, "");
    }
    code
}

/// `a::{b::C, d::{self, E}}` → `[a::b::C, a::d, a::d::E]`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.split(" as ").next().unwrap_or(tree);
    let Some(open) = tree.find('{') else {
        return vec![tree.to_string()];
    };
    let close = tree.rfind('}').unwrap_or(tree.len());
    let prefix = &tree[..open];
    let inner = &tree[open + 1..close];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    let mut out = Vec::new();
    for item in items.into_iter().map(str::trim).filter(|i| !i.is_empty()) {
        if item == "self" {
            out.push(prefix.trim_end_matches(':').to_string());
        } else {
            out.extend(expand(&format!("{prefix}{item}")));
        }
    }
    out
}

/// Every path a file names, as an absolute module path (`crate::` and `keysift::` alike:
/// the binary's modules and the library's share one namespace).
fn imports(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = code.to_string();
    while let Some(at) = find_use(&rest) {
        let end = rest[at..].find(';').map_or(rest.len(), |e| at + e);
        let stmt: String = rest[at + 4..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        paths.extend(expand(&stmt));
        rest.replace_range(at..end, "");
    }
    let bytes = rest.as_bytes();
    for root in ["crate::", "super::", "keysift::", "self::"] {
        for (i, _) in rest.match_indices(root) {
            if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
                continue;
            }
            let len = rest[i..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len() - i);
            paths.push(rest[i..i + len].trim_end_matches(':').to_string());
        }
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let mut parts: Vec<&str> = p.split("::").collect();
            let mut base: Vec<String> = match parts.first().copied() {
                Some("crate" | "keysift") => {
                    parts.remove(0);
                    Vec::new()
                }
                Some("super") => {
                    let mut base = module.to_vec();
                    while parts.first() == Some(&"super") {
                        parts.remove(0);
                        base.pop();
                    }
                    base
                }
                Some("self") => {
                    parts.remove(0);
                    module.to_vec()
                }
                _ => return None,
            };
            base.extend(parts.into_iter().map(str::to_string));
            Some(base)
        })
        .collect()
}

/// Offset of the next `use` statement's keyword.
fn find_use(code: &str) -> Option<usize> {
    let bytes = code.as_bytes();
    code.match_indices("use ")
        .map(|(i, _)| i)
        .find(|&i| i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
}

/// Problems with the imports between the modules directly under `folder` (the crate root
/// when `None`), judged against `layers`.
fn check(files: &[File], layers: &[&[&str]], folder: Option<&str>) -> Vec<String> {
    let depth = usize::from(folder.is_some());
    let node = |path: &[String]| -> Option<String> {
        if let Some(f) = folder
            && path.first().map(String::as_str) != Some(f)
        {
            return None;
        }
        path.get(depth).cloned()
    };
    let layer_of = |name: &str| layers.iter().position(|l| l.contains(&name));
    let mut nodes = BTreeSet::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in files {
        let module = module_of(rel);
        let Some(from) = node(&module) else { continue };
        nodes.insert(from.clone());
        for target in imports(&module, &code_of(text)) {
            if let Some(to) = node(&target)
                && to != from
            {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    let mut problems = Vec::new();
    for n in &nodes {
        if layer_of(n).is_none() {
            problems.push(format!("module `{n}` has no place in the layer order"));
        }
    }
    for (from, tos) in &edges {
        for to in tos {
            if let (Some(a), Some(b)) = (layer_of(from), layer_of(to))
                && b < a
            {
                problems.push(format!("{from} -> {to} points up the layer order"));
            }
        }
    }
    for cycle in cycles(&edges) {
        problems.push(format!("import cycle: {}", cycle.join(", ")));
    }
    problems
}

/// The strongly connected components of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let i = w.index.len();
        w.index.insert(v, i);
        w.low.insert(v, i);
        w.stack.push(v);
        for next in w.edges.get(v).into_iter().flatten() {
            let next = next.as_str();
            if !w.index.contains_key(next) {
                visit(w, next);
                let low = w.low[v].min(w.low[next]);
                w.low.insert(v, low);
            } else if w.stack.contains(&next) {
                let low = w.low[v].min(w.index[next]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let at = w.stack.iter().rposition(|&s| s == v).unwrap_or(0);
            let mut comp: Vec<String> = w.stack.drain(at..).map(str::to_string).collect();
            if comp.len() > 1 {
                comp.sort();
                w.found.push(comp);
            }
        }
    }
    let mut w = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !w.index.contains_key(v.as_str()) {
            visit(&mut w, v);
        }
    }
    w.found
}

/// Two modules with the same name in different places (`source/walk.rs` and
/// `source/objects/walk.rs`) make a reader guess which one a name means.
fn duplicate_names(files: &[File]) -> Vec<String> {
    let mut seen: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (rel, _) in files {
        if let Some(name) = module_of(rel).last() {
            seen.entry(name.clone()).or_default().push(rel);
        }
    }
    seen.into_iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(name, places)| format!("two modules named `{name}`: {}", places.join(", ")))
        .collect()
}
