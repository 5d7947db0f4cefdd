//! Parses arbitrary bytes as a baseline file (`--baseline`, `.keysift-baseline.json`).
//!
//! Besides "no panic" it checks that errors name the file, that only the version this build
//! reads is accepted, and that a loaded baseline survives being written back and read again.

#![no_main]

use keysift::baseline::{Baseline, VERSION};
use libfuzzer_sys::fuzz_target;

const FILE: &str = ".keysift-baseline.json";

fuzz_target!(|data: &[u8]| {
    match Baseline::parse(data, FILE.to_string()) {
        Err(e) => {
            let message = e.to_string();
            assert!(message.contains(FILE), "error without its file: {message}");
        }
        Ok(b) => {
            assert_eq!(b.version, VERSION);
            let text = serde_json::to_string_pretty(&b).expect("a baseline serializes");
            let again = Baseline::parse(text.as_bytes(), FILE.to_string())
                .expect("a written baseline reads back");
            assert_eq!(again, b);
            let _ = b.matcher();
        }
    }
});
