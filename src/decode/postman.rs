//! Postman collections: a request's credentials sit in its header or auth list, many lines
//! from the request's name ("<Provider> embed") and URL (`api.<provider>.ai`) that say whose they
//! are. This view writes each credential on a line of its own under the request's name and URL,
//! so the context rules read them together; its pieces map back verbatim.

use std::ops::Range;

use serde_json::Value;

use super::{Layer, Piece};

/// Largest collection parsed (a parsed JSON document takes several times its size).
const MAX_COLLECTION: usize = 16 * 1024 * 1024;

/// The view of `hay` when it is a Postman collection with header or auth values.
pub fn layer(hay: &[u8]) -> Option<Layer> {
    if hay.len() > MAX_COLLECTION
        || (memchr::memmem::find(hay, b"getpostman.com").is_none()
            && memchr::memmem::find(hay, b"_postman_id").is_none())
    {
        return None;
    }
    let doc: Value = serde_json::from_slice(hay).ok()?;
    let mut view = View {
        hay,
        cursor: 0,
        layer: Layer::default(),
    };
    view.items(&doc["item"], 0);
    (!view.layer.pieces.is_empty()).then_some(view.layer)
}

/// Folders nest at most this deep.
const MAX_NESTING: usize = 32;

struct View<'a> {
    hay: &'a [u8],
    /// Values are found in document order from here, so each search starts where the last
    /// ended and the whole file is read once.
    cursor: usize,
    layer: Layer,
}

impl View<'_> {
    fn items(&mut self, items: &Value, depth: usize) {
        let Some(items) = items.as_array() else {
            return;
        };
        for item in items {
            if depth < MAX_NESTING {
                self.items(&item["item"], depth + 1);
            }
            let request = &item["request"];
            let name = item["name"].as_str().unwrap_or_default();
            let url = match &request["url"] {
                Value::String(s) => s.as_str(),
                u => u["raw"].as_str().unwrap_or_default(),
            };
            let mut values: Vec<(&str, &str)> = Vec::new();
            for h in request["header"].as_array().into_iter().flatten() {
                if let (Some(k), Some(v)) = (h["key"].as_str(), h["value"].as_str()) {
                    values.push((k, v));
                }
            }
            let auth = &request["auth"];
            if let Some(kind) = auth["type"].as_str() {
                for a in auth[kind].as_array().into_iter().flatten() {
                    if let (Some(k), Some(v)) = (a["key"].as_str(), a["value"].as_str()) {
                        values.push((k, v));
                    }
                }
            }
            for (key, value) in values {
                self.value(name, url, key, value);
            }
        }
    }

    /// Writes `key: value` under the request's name and URL, when `value` is found written
    /// as is (no escapes) in the file.
    fn value(&mut self, name: &str, url: &str, key: &str, value: &str) {
        if value.len() < 16 || value.contains(['"', '\\']) {
            return;
        }
        let quoted = format!("\"{value}\"");
        let Some(at) = memchr::memmem::find(&self.hay[self.cursor..], quoted.as_bytes()) else {
            return;
        };
        let origin: Range<usize> = self.cursor + at + 1..self.cursor + at + 1 + value.len();
        self.cursor = origin.end;
        let buf = &mut self.layer.buf;
        let one_line = |s: &str| s.replace(['\n', '\r'], " ");
        buf.extend_from_slice(
            format!(
                "\n\n\n\n\n\n\n\n\n\n\n\n# {}\n# {}\n{}: ",
                one_line(name),
                one_line(url),
                one_line(key)
            )
            .as_bytes(),
        );
        let start = buf.len();
        buf.extend_from_slice(value.as_bytes());
        buf.push(b'\n');
        self.layer.pieces.push(Piece {
            at: start..start + value.len(),
            origin,
            chain: Vec::new(),
            quads: None,
        });
    }
}
