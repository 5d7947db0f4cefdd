//! What a label names, told by the rule data's word lists ([`Words`]): words that say a value
//! is not a provider's key (`request_id`, `checksum`), and the generic first words of a key
//! name (`api_key`, `token`) that let nearby mentions explain it.

use crate::rules::Words;

/// True when `label`'s words say the value is something other than a provider's API key.
pub fn label_names_something_else(label: &[u8], lists: &Words) -> bool {
    words(label).any(|w| lists.is_not_a_key(w))
        || words(label)
            .last()
            .is_some_and(|w| lists.is_not_a_key_last(w))
}

/// True when `label` (its last dotted part) starts with a generic word or a number.
pub(super) fn is_generic(label: &[u8], lists: &Words) -> bool {
    let last = label.rsplit(|&b| b == b'.').next().unwrap_or(label);
    words(last)
        .next()
        .is_none_or(|w| w.iter().all(u8::is_ascii_digit) || lists.is_generic(w))
}

/// The words of an identifier: split at non-alphanumerics and at lower-to-upper humps.
fn words(label: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut cuts = vec![0];
    for i in 1..label.len() {
        let (a, b) = (label[i - 1], label[i]);
        let sep = !a.is_ascii_alphanumeric() || !b.is_ascii_alphanumeric();
        let hump = a.is_ascii_lowercase() && b.is_ascii_uppercase();
        if sep || hump {
            cuts.push(i);
        }
    }
    cuts.push(label.len());
    cuts.dedup();
    (0..cuts.len() - 1)
        .map(move |i| &label[cuts[i]..cuts[i + 1]])
        .map(|w| {
            let s = w
                .iter()
                .position(u8::is_ascii_alphanumeric)
                .unwrap_or(w.len());
            &w[s..]
        })
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_that_name_something_else() {
        let mut set = crate::rules::RuleSet::default();
        set.add_source(
            "w.toml",
            "[words]\nnot_a_key = ['request', 'session', 'md5']\nservices = ['acme']\n\
             not_a_key_last = ['id']\ngeneric = ['api', 'cx']",
        )
        .unwrap();
        let lists = set.words_for("other");
        for l in [
            "request_id",
            "requestId",
            "SESSION_SECRET",
            "ACME_API_KEY",
            "md5",
        ] {
            assert!(label_names_something_else(l.as_bytes(), &lists), "{l}");
        }
        for l in [
            "api_key",
            "OTHER_API_KEY",
            "apiKey",
            "token",
            "cx_api_key",
            "value",
        ] {
            assert!(!label_names_something_else(l.as_bytes(), &lists), "{l}");
        }
        // A provider's own name never says a value is another service's.
        assert!(!label_names_something_else(
            b"ACME_API_KEY",
            &set.words_for("acme")
        ));
        assert!(is_generic(b"self.cx_api_key", &lists));
        assert!(!is_generic(b"acme_api_key", &lists));
    }
}
