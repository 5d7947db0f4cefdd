//! A small configuration tree and its renderings (JSON, YAML, TOML, INI, Java properties, JS
//! object literals, and a flat list of environment variables), so one generated configuration
//! can be written in every format people keep keys in.

#[derive(Clone, Debug)]
pub enum Node {
    Obj(Vec<Field>),
    Arr(Vec<Node>),
    Str(String),
    /// A number or boolean, written without quotes.
    Lit(String),
}

#[derive(Clone, Debug)]
pub struct Field {
    pub key: String,
    pub value: Node,
    pub comment: Option<String>,
}

impl Field {
    pub fn new(key: &str, value: Node) -> Field {
        Field {
            key: key.to_string(),
            value,
            comment: None,
        }
    }

    pub fn str(key: &str, value: &str) -> Field {
        Field::new(key, Node::Str(value.to_string()))
    }
}

pub fn s(v: &str) -> Node {
    Node::Str(v.to_string())
}

fn json_str(v: &str) -> String {
    let mut out = String::from("\"");
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// JSON; `indent` 0 writes one line.
pub fn json(n: &Node, indent: usize) -> String {
    let mut out = String::new();
    write_json(n, indent, 0, &mut out);
    out.push('\n');
    out
}

fn write_json(n: &Node, indent: usize, depth: usize, out: &mut String) {
    let pad = |d: usize| " ".repeat(indent * d);
    let (nl, sep) = if indent == 0 {
        ("", ", ")
    } else {
        ("\n", ",\n")
    };
    match n {
        Node::Str(v) => out.push_str(&json_str(v)),
        Node::Lit(v) => out.push_str(v),
        Node::Obj(fields) => {
            out.push('{');
            out.push_str(nl);
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                out.push_str(&pad(depth + 1));
                out.push_str(&json_str(&f.key));
                out.push_str(": ");
                write_json(&f.value, indent, depth + 1, out);
            }
            out.push_str(nl);
            out.push_str(&pad(depth));
            out.push('}');
        }
        Node::Arr(items) => {
            out.push('[');
            out.push_str(nl);
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                out.push_str(&pad(depth + 1));
                write_json(it, indent, depth + 1, out);
            }
            out.push_str(nl);
            out.push_str(&pad(depth));
            out.push(']');
        }
    }
}

/// A JavaScript object literal (unquoted identifier keys, single or double quotes).
pub fn js_object(n: &Node, depth: usize, single: bool) -> String {
    let pad = |d: usize| "  ".repeat(d);
    match n {
        Node::Str(v) if single => format!("'{v}'"),
        Node::Str(v) => format!("\"{v}\""),
        Node::Lit(v) => v.clone(),
        Node::Obj(fields) => {
            let mut out = String::from("{\n");
            for f in fields {
                if let Some(c) = &f.comment {
                    out.push_str(&format!("{}// {c}\n", pad(depth + 1)));
                }
                let key = if f.key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    f.key.clone()
                } else {
                    format!("\"{}\"", f.key)
                };
                out.push_str(&format!(
                    "{}{key}: {},\n",
                    pad(depth + 1),
                    js_object(&f.value, depth + 1, single)
                ));
            }
            out.push_str(&pad(depth));
            out.push('}');
            out
        }
        Node::Arr(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|i| js_object(i, depth + 1, single))
                .collect();
            format!("[{}]", inner.join(", "))
        }
    }
}

fn yaml_scalar(v: &str, quote: u8) -> String {
    if v.contains('\n') {
        return v.to_string();
    }
    match quote {
        0 if !v.is_empty()
            && !v.starts_with(['{', '[', '*', '&', '!', '%', '@', '`', '#', '\'', '"'])
            && !v.contains(": ")
            && !v.contains(" #") =>
        {
            v.to_string()
        }
        1 => format!("'{v}'"),
        _ => json_str(v),
    }
}

/// YAML in block style; `quote` 0 leaves plain scalars bare, 1 single-quotes, 2 double-quotes.
pub fn yaml(n: &Node, quote: u8) -> String {
    let mut out = String::new();
    write_yaml(n, 0, quote, &mut out);
    out
}

