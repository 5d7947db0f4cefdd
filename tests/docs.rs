//! Shell completions, man pages and the README's option table all follow the one clap
//! definition: every flag `keysift scan --help` shows is in each of them.

mod common;

use common::keysift;

/// The long flags `keysift scan --help` lists (without `--help`).
fn scan_flags() -> Vec<String> {
    let out = keysift().args(["scan", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    let mut flags: Vec<String> = help
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            // `-f, --format <FORMAT>` or `--staged`.
            let l = match l.as_bytes() {
                [b'-', c, b',', b' ', ..] if *c != b'-' => &l[4..],
                _ => l,
            };
            let flag = l.strip_prefix("--")?;
            let name: String = flag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            (!name.is_empty()).then(|| format!("--{name}"))
        })
        .filter(|f| f != "--help")
        .collect();
    flags.sort();
    flags.dedup();
    assert!(
        flags.len() > 20,
        "help parsing found too few flags: {flags:?}"
    );
    flags
}

#[test]
fn readme_option_table_lists_every_scan_flag() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `")).collect();
    let missing: Vec<String> = scan_flags()
        .into_iter()
        .filter(|f| {
            !table.iter().any(|row| {
                let cell = row.split(" | ").next().unwrap_or("");
                cell.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .any(|w| w == f)
            })
        })
        .collect();
    assert!(missing.is_empty(), "README option table lacks {missing:?}");
}

#[test]
fn completions_cover_every_scan_flag_in_each_shell() {
    let flags = scan_flags();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = keysift().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for f in &flags {
            // fish spells long options `-l name`.
            let fish = format!("-l {}", &f[2..]);
            assert!(
                script.contains(f.as_str()) || script.contains(&fish),
                "{shell} completion lacks {f}"
            );
        }
    }
    keysift().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_pages_are_roff_with_every_option() {
    let out = keysift().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH keysift 1"), "{page}");
    assert!(page.contains("install\\-hook"), "{page}");

    let out = keysift().args(["man", "scan"]).output().unwrap();
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH keysift-scan 1"), "{page}");
    let source = format!("\"keysift {}\"", env!("CARGO_PKG_VERSION"));
    assert!(page.contains(&source), "footer lacks {source}: {page}");
    for f in scan_flags() {
        // roff escapes each '-' as '\-'.
        assert!(page.contains(&f.replace('-', "\\-")), "man page lacks {f}");
    }
    keysift()
        .args(["man", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no subcommand `nope`"));
}
