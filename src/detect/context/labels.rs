//! A small parser for the assignment syntaxes of config and code (`.env`, YAML, JSON,
//! Dockerfile `ENV`, Terraform, Kubernetes env lists, most languages): the name a value is
//! assigned to on its line, and the value after a name.

use std::ops::Range;

use crate::lines::{line_end_before, line_start_after};

/// How far back from a value its label is looked for, in bytes: on the value's line, and on
/// the lines above for the names of `value:` and `default =` entries. Bounding it keeps the
/// cost per candidate constant on a line of any length.
const REACH: usize = 512;

/// The start of the line holding `pos`, or `pos - REACH` when the line starts before that.
fn line_start_near(hay: &[u8], pos: usize) -> usize {
    line_start_after(hay, pos, pos.saturating_sub(REACH))
}

/// The name a candidate is assigned to on its line, if the line says: `api_key` in
/// `api_key = "<k>"`, `MISTRAL_API_KEY` in `os.environ["MISTRAL_API_KEY"] = "<k>"`,
/// `os.Setenv("MISTRAL_API_KEY", "<k>")` or `const MISTRAL_API_KEY: &str = "<k>"`, and for
/// `value: <k>` the `name:` just before it (Kubernetes env lists, ECS and App Service
/// settings). Returned as a byte range of `hay`.
pub fn own_label(hay: &[u8], secret_start: usize) -> Option<Range<usize>> {
    let line_at = line_start_near(hay, secret_start);
    let mut i = skip_back(hay, line_at, secret_start, is_wrapper);
    if i > line_at && hay[i - 1] == b'=' {
        i -= 1;
        if i > line_at && matches!(hay[i - 1], b':' | b'!') {
            i -= 1;
        }
    } else if i > line_at + 1 && &hay[i - 2..i] == b"=>" {
        i -= 2;
    } else if i > line_at && matches!(hay[i - 1], b':' | b',') {
        i -= 1;
    } else {
        return spaced_label(hay, line_at, secret_start);
    }
    let mut label = name_before(hay, line_at, i)?;
    // A type between name and value: `NAME: &str =`, `name: string =`, `var name string =`.
    if TYPE_WORDS
        .iter()
        .any(|t| t.as_bytes() == &hay[label.clone()])
    {
        let j = skip_back(hay, line_at, label.start, |b| {
            matches!(b, b' ' | b'\t' | b'&' | b':')
        });
        label = name_before(hay, line_at, j).unwrap_or(label);
    }
    if hay[label.clone()].eq_ignore_ascii_case(b"value") {
        return Some(named_value(hay, label.start).unwrap_or(label));
    }
    if &hay[label.clone()] == b"default" {
        return Some(terraform_variable(hay, label.start).unwrap_or(label));
    }
    Some(label)
}

/// Commands that set a variable without an operator: `ENV NAME value` (Dockerfile), `ARG`,
/// `setx NAME value` (Windows), `set -gx NAME value` (fish).
const SETTERS: &[&[u8]] = &[b"ENV", b"ARG", b"setx", b"set"];

/// The name in `ENV NAME <value>`: the word before the value, after a setter command.
fn spaced_label(hay: &[u8], line_at: usize, value_at: usize) -> Option<Range<usize>> {
    let value_at = skip_back(hay, line_at, value_at, |b| matches!(b, b'"' | b'\''));
    // The setter must start the line: when the line starts beyond REACH, it cannot be seen.
    let at_line_start = line_at == 0 || hay[line_at - 1] == b'\n';
    if !at_line_start || value_at == line_at || !hay[value_at - 1].is_ascii_whitespace() {
        return None;
    }
    let name = name_before(
        hay,
        line_at,
        skip_back(hay, line_at, value_at, |b| b == b' ' || b == b'\t'),
    )?;
    let words: Vec<&[u8]> = hay[line_at..name.start]
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty())
        .collect();
    words
        .first()
        .is_some_and(|w| SETTERS.contains(w))
        .then_some(name)
}

