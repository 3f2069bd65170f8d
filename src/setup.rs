//! What the commands share: the `--db` option and the settings it overrides, connecting (and
//! migrating), the SM4 key, logging, and the listener and worker id of the serving commands.

use std::path::Path;

use anyhow::{Context, Result};
use clap::Args;
use ducha_store::{IdentityCipher, KeyMaterial, Store, StoreOptions, crypto, redact_url};

use crate::config::Settings;

#[derive(Debug, Args)]
pub struct DbArg {
    /// Database URL: `sqlite://FILE` (default `sqlite://ducha.db`) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DUCHA_DB", value_name = "URL")]
    pub db: Option<String>,
}

/// The configuration (file and environment), with `--db` over it when given.
pub fn settings(cli_config: Option<&Path>, db: &DbArg) -> Result<Settings> {
    let mut s = Settings::load(cli_config)?;
    if let Some(url) = &db.db {
        s.db = url.clone();
    }
    Ok(s)
}

/// Connect and migrate.
pub async fn connect(s: &Settings) -> Result<Store> {
    connect_with(s, false).await
}

/// Connect and migrate; `server` for the long-running `serve` (SQLite checkpoints in the background).
pub async fn connect_with(s: &Settings, server: bool) -> Result<Store> {
    let store = Store::connect(
        &s.db,
        &StoreOptions {
            max_connections: s.max_connections,
            sqlite_synchronous: s.sqlite_synchronous.clone(),
            sqlite_background_checkpoint: server,
            ..StoreOptions::default()
        },
    )
    .await
    .with_context(|| format!("无法连接数据库 {}", redact_url(&s.db)))?;
    store.migrate().await.context("数据库迁移失败")?;
    Ok(store)
}

/// Connect without migrating (backup reads what is there; restore migrates itself).
pub async fn connect_only(s: &Settings) -> Result<Store> {
    Store::connect(
        &s.db,
        &StoreOptions {
            max_connections: s.max_connections,
            sqlite_synchronous: s.sqlite_synchronous.clone(),
            ..StoreOptions::default()
        },
    )
    .await
    .with_context(|| format!("无法连接数据库 {}", redact_url(&s.db)))
}

/// Find the SM4 key: explicit setting, else the key file; on a database without encrypted data a
/// missing key file may be created (`create`).
pub async fn key(s: &Settings, store: &Store, create: bool, now_ms: i64) -> Result<Option<IdentityCipher>> {
    let olds: Vec<KeyMaterial> =
        s.sm4_old_keys.iter().map(|k| KeyMaterial::from_hex(k)).collect::<Result<_, _>>()?;
    let current = match &s.sm4_key {
        Some(k) if !k.trim().is_empty() => Some(KeyMaterial::from_hex(k)?),
        _ => {
            let file = s.default_key_file();
            if file.exists() {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("无法读取密钥文件 {}", file.display()))?;
                Some(
                    KeyMaterial::from_hex(text.trim())
                        .with_context(|| format!("密钥文件 {} 格式错误", file.display()))?,
                )
            } else {
                None
            }
        }
    };
    let current = match current {
        Some(k) => k,
        None => {
            // No key configured: fine only if the database holds no encrypted data yet.
            crypto::check_keys(store, None, now_ms).await?;
            if !create {
                return Ok(None);
            }
            let file = s.default_key_file();
            let k = KeyMaterial::generate();
            write_secret(&file, &k.to_hex())?;
            tracing::warn!(file = %file.display(), "新生成 SM4 密钥文件；请妥善备份，丢失后无法解密举报人信息");
            k
        }
    };
    let cipher = IdentityCipher::new(&current, &olds)?;
    crypto::check_keys(store, Some(&cipher), now_ms).await?;
    Ok(Some(cipher))
}

fn write_secret(path: &Path, content: &str) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).with_context(|| format!("无法创建密钥文件 {}", path.display()))?;
    f.write_all(content.as_bytes())?;
    f.write_all(b"\n")?;
    Ok(())
}

/// A worker id unique per process (host + pid), so leases of several instances never collide.
pub fn worker_id() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "host".into());
    format!("{host}-{}", std::process::id())
}

/// Log to standard output with the configured filter (`info` when it does not parse).
pub fn init_tracing(filter: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(filter)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_target(false)
        // Colour codes only on a terminal, not in a log file or the journal.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .try_init();
}

/// Bind the listen address.
pub async fn listen(addr: &str) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await.with_context(|| format!("无法监听地址 {addr}"))
}
