//! `ducha campaign create|list` on a database set up by `ducha init`, with the shipped example file.

#![allow(clippy::unwrap_used)]

use std::process::Command;

fn ducha() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ducha"));
    c.env_remove("DUCHA_DB").env_remove("DUCHA_SM4_KEY").env("DUCHA_LOG", "warn");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/campaign.example.toml");

#[test]
fn campaign_create_and_list_after_init() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let (code, out, err) = run(ducha()
        .args(["init", "--db", &db, "--city", "4109", "--admin", "admin"])
        .env("DUCHA_NEW_PASSWORD", "a-good-password-17"));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(ducha().args(["campaign", "create", "--db", &db, "--file", EXAMPLE]));
    assert_eq!(code, 0, "{out}{err}");
    let id: i64 = out.trim().parse().unwrap_or_else(|_| panic!("prints the new id: {out}"));
    let (code, out, err) = run(ducha().args(["campaign", "list", "--db", &db]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with(&format!("{id}\t")), "{out}");
    assert!(out.contains("河南省“三散”污染治理专项督察（濮阳市）") && out.contains("第3轮 HA"), "{out}");

    // A wrong file: one clear line naming each bad field, non-zero, nothing created.
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(EXAMPLE)
        .unwrap()
        .replace("hours_start = \"08:00\"", "hours_start = \"8点\"")
        .replace("round = 3", "round = 0");
    std::fs::write(&bad, text).unwrap();
    let (code, _, err) = run(ducha().args(["campaign", "create", "--db", &db, "--file"]).arg(&bad));
    assert_ne!(code, 0);
    assert!(err.contains("hours_start") && err.contains("round") && err.trim().lines().count() == 1, "{err}");
    let unknown = dir.path().join("unknown.toml");
    std::fs::write(&unknown, std::fs::read_to_string(EXAMPLE).unwrap() + "\nhotline = \"12369\"\n").unwrap();
    let (code, _, err) = run(ducha().args(["campaign", "create", "--db", &db, "--file"]).arg(&unknown));
    assert_ne!(code, 0);
    assert!(err.contains("hotline"), "an unknown key is an error: {err}");
    let (_, out, _) = run(ducha().args(["campaign", "list", "--db", &db]));
    assert_eq!(out.lines().count(), 1, "{out}");
}
