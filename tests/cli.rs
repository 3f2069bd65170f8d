//! The binary's commands, run as a user would run them.

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

#[test]
fn audit_verify_names_the_edited_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let (code, out, err) = run(ducha().args(["demo", "--seed-only", "--file"]).arg(dir.path().join("t.db")));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(ducha().args(["audit", "verify", "--db", &db]));
    assert_eq!(code, 0, "untouched data verifies: {out}{err}");
    assert!(out.contains("审计链完整"), "{out}");

    // Edit one record by hand, as someone with database access might.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = ducha_store::Store::connect(&db, &ducha_store::StoreOptions::default()).await.unwrap();
        ducha_store::Q::new("UPDATE audit_log SET actor_name = '别人' WHERE seq = 7")
            .query()
            .unwrap()
            .execute(store.reader())
            .await
            .unwrap();
        store.close().await;
    });
    let (code, out, err) = run(ducha().args(["audit", "verify", "--db", &db]));
    assert_ne!(code, 0, "{out}{err}");
    assert!(err.contains("第 7 条"), "names the record: {err}");
}

#[test]
fn user_add_and_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("u.db").display());
    let (code, _, err) = run(ducha().args(["demo", "--seed-only", "--file"]).arg(dir.path().join("u.db")));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(ducha()
        .args([
            "user",
            "add",
            "--db",
            &db,
            "--username",
            "zhangsan",
            "--name",
            "张三",
            "--unit",
            "town-410928101",
            "--role",
            "handler",
        ])
        .env("DUCHA_NEW_PASSWORD", "a-good-password"));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("zhangsan"));
    // Wrong role for the unit level: one clear line, non-zero.
    let (code, _, err) = run(ducha()
        .args([
            "user",
            "add",
            "--db",
            &db,
            "--username",
            "lisi",
            "--name",
            "李四",
            "--unit",
            "town-410928101",
            "--role",
            "office",
        ])
        .env("DUCHA_NEW_PASSWORD", "a-good-password"));
    assert_ne!(code, 0);
    assert!(err.starts_with("错误：") && err.trim().lines().count() == 1, "{err}");
    // A bad database URL is one clear line too.
    let (code, _, err) = run(ducha().args(["migrate", "--db", "mysql://nowhere"]));
    assert_ne!(code, 0);
    assert!(err.contains("数据库地址无效"), "{err}");
}

#[test]
fn missing_key_on_encrypted_database_is_a_startup_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let db = format!("sqlite://{}", path.display());
    // First start with a key: writes an identity.
    let key = "00112233445566778899aabbccddeeff";
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = ducha_store::Store::connect(&db, &ducha_store::StoreOptions::default()).await.unwrap();
        store.migrate().await.unwrap();
        let cipher =
            ducha_store::IdentityCipher::new(&ducha_store::KeyMaterial::from_hex(key).unwrap(), &[]).unwrap();
        ducha_store::crypto::check_keys(&store, Some(&cipher), 1).await.unwrap();
        store.close().await;
    });
    // Serving without the key must refuse to start, naming the remedy.
    let (code, _, err) = run(ducha()
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0"])
        .env("DUCHA_SM4_KEY_FILE", dir.path().join("absent.key")));
    assert_ne!(code, 0);
    assert!(err.contains("DUCHA_SM4_KEY"), "{err}");
    // With a wrong key too.
    let (code, _, err) = run(ducha()
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0"])
        .env("DUCHA_SM4_KEY", "ffeeddccbbaa99887766554433221100"));
    assert_ne!(code, 0);
    assert!(err.contains("不符"), "{err}");
}

#[test]
fn calendar_due_is_pinned_and_explains() {
    // Friday 20:01 to a township: held until Monday 08:00, then 3 working days → Thursday 18:00.
    let (code, out, err) = run(ducha().args([
        "calendar",
        "due",
        "--from",
        "2023-12-15T20:01:00+08:00",
        "--working-days",
        "3",
        "--level",
        "township",
        "--explain",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("delivered: 2023-12-18T08:00:00+08:00"), "{out}");
    assert!(out.contains("due:       2023-12-21T18:00:00+08:00"), "{out}");
    assert!(out.contains("夜间静默") && out.contains("星期一"), "explains the hold over the weekend: {out}");
    // Spring Festival 2024 is crossed and named.
    let (_, out, _) = run(ducha().args([
        "calendar",
        "due",
        "--from",
        "2024-02-08T10:00:00+08:00",
        "--working-days",
        "2",
        "--explain",
    ]));
    assert!(out.contains("春节"), "{out}");
    // A year without data is refused with a clear message.
    let (code, _, err) =
        run(ducha().args(["calendar", "due", "--from", "2030-03-01T10:00:00+08:00", "--working-days", "2"]));
    assert_ne!(code, 0);
    assert!(err.contains("2030"), "{err}");
}