/// For a `default` label at `at`: the name of the Terraform `variable "NAME" {` block it sits
/// in, within the three lines above.
fn terraform_variable(hay: &[u8], at: usize) -> Option<Range<usize>> {
    let floor = at.saturating_sub(REACH);
    let mut from = line_start_near(hay, at);
    for _ in 0..3 {
        if from <= floor {
            break;
        }
        from = line_start_after(hay, from - 1, floor);
    }
    let v = from + memchr::memmem::rfind(&hay[from..at], b"variable \"")?;
    let name = v + b"variable \"".len();
    let end = name + memchr::memchr(b'"', &hay[name..at])?;
    (end > name).then_some(name..end)
}

/// Type names that may sit between a variable and its value.
const TYPE_WORDS: &[&str] = &["str", "string", "String", "&str", "'static"];

/// Moves `i` back over bytes matching `skip`, not past `floor`.
fn skip_back(hay: &[u8], floor: usize, mut i: usize, skip: impl Fn(u8) -> bool) -> usize {
    while i > floor && skip(hay[i - 1]) {
        i -= 1;
    }
    i
}

/// The identifier ending just before `end` (past quotes and brackets), not before `floor`.
/// A token that looks like a value rather than a name (`AC3f9c...` in `Client("AC3f9c...",
/// "<k>")`, an `AKIA...` key id before its secret) is no label.
fn name_before(hay: &[u8], floor: usize, end: usize) -> Option<Range<usize>> {
    let end = skip_back(hay, floor, end, is_wrapper);
    let start = skip_back(hay, floor, end, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
    });
    // `\nAPI_KEY = ...` in JSON-escaped code: the `n` belongs to the escape.
    let start =
        if start > floor && hay[start - 1] == b'\\' && matches!(hay[start], b'n' | b't' | b'r') {
            start + 1
        } else {
            start
        };
    let name = &hay[start..end];
    let digits = name.iter().filter(|b| b.is_ascii_digit()).count();
    let separated = name.iter().any(|b| matches!(b, b'_' | b'-' | b'.'));
    let value_like = !separated && (digits > 4 || (name.len() >= 16 && digits > 0));
    (start < end && !value_like).then_some(start..end)
}

/// For a `value` label at `at`: the token after the nearest `name:` / `name =` on the same or
/// the previous line.
fn named_value(hay: &[u8], at: usize) -> Option<Range<usize>> {
    let floor = at.saturating_sub(REACH);
    let own = line_start_near(hay, at);
    let from = if own > floor {
        line_start_after(hay, own - 1, floor)
    } else {
        own
    };
    let n = from + memchr::memmem::rfind(&hay[from..at], b"name")?;
    let rest = &hay[n + 4..at];
    let op = rest.iter().position(|&b| !is_wrapper(b))?;
    if !matches!(rest[op], b':' | b'=') {
        return None;
    }
    let value = token_at(hay, n + 4 + op + 1, at);
    (!value.is_empty()).then_some(value)
}

/// The byte range of the first token of `hay[from..to]` (see [`first_token`]).
pub(super) fn token_at(hay: &[u8], from: usize, to: usize) -> Range<usize> {
    let v = &hay[from..to];
    let token = first_token(v);
    let start = from + (token.as_ptr() as usize - v.as_ptr() as usize);
    start..start + token.len()
}

/// The first assignment operator of `line` (`=`, `:`, `:=`, `=>`), skipping `==`, `::` and the
/// `://` of URLs: its offset and the offset where the value starts.
pub(super) fn find_operator(line: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'=' => {
                let next = line.get(i + 1).copied();
                let prev = i.checked_sub(1).map(|p| line[p]);
                if next == Some(b'=') {
                    i += 2;
                    continue;
                }
                if matches!(prev, Some(b'!' | b'<' | b'>')) {
                    i += 1;
                    continue;
                }
                let after = if next == Some(b'>') { i + 2 } else { i + 1 };
                return Some((i, after));
            }
            b':' => {
                let rest = &line[i + 1..];
                if rest.starts_with(b":") {
                    i += 2;
                    continue;
                }
                if rest.starts_with(b"//") {
                    i += 3;
                    continue;
                }
                let after = if rest.starts_with(b"=") { i + 2 } else { i + 1 };
                return Some((i, after));
            }
            _ => i += 1,
        }
    }
    None
}

