//! Embeds every `rules/*.toml` file in the binary, so a copied `keysift` executable carries its
//! detection rules with it and start-up never touches the file system for them.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("rules");
    println!("cargo::rerun-if-changed=rules");
    let mut files: Vec<String> = fs::read_dir(dir)
        .expect("rules/ directory is readable")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    files.sort();
    let mut out = String::from("/// `(file name, contents)` of every built-in rule file.\n");
    out.push_str("pub static EMBEDDED_RULES: &[(&str, &str)] = &[\n");
    for name in &files {
        let abs = fs::canonicalize(dir.join(name)).expect("rule file path resolves");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_rules.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
