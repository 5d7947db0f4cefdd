//! Archives and compressed files: members are scanned and named `archive!member`; nesting,
//! bombs, truncation, encryption and lying size fields each get a diagnostic while the scan
//! goes on. The archives are written at run time with the same crates' writers.

mod common;

use std::io::Write;

use common::*;
use predicates::prelude::*;
use tempfile::TempDir;

fn env_file(seed: u64) -> Vec<u8> {
    format!("GROQ_API_KEY={}\n", groq_key(seed)).into_bytes()
}

/// A zip of `(name, contents)` members, deflated.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn bz2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut w =
        lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(6)).unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn members(seed: u64) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("config/.env", env_file(seed)),
        ("README", b"hi\n".to_vec()),
    ]
}

fn refs<'a>(m: &'a [(&'static str, Vec<u8>)]) -> Vec<(&'static str, &'a [u8])> {
    m.iter().map(|(n, b)| (*n, b.as_slice())).collect()
}

fn paths(findings: &[serde_json::Value]) -> Vec<String> {
    let mut p: Vec<String> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    p.sort();
    p
}

#[test]
fn members_of_every_format_are_scanned_and_named_by_origin() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let m1 = members(1);
    std::fs::write(d.join("release.zip"), zip_of(&refs(&m1))).unwrap();
    let m2 = members(2);
    std::fs::write(d.join("report.docx"), zip_of(&refs(&m2))).unwrap();
    let m3 = members(3);
    std::fs::write(d.join("src.tar"), tar_of(&refs(&m3))).unwrap();
    let m4 = members(4);
    std::fs::write(d.join("src.tar.gz"), gz(&tar_of(&refs(&m4)))).unwrap();
    let m5 = members(5);
    std::fs::write(d.join("src.tgz"), gz(&tar_of(&refs(&m5)))).unwrap();
    let m6 = members(6);
    std::fs::write(d.join("src.tar.bz2"), bz2(&tar_of(&refs(&m6)))).unwrap();
    let m7 = members(7);
    std::fs::write(d.join("src.tar.xz"), xz(&tar_of(&refs(&m7)))).unwrap();
    std::fs::write(d.join("app.env.gz"), gz(&env_file(8))).unwrap();
    std::fs::write(d.join("app.env.bz2"), bz2(&env_file(9))).unwrap();
    std::fs::write(d.join("app.env.xz"), xz(&env_file(10))).unwrap();
    // A jar inside a tarball inside a zip.
    let jar = zip_of(&[("META-INF/app.properties", &env_file(11))]);
    let tgz = gz(&tar_of(&[("lib/app.jar", &jar)]));
    std::fs::write(d.join("bundle.zip"), zip_of(&[("dist/lib.tgz", &tgz)])).unwrap();

    let (code, findings, stderr) = scan_json(d, &["."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        paths(&findings),
        [
            "app.env.bz2!app.env",
            "app.env.gz!app.env",
            "app.env.xz!app.env",
            "bundle.zip!dist/lib.tgz!lib/app.jar!META-INF/app.properties",
            "release.zip!config/.env",
            "report.docx!config/.env",
            "src.tar!config/.env",
            "src.tar.bz2!config/.env",
            "src.tar.gz!config/.env",
            "src.tar.xz!config/.env",
            "src.tgz!config/.env",
        ]
    );
    assert!(findings.iter().all(|f| f["line"] == 1 && f["column"] == 14));

    let out = keysift()
        .current_dir(d)
        .args(["scan", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("scanned 18 files (") && text.contains("; 18 inside 13 archives)"),
        "summary counts archives: {text}"
    );
}

#[test]
fn no_archives_scans_them_as_they_are() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("release.zip"),
        zip_of(&[("config/.env", &env_file(20))]),
    )
    .unwrap();
    let (code, findings, _) = scan_json(dir.path(), &["--no-archives", "."]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn a_zip_bomb_is_refused_and_the_scan_goes_on() {
    let dir = TempDir::new().unwrap();
    let zeros = vec![b'0'; 20 * 1024 * 1024];
    std::fs::write(dir.path().join("bomb.gz"), gz(&zeros)).unwrap();
    std::fs::write(
        dir.path().join("bomb.zip"),
        zip_of(&[("zeros.txt", &zeros), ("config/.env", &env_file(21))]),
    )
    .unwrap();
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    // The secret after the bomb is still found, so the exit is 1, not 2.
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(paths(&findings), ["bomb.zip!config/.env"]);
    assert!(
        stderr.contains("bomb.gz!bomb: expands more than 200:1 (a zip bomb?), not scanned"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bomb.zip!zeros.txt: expands more than"),
        "{stderr}"
    );
}

#[test]
fn truncated_archives_get_a_diagnostic_and_exit_two() {
    let dir = TempDir::new().unwrap();
    let filler: Vec<u8> = (0..20_000)
        .flat_map(|i| format!("line {i}\n").into_bytes())
        .collect();
    let zip = zip_of(&[("a.txt", &filler)]);
    std::fs::write(dir.path().join("cut.zip"), &zip[..zip.len() / 2]).unwrap();
    let tgz = gz(&tar_of(&[("a.txt", &filler), ("b.txt", &filler)]));
    std::fs::write(dir.path().join("cut.tar.gz"), &tgz[..tgz.len() / 2]).unwrap();
    write(dir.path(), "clean.txt", "nothing\n");
    keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: cut.zip: unreadable zip archive",
        ))
        .stderr(predicate::str::contains("error: cut.tar.gz"))
        .stdout(predicate::str::contains("no secrets found").not())
        .stdout(predicate::str::contains("scan incomplete"));
}

#[test]
fn encrypted_members_are_reported_not_skipped_silently() {
    use zip::unstable::write::FileOptionsExt;
    let dir = TempDir::new().unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .with_deprecated_encryption(b"hunter2")
        .unwrap();
    w.start_file("secret/.env", opts).unwrap();
    w.write_all(&env_file(22)).unwrap();
    w.start_file("plain/.env", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(&env_file(23)).unwrap();
    std::fs::write(
        dir.path().join("locked.zip"),
        w.finish().unwrap().into_inner(),
    )
    .unwrap();
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(paths(&findings), ["locked.zip!plain/.env"]);
    assert!(
        stderr.contains("locked.zip!secret/.env: encrypted (password-protected), not scanned"),
        "{stderr}"
    );
    // Without a finding the unscanned member makes the run incomplete: exit 2.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("secret/.env", opts).unwrap();
    w.write_all(&env_file(24)).unwrap();
    std::fs::write(
        dir.path().join("locked.zip"),
        w.finish().unwrap().into_inner(),
    )
    .unwrap();
    keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("no secrets found").not());
}

#[test]
fn recursive_nesting_stops_at_the_depth_limit() {
    let dir = TempDir::new().unwrap();
    let mut inner = zip_of(&[("deep/.env", &env_file(25))]);
    for level in 0..6 {
        inner = zip_of(&[(&format!("level{level}.zip"), &inner)]);
    }
    std::fs::write(dir.path().join("nest.zip"), inner).unwrap();
    keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nested more than 4 deep"));
}

#[test]
fn lying_size_fields_are_caught() {
    let dir = TempDir::new().unwrap();
    // A tar header that claims 1 MiB with 40 bytes behind it.
    let mut tar = tar_of(&[("a.env", &env_file(26))]);
    let mut h = tar::Header::new_gnu();
    h.set_size(1 << 20);
    h.set_mode(0o644);
    h.set_path("liar.txt").unwrap();
    h.set_cksum();
    let end = tar.len() - 1024;
    tar.truncate(end);
    tar.extend_from_slice(h.as_bytes());
    tar.extend_from_slice(&[b'x'; 512]);
    std::fs::write(dir.path().join("liar.tar"), &tar).unwrap();
    // A zip whose central directory understates a member's size.
    let mut zip = zip_of(&[("big.txt", &vec![b'a'; 4096])]);
    let cd = zip
        .windows(4)
        .rposition(|w| w == b"PK\x01\x02")
        .expect("central directory");
    zip[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
    std::fs::write(dir.path().join("liar.zip"), &zip).unwrap();
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(paths(&findings), ["liar.tar!a.env"]);
    assert!(
        stderr.contains("liar.tar!liar.txt: truncated or corrupt"),
        "{stderr}"
    );
    assert!(
        stderr.contains("liar.zip!big.txt: truncated or corrupt"),
        "{stderr}"
    );
}

#[test]
fn max_file_size_applies_to_archive_members() {
    let dir = TempDir::new().unwrap();
    let mut big = env_file(30);
    big.extend((0..40_000).flat_map(|i| format!("row {i}\n").into_bytes()));
    std::fs::write(
        dir.path().join("logs.zip"),
        zip_of(&[("big.log", &big), ("small.env", &env_file(31))]),
    )
    .unwrap();
    let (code, findings, stderr) = scan_json(dir.path(), &["--max-file-size", "100K", "-v", "."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(paths(&findings), ["logs.zip!small.env"]);
    assert!(
        stderr.contains("logs.zip!big.log: larger than --max-file-size"),
        "{stderr}"
    );
}