fn write_yaml(n: &Node, depth: usize, quote: u8, out: &mut String) {
    let pad = "  ".repeat(depth);
    match n {
        Node::Obj(fields) => {
            for f in fields {
                if let Some(c) = &f.comment {
                    out.push_str(&format!("{pad}# {c}\n"));
                }
                match &f.value {
                    Node::Obj(_) | Node::Arr(_) => {
                        out.push_str(&format!("{pad}{}:\n", f.key));
                        write_yaml(&f.value, depth + 1, quote, out);
                    }
                    Node::Str(v) if v.contains('\n') => {
                        out.push_str(&format!("{pad}{}: |\n", f.key));
                        for line in v.lines() {
                            out.push_str(&format!("{pad}  {line}\n"));
                        }
                    }
                    Node::Str(v) => {
                        out.push_str(&format!("{pad}{}: {}\n", f.key, yaml_scalar(v, quote)))
                    }
                    Node::Lit(v) => out.push_str(&format!("{pad}{}: {v}\n", f.key)),
                }
            }
        }
        Node::Arr(items) => {
            for it in items {
                let mut inner = String::new();
                write_yaml(it, depth + 1, quote, &mut inner);
                match it {
                    Node::Str(v) => out.push_str(&format!("{pad}- {}\n", yaml_scalar(v, quote))),
                    Node::Lit(v) => out.push_str(&format!("{pad}- {v}\n")),
                    _ => {
                        // "- " replaces the first item's indentation.
                        let trimmed = inner.trim_start_matches(' ');
                        out.push_str(&format!("{pad}- {trimmed}"));
                    }
                }
            }
        }
        Node::Str(v) => out.push_str(&format!("{pad}{}\n", yaml_scalar(v, quote))),
        Node::Lit(v) => out.push_str(&format!("{pad}{v}\n")),
    }
}

