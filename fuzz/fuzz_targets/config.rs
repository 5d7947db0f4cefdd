//! Parses arbitrary text as a `.keysift.toml`, which a scanned repository controls.
//!
//! Besides "no panic" it checks that errors name the file and a line of it, and that an
//! allowlist that loads answers `allows` for any finding.

#![no_main]

use std::path::Path;

use keysift::config::{Allowlist, ConfigError};
use libfuzzer_sys::fuzz_target;

const FILE: &str = ".keysift.toml";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Allowlist::parse(text, Path::new(FILE)) {
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.starts_with(FILE),
                "error without its file: {message}"
            );
            if let ConfigError::Invalid { message, .. } = &e {
                let line: usize = message
                    .strip_prefix("line ")
                    .and_then(|m| m.split(':').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| panic!("error without a line: {message}"));
                let lines = text.lines().count().max(1);
                assert!((1..=lines + 1).contains(&line), "line {line} of {lines}");
            }
        }
        Ok(a) => {
            let probes = [
                ("github-pat", "src/app.env", "not-a-real-token"),
                ("", "", ""),
                ("x", "tests/fixtures/a b\n.env", "\u{0}\u{FFFD}"),
            ];
            for (rule, path, secret) in probes {
                let allowed = a.allows([rule], path, secret);
                assert!(
                    !(a.is_empty() && allowed),
                    "an empty allowlist allowed {rule}"
                );
            }
        }
    }
});
