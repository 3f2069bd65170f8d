//! `ducha keys`: a new SM4 key, and rotation of the sealed identities to a new key.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use ducha_app::SystemClock;
use ducha_store::{IdentityCipher, KeyMaterial, rotation};

use crate::config::Settings;
use crate::setup::{DbArg, connect, init_tracing, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub cmd: KeysCmd,
}

#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// Print a new random SM4 key (32 hex digits).
    Generate,
    /// Re-seal every complainant identity and discipline-report contact with a new SM4 key, in small
    /// batches while servers keep running, then retire the old keys (audited).
    ///
    /// Without downtime: first give every server the new key as `sm4_key` and the old one in
    /// `sm4_old_keys` (they then write with the new key and read with both), then run this. The old
    /// keys are taken from this command's configuration (`sm4_key`/key file and `sm4_old_keys`).
    Rotate {
        #[command(flatten)]
        db: DbArg,
        /// File holding the new key (32 hex digits); or set `DUCHA_SM4_NEW_KEY`.
        #[arg(long, env = "DUCHA_SM4_NEW_KEY_FILE", value_name = "FILE")]
        new_key_file: Option<PathBuf>,
        /// Rows re-sealed per transaction.
        #[arg(long, default_value_t = 200)]
        batch: i64,
    },
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    match opts.cmd {
        KeysCmd::Generate => {
            println!("{}", KeyMaterial::generate().to_hex());
            Ok(ExitCode::SUCCESS)
        }
        KeysCmd::Rotate { db, new_key_file, batch } => {
            rotate(cfg_path, &db, new_key_file.as_deref(), batch).await
        }
    }
}

/// `ducha keys rotate`: re-seal with the new key, keeping every other configured key for reading.
async fn rotate(
    cfg_path: Option<&Path>,
    db: &DbArg,
    new_key_file: Option<&Path>,
    batch: i64,
) -> Result<ExitCode> {
    let s = settings(cfg_path, db)?;
    init_tracing(&s.log);
    let store = connect(&s).await?;
    let new = new_key(new_key_file)?;
    let mut olds: Vec<KeyMaterial> = Vec::new();
    for k in configured_keys(&s)? {
        if k.key_id() != new.key_id() && !olds.iter().any(|o| o.key_id() == k.key_id()) {
            olds.push(k);
        }
    }
    let cipher = IdentityCipher::new(&new, &olds)?;
    let now = ducha_app::Clock::now(&SystemClock).timestamp_millis();
    let opts = rotation::RotateOptions { batch: batch.max(1), ..rotation::RotateOptions::default() };
    let r = rotation::rotate(&store, &cipher, &opts, now, "命令行（ducha keys rotate）").await?;
    println!(
        "密钥轮换完成：新密钥指纹 {}；重新加密举报人身份信息 {} 条、纪律举报联系方式 {} 条；已停用密钥 {}",
        r.new_key_id,
        r.identities,
        r.contacts,
        if r.retired.is_empty() { "（无）".to_owned() } else { r.retired.join("、") }
    );
    println!(
        "请确认各服务的 sm4_key（或密钥文件）已是新密钥，并可从 sm4_old_keys 中删去已停用的密钥；轮换前的备份仍需旧密钥才能解开身份信息，请与备份一同妥善保管。"
    );
    Ok(ExitCode::SUCCESS)
}

/// The new key for a rotation: from a file, else from `DUCHA_SM4_NEW_KEY`.
fn new_key(file: Option<&Path>) -> Result<KeyMaterial> {
    if let Some(f) = file {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("无法读取新密钥文件 {}", f.display()))?;
        return KeyMaterial::from_hex(text.trim())
            .with_context(|| format!("新密钥文件 {} 格式错误", f.display()));
    }
    #[allow(clippy::disallowed_methods)] // a secret is better read from the environment than argv
    let env = std::env::var("DUCHA_SM4_NEW_KEY");
    match env {
        Ok(k) if !k.trim().is_empty() => Ok(KeyMaterial::from_hex(&k).context("DUCHA_SM4_NEW_KEY 格式错误")?),
        _ => bail!(
            "请用 --new-key-file 或环境变量 DUCHA_SM4_NEW_KEY 给出新密钥（可用 ducha keys generate 生成）"
        ),
    }
}

/// Every key this configuration names: `sm4_key` (or the key file) and `sm4_old_keys`.
fn configured_keys(s: &Settings) -> Result<Vec<KeyMaterial>> {
    let mut keys = Vec::new();
    match &s.sm4_key {
        Some(k) if !k.trim().is_empty() => keys.push(KeyMaterial::from_hex(k)?),
        _ => {
            let file = s.default_key_file();
            if file.exists() {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("无法读取密钥文件 {}", file.display()))?;
                keys.push(
                    KeyMaterial::from_hex(text.trim())
                        .with_context(|| format!("密钥文件 {} 格式错误", file.display()))?,
                );
            }
        }
    }
    for k in &s.sm4_old_keys {
        keys.push(KeyMaterial::from_hex(k)?);
    }
    Ok(keys)
}