/// Quotes, escapes and brackets around values and labels.
fn is_wrapper(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'`' | b'\\' | b'[' | b']'
    )
}

/// The value's first token: past spaces and quotes, up to a space, quote or separator.
fn first_token(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|&b| !is_wrapper(b)).unwrap_or(v.len());
    let v = &v[start..];
    let end = v
        .iter()
        .position(|&b| is_wrapper(b) || matches!(b, b',' | b';' | b')' | b'}' | b'#'))
        .unwrap_or(v.len());
    &v[..end]
}

/// A candidate on a line longer than this is in minified or generated code, where a mention of
/// the provider is usually unrelated: it must be a named value (`apiKey:"<k>"`).
pub const LONG_LINE: usize = 1024;

/// True when the candidate sits on a [`LONG_LINE`] without a label of three or more bytes
/// (minifiers shorten variables to one or two letters but keep property names).
pub fn unnamed_in_long_line(hay: &[u8], secret_start: usize, label: Option<&Range<usize>>) -> bool {
    if label.is_some_and(|l| l.len() >= 3) {
        return false;
    }
    // Searching LONG_LINE + 1 bytes either way tells whether the line is longer.
    let reach = LONG_LINE + 1;
    let end = line_end_before(hay, secret_start, secret_start.saturating_add(reach));
    let start = line_start_after(hay, secret_start, secret_start.saturating_sub(reach));
    end - start > LONG_LINE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_labels() {
        let label = |t: &str| {
            let at = t.rfind("KEY").unwrap();
            own_label(t.as_bytes(), at).map(|l| t[l].to_string())
        };
        assert_eq!(label("api_key = \"KEY\"").as_deref(), Some("api_key"));
        assert_eq!(
            label("os.environ[\"X_Y\"] = \"KEY\"").as_deref(),
            Some("X_Y")
        );
        assert_eq!(label("os.Setenv(\"X_Y\", \"KEY\")").as_deref(), Some("X_Y"));
        assert_eq!(label("  \"apiKey\": \"KEY\",").as_deref(), Some("apiKey"));
        assert_eq!(
            label("- name: SESSION_SECRET\n  value: \"KEY\"").as_deref(),
            Some("SESSION_SECRET")
        );
        assert_eq!(label("const X_Y: &str = \"KEY\";").as_deref(), Some("X_Y"));
        assert_eq!(label("const xY: string = 'KEY';").as_deref(), Some("xY"));
        assert_eq!(
            label("{\"name\": \"X_Y\", \"value\": \"KEY\"}").as_deref(),
            Some("X_Y")
        );
        assert_eq!(
            label("\"x = 1\\nLLM_API_KEY = \\\"KEY\\\"").as_deref(),
            Some("LLM_API_KEY")
        );
        assert_eq!(
            label("ENV SESSION_SECRET KEY").as_deref(),
            Some("SESSION_SECRET")
        );
        assert_eq!(
            label("variable \"session_secret\" {\n  type    = string\n  default = \"KEY\"")
                .as_deref(),
            Some("session_secret")
        );
        assert_eq!(label("Authorization: Bearer KEY"), None);
        assert_eq!(label("Client(\"AC0123456789abcdef\", \"KEY\")"), None);
        let id = ["AKIA", "UWOE2AWE9BLY8Q7R"].concat();
        assert_eq!(label(&format!("Creds(\"{id}\", \"KEY\")")), None);
        assert_eq!(label("Mistral(\"KEY\")"), None);
        assert_eq!(label("KEY"), None);
    }
}