fn toml_value(n: &Node) -> String {
    match n {
        Node::Str(v) if v.contains('\n') => format!("\"\"\"\n{v}\n\"\"\""),
        Node::Str(v) => json_str(v),
        Node::Lit(v) => v.clone(),
        Node::Arr(items) => {
            let inner: Vec<String> = items.iter().map(toml_value).collect();
            format!("[{}]", inner.join(", "))
        }
        Node::Obj(fields) => {
            let inner: Vec<String> = fields
                .iter()
                .map(|f| format!("{} = {}", f.key, toml_value(&f.value)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
    }
}

/// TOML: scalars first, then one `[table]` per object (dotted for nested objects).
pub fn toml(n: &Node) -> String {
    let mut out = String::new();
    write_toml(n, "", &mut out);
    out
}

fn write_toml(n: &Node, prefix: &str, out: &mut String) {
    let Node::Obj(fields) = n else { return };
    for f in fields {
        if matches!(f.value, Node::Obj(_)) {
            continue;
        }
        if let Some(c) = &f.comment {
            out.push_str(&format!("# {c}\n"));
        }
        out.push_str(&format!("{} = {}\n", f.key, toml_value(&f.value)));
    }
    for f in fields {
        if let Node::Obj(_) = f.value {
            let name = if prefix.is_empty() {
                f.key.clone()
            } else {
                format!("{prefix}.{}", f.key)
            };
            out.push('\n');
            if let Some(c) = &f.comment {
                out.push_str(&format!("# {c}\n"));
            }
            out.push_str(&format!("[{name}]\n"));
            write_toml(&f.value, &name, out);
        }
    }
}

/// INI: top-level scalars, then `[section]`s; deeper levels are joined with `_`.
pub fn ini(n: &Node, comment: &str) -> String {
    let Node::Obj(fields) = n else {
        return String::new();
    };
    let mut out = String::new();
    let mut sections = Vec::new();
    for f in fields {
        match &f.value {
            Node::Obj(_) => sections.push(f),
            _ => push_ini(f, "", comment, &mut out),
        }
    }
    for f in sections {
        out.push('\n');
        if let Some(c) = &f.comment {
            out.push_str(&format!("{comment} {c}\n"));
        }
        out.push_str(&format!("[{}]\n", f.key));
        if let Node::Obj(inner) = &f.value {
            for g in inner {
                push_ini(g, "", comment, &mut out);
            }
        }
    }
    out
}

fn push_ini(f: &Field, prefix: &str, comment: &str, out: &mut String) {
    if let Some(c) = &f.comment {
        out.push_str(&format!("{comment} {c}\n"));
    }
    let key = format!("{prefix}{}", f.key);
    match &f.value {
        Node::Obj(inner) => {
            for g in inner {
                push_ini(g, &format!("{key}_"), comment, out);
            }
        }
        Node::Str(v) | Node::Lit(v) => out.push_str(&format!("{key} = {v}\n")),
        Node::Arr(items) => {
            let inner: Vec<String> = items.iter().map(toml_value).collect();
            out.push_str(&format!("{key} = {}\n", inner.join(",")));
        }
    }
}

/// Java/Spring properties: dotted keys, kebab-case leaves.
pub fn properties(n: &Node) -> String {
    let mut out = String::new();
    for v in flat_with(n, ".", kebab) {
        if let Some(c) = v.comment {
            out.push_str(&format!("# {c}\n"));
        }
        out.push_str(&format!("{}={}\n", v.name, v.value.replace('\n', "\\n")));
    }
    out
}

/// One environment variable of a flattened tree.
#[derive(Clone, Debug)]
pub struct Var {
    pub name: String,
    pub value: String,
    pub comment: Option<String>,
}

/// The tree as environment variables: path parts in UPPER_SNAKE joined with `_`.
pub fn flat(n: &Node) -> Vec<Var> {
    flat_with(n, "_", upper_snake)
}

fn flat_with(n: &Node, sep: &str, name: impl Fn(&str) -> String + Copy) -> Vec<Var> {
    let mut out = Vec::new();
    walk_flat(n, "", sep, name, None, &mut out);
    out
}

fn walk_flat(
    n: &Node,
    prefix: &str,
    sep: &str,
    name: impl Fn(&str) -> String + Copy,
    comment: Option<&String>,
    out: &mut Vec<Var>,
) {
    match n {
        Node::Obj(fields) => {
            for (i, f) in fields.iter().enumerate() {
                let key = if prefix.is_empty() {
                    name(&f.key)
                } else {
                    format!("{prefix}{sep}{}", name(&f.key))
                };
                let c = f.comment.as_ref().or(if i == 0 { comment } else { None });
                walk_flat(&f.value, &key, sep, name, c, out);
            }
        }
        Node::Arr(items) => {
            for (i, it) in items.iter().enumerate() {
                let c = if i == 0 { comment } else { None };
                walk_flat(it, &format!("{prefix}{sep}{i}"), sep, name, c, out);
            }
        }
        Node::Str(v) | Node::Lit(v) => out.push(Var {
            name: prefix.to_string(),
            value: v.clone(),
            comment: comment.cloned(),
        }),
    }
}

/// `apiKey` → `API_KEY`, `api-key` → `API_KEY`, `MISTRAL_API_KEY` unchanged.
pub fn upper_snake(k: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in k.chars() {
        if c == '-' || c == '.' || c == ' ' {
            out.push('_');
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// `apiKey` / `API_KEY` → `api-key`.
pub fn kebab(k: &str) -> String {
    upper_snake(k).to_ascii_lowercase().replace('_', "-")
}

/// `API_KEY` / `api-key` → `apiKey`.
pub fn camel(k: &str) -> String {
    let snake = upper_snake(k).to_ascii_lowercase();
    let mut out = String::new();
    for (i, part) in snake.split('_').filter(|p| !p.is_empty()).enumerate() {
        if i == 0 {
            out.push_str(part);
        } else {
            let mut cs = part.chars();
            if let Some(f) = cs.next() {
                out.push(f.to_ascii_uppercase());
                out.extend(cs);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_conversions() {
        assert_eq!(upper_snake("apiKey"), "API_KEY");
        assert_eq!(upper_snake("MISTRAL_API_KEY"), "MISTRAL_API_KEY");
        assert_eq!(camel("MISTRAL_API_KEY"), "mistralApiKey");
        assert_eq!(kebab("apiKey"), "api-key");
    }
}
