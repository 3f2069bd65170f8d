//! The command tree. `Cli::command().debug_assert()` is checked in a test.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use ducha_app::{App, SystemClock};
use ducha_store::{
    IdentityCipher, KeyMaterial, Store, StoreOptions, audit, backup, crypto, redact_url, rotation,
};

use crate::config::Settings;

#[derive(Debug, Parser)]
#[command(
    name = "ducha",
    version,
    about = "督察 — 生态环境保护督察群众举报受理、交办、办理、验收与信息公开平台"
)]
pub struct Cli {
    /// Configuration file (TOML); `ducha.toml` in the working directory is read when present.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct DbArg {
    /// Database URL: `sqlite://FILE` (default `sqlite://ducha.db`) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DUCHA_DB", value_name = "URL")]
    pub db: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the platform.
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Listen address, e.g. 127.0.0.1:8080.
        #[arg(long, value_name = "HOST:PORT")]
        addr: Option<String>,
    },
    /// Run the platform on a fresh embedded database seeded with a realistic Puyang campaign.
    Demo {
        /// Listen address.
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Where the demo database goes (recreated on every run).
        #[arg(long, value_name = "FILE", default_value = "ducha-demo.db")]
        file: PathBuf,
        /// Seed the database and exit without serving.
        #[arg(long)]
        seed_only: bool,
    },
    /// Apply database migrations.
    Migrate {
        #[command(flatten)]
        db: DbArg,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Import reference data.
    Import {
        #[command(subcommand)]
        cmd: ImportCmd,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Key management.
    Keys {
        #[command(subcommand)]
        cmd: KeysCmd,
    },
    /// The working-time calendar (holidays and 调休).
    Calendar {
        #[command(subcommand)]
        cmd: CalendarCmd,
    },
    /// Public-opinion monitoring (舆情).
    Opinion {
        #[command(subcommand)]
        cmd: OpinionCmd,
    },
    /// Public disclosure (边督边改信息公开).
    Disclosure {
        #[command(subcommand)]
        cmd: DisclosureCmd,
    },
    /// Triage complaint text: JSONL in, JSONL out (place, pollution types, 三散, duplicate, redacted text);
    /// or evaluate against labelled data (`--eval`, `--score`).
    Triage(crate::triage_cmd::TriageArgs),
    /// Generate synthetic complaints: labelled JSONL for `ducha triage`, or cases in a database (`--db`).
    Gen(crate::gen_cmd::GenArgs),
    /// Write an online, consistent backup (portable JSON lines; restores into SQLite or PostgreSQL).
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// The backup file to create (must not exist yet).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a backup into an empty database (refuses one that holds data).
    Restore {
        #[command(flatten)]
        db: DbArg,
        /// The backup file written by `ducha backup`.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum CalendarCmd {
    /// Show how a due time is computed: delivery (after quiet hours for grassroots levels) and due.
    Due {
        /// Creation time, ISO-8601 (`2024-02-08T21:30:00+08:00`; without offset read as Beijing time).
        #[arg(long, value_name = "ISO-8601")]
        from: String,
        /// Working days allowed.
        #[arg(long, value_name = "N")]
        working_days: u32,
        /// The receiving level: team, city, county, township, department.
        #[arg(long)]
        level: Option<String>,
        /// List the holidays, weekends and make-up working days crossed.
        #[arg(long)]
        explain: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OpinionCmd {
    /// Import exported posts (Weibo, WeChat articles, forum threads, news) from a JSONL or CSV file.
    Import {
        /// The export file (UTF-8).
        file: PathBuf,
        /// `jsonl` or `csv` (default: from the file extension, else jsonl).
        #[arg(long, value_parser = ["jsonl", "csv"])]
        format: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Poll every due feed source once.
    Poll {
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum DisclosureCmd {
    /// R2.6: list every assigned case not disclosed within the configured working days; exit non-zero
    /// (4) when any is still undisclosed past its due time.
    Check {
        #[command(flatten)]
        db: DbArg,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Create a user. The password is read from `DUCHA_NEW_PASSWORD` or from standard input.
    Add {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        username: String,
        /// Display name (姓名).
        #[arg(long)]
        name: String,
        /// Unit code, e.g. `county-410928` (see `ducha user units`).
        #[arg(long)]
        unit: String,
        /// operator | team | office | handler | opinion | provincial | admin
        #[arg(long)]
        role: String,
    },
    /// List unit codes.
    Units {
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// Import NBS division codes from a directory in the NBS CSV layout.
    Gazetteer {
        /// Directory with provinces.csv, cities.csv, areas.csv, streets.csv and optionally villages*.csv.
        dir: PathBuf,
        /// Only this city's townships and villages (4 digits).
        #[arg(long, default_value = "4109")]
        city: String,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Walk the hash chain; exit non-zero naming the first broken record.
    Verify {
        #[command(flatten)]
        db: DbArg,
    },
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

fn settings(cli_config: Option<&Path>, db: &DbArg) -> Result<Settings> {
    let mut s = Settings::load(cli_config)?;
    if let Some(url) = &db.db {
        s.db = url.clone();
    }
    Ok(s)
}

async fn connect(s: &Settings) -> Result<Store> {
    connect_with(s, false).await
}

/// Connect and migrate; `server` for the long-running `serve` (SQLite checkpoints in the background).
async fn connect_with(s: &Settings, server: bool) -> Result<Store> {
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

/// Connect without migrating (backup reads what is there; restore migrates itself).
async fn connect_only(s: &Settings) -> Result<Store> {
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

/// Write the backup next to its final name and move it there only when complete and on disk.
async fn write_backup(store: &Store, out: &Path, now_ms: i64) -> Result<backup::BackupSummary> {
    if out.exists() {
        bail!("备份文件 {} 已存在；请换一个文件名", out.display());
    }
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&partial)
        .with_context(|| format!("无法创建备份文件 {}", partial.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let summary = match backup::backup(store, &mut w, now_ms).await {
        Ok(s) => s,
        Err(e) => {
            drop(w);
            let _ = std::fs::remove_file(&partial);
            return Err(e).context("备份失败");
        }
    };
    let file = w.into_inner().map_err(|e| e.into_error()).context("写入备份文件失败")?;
    file.sync_all().context("写入备份文件失败")?;
    std::fs::rename(&partial, out).with_context(|| format!("无法写入 {}", out.display()))?;
    Ok(summary)
}

/// Find the SM4 key: explicit setting, else the key file; on a database without encrypted data a
/// missing key file may be created (`create`).
async fn key(s: &Settings, store: &Store, create: bool, now_ms: i64) -> Result<Option<IdentityCipher>> {
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
fn worker_id() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "host".into());
    format!("{host}-{}", std::process::id())
}

fn init_tracing(filter: &str) {
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

async fn listen(addr: &str) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await.with_context(|| format!("无法监听地址 {addr}"))
}

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let cfg_path = cli.config.as_deref();
    match cli.command {
        Command::Serve { db, addr } => {
            let mut s = settings(cfg_path, &db)?;
            if let Some(a) = addr {
                s.addr = a;
            }
            init_tracing(&s.log);
            let store = connect_with(&s, true).await?;
            // Several instances may start together on one PostgreSQL database: they take turns at
            // the key check and the directory bootstrap.
            let startup = store.startup_lock().await?;
            let now = ducha_app::Clock::now(&SystemClock).timestamp_millis();
            let cipher = key(&s, &store, true, now).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), cipher);
            app.bootstrap_directory(ducha_triage::Gazetteer::builtin()).await?;
            let sealed = app.seal_legacy_callback_comments().await?;
            if sealed > 0 {
                tracing::info!(sealed, "older callback comments sealed, firewalled text kept in the clear");
            }
            startup.release().await?;
            app.sync_dup_index().await?;
            let _opinion_worker = ducha_app::opinion::spawn_opinion_worker(app.clone());
            let listener = listen(&s.addr).await?;
            ducha_app::worker::spawn_worker(app.clone(), worker_id());
            println!("ducha 已启动：http://{}", listener.local_addr()?);
            ducha_web::serve(app, listener).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { addr, file, seed_only } => {
            let s = Settings::load(cfg_path)?;
            init_tracing(&s.log);
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let p = PathBuf::from(format!("{}{suffix}", file.display()));
                if p.exists() {
                    std::fs::remove_file(&p)
                        .with_context(|| format!("无法删除旧的演示数据库 {}", p.display()))?;
                }
            }
            let url = format!("sqlite://{}", file.display());
            let store = Store::connect(
                &url,
                &StoreOptions {
                    sqlite_synchronous: "NORMAL".into(),
                    // The demo serves like `serve` (unless it only seeds).
                    sqlite_background_checkpoint: !seed_only,
                    ..StoreOptions::default()
                },
            )
            .await?;
            store.migrate().await?;
            // The demo's key lives only in memory: the demo database is recreated on every run.
            let cipher = IdentityCipher::new(&KeyMaterial::generate(), &[])?;
            let now = ducha_app::Clock::now(&SystemClock);
            crypto::check_keys(&store, Some(&cipher), now.timestamp_millis()).await?;
            let today = ducha_domain::time::to_cst(now).date_naive();
            let (cfg, calendar_note) = ducha_app::demo::demo_config(s.app.clone(), today);
            if let Some(note) = &calendar_note {
                println!("{note}");
            }
            let app = App::new(store, cfg, Arc::new(SystemClock), Some(cipher));
            println!("正在生成演示数据（濮阳市“三散”污染治理专项督察）……");
            let report = app.seed_demo(ducha_triage::Gazetteer::builtin()).await?;
            println!("{report}");
            println!("{}", app.seed_opinion_demo().await?);
            println!("{}", app.seed_disclosure_demo().await?);
            if seed_only {
                return Ok(ExitCode::SUCCESS);
            }
            let _opinion_worker = ducha_app::opinion::spawn_opinion_worker(app.clone());
            let listener = listen(&addr).await?;
            ducha_app::worker::spawn_worker(app.clone(), worker_id());
            println!(
                "演示平台已启动：http://{}/  （公众专栏：http://{}/gongkai/）",
                listener.local_addr()?,
                listener.local_addr()?
            );
            ducha_web::serve(app, listener).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { db } => {
            let s = settings(cfg_path, &db)?;
            connect(&s).await?;
            println!("数据库迁移完成：{}", redact_url(&s.db));
            Ok(ExitCode::SUCCESS)
        }
        Command::User { cmd: UserCmd::Add { db, username, name, unit, role } } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            #[allow(clippy::disallowed_methods)] // a secret is better read from the environment than argv
            let from_env = std::env::var("DUCHA_NEW_PASSWORD");
            let password = match from_env {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line).context("无法读取密码")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            let id = app
                .create_user(
                    None,
                    &ducha_app::auth::NewUserInput {
                        username: username.clone(),
                        display_name: name,
                        password,
                        unit_code: unit,
                        role,
                    },
                )
                .await?;
            println!("已创建用户 {username}（编号 {id}）");
            Ok(ExitCode::SUCCESS)
        }
        Command::User { cmd: UserCmd::Units { db } } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            for u in ducha_store::directory::units(&store).await? {
                println!("{}\t{}\t{}", u.code, u.level, u.name);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { cmd: ImportCmd::Gazetteer { dir, city, db } } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let gaz = load_gazetteer(&dir, &city)?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            let n = app.import_regions(&gaz).await?;
            println!("已导入区划 {n} 条（{}，城市 {city}）", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { cmd: AuditCmd::Verify { db } } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let r = audit::verify(&store).await?;
            match r.broken {
                None => {
                    println!("审计链完整：共 {} 条记录，逐条哈希校验通过（SM3）", r.checked);
                    Ok(ExitCode::SUCCESS)
                }
                Some(b) => {
                    eprintln!("审计链校验失败：第 {} 条记录。{}", b.seq, b.reason);
                    Ok(ExitCode::from(3))
                }
            }
        }
        Command::Calendar { cmd: CalendarCmd::Due { from, working_days, level, explain } } => {
            let s = Settings::load(cfg_path)?;
            let cal = ducha_domain::calendar::WorkCalendar::builtin()
                .and_then(|c| c.with_config(s.app.working_time))
                .map_err(|e| anyhow::anyhow!(e.message))?;
            let created =
                ducha_domain::deadline::parse_instant(&from).map_err(|e| anyhow::anyhow!(e.message))?;
            let level = match level {
                Some(l) => {
                    Some(ducha_domain::unit::UnitLevel::parse(&l).map_err(|e| anyhow::anyhow!(e.message))?)
                }
                None => None,
            };
            let quiet = ducha_domain::quiet::QuietHoursConfig::default();
            let plan = ducha_domain::deadline::plan_due(created, working_days, level, &quiet, &cal)
                .map_err(|e| anyhow::anyhow!(e.message))?;
            println!("delivered: {}", ducha_domain::time::iso_cst(plan.delivery.at));
            println!("due:       {}", ducha_domain::time::iso_cst(plan.due.at));
            if explain {
                for line in ducha_domain::deadline::explain_plan(&plan) {
                    println!("  {line}");
                }
            } else {
                for w in plan.delivery.warnings.iter().chain(plan.due.warnings.iter()) {
                    eprintln!("注意：{w}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Opinion { cmd: OpinionCmd::Import { file, format, db } } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            opinion_import(&app, &file, format.as_deref()).await
        }
        Command::Opinion { cmd: OpinionCmd::Poll { db } } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            let r = app.poll_due_sources().await?;
            for p in &r.sources {
                match &p.error {
                    None => println!(
                        "{}：{}，新增 {} 条，转载 {} 条，已收录 {} 条",
                        p.name, p.outcome, p.items_new, p.items_dup, p.items_seen
                    ),
                    Some(e) => println!(
                        "{}：失败（{e}）{}",
                        p.name,
                        if p.now_failing { "，已连续失败，暂停采集" } else { "" }
                    ),
                }
            }
            println!(
                "本轮采集 {} 个订阅源：成功 {}，无更新 {}，失败 {}；新增舆情 {} 条，转载 {} 条",
                r.polled, r.ok, r.not_modified, r.failed, r.items_new, r.items_dup
            );
            Ok(if r.failed > 0 { ExitCode::from(4) } else { ExitCode::SUCCESS })
        }
        Command::Disclosure { cmd: DisclosureCmd::Check { db, json } } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            let report = app.disclosure_check().await?;
            let open = report.open().count();
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                for w in &report.warnings {
                    println!("注意：{w}");
                }
                for g in &report.gaps {
                    let state = match g.disclosed_at {
                        None => "未公开".to_owned(),
                        Some(t) => format!("{} 公开（超时）", ducha_domain::time::human_cst(t)),
                    };
                    println!(
                        "{}\t专栏 {}\t第{}批\t交办 {}\t时限 {}\t{}\t超时 {} 小时",
                        g.accept_no,
                        g.column,
                        g.batch_number,
                        ducha_domain::time::human_cst(g.assigned_at),
                        ducha_domain::time::human_cst(g.due_at),
                        state,
                        g.hours_late
                    );
                }
                if open == 0 {
                    println!(
                        "公开时限检查通过：没有超时未公开的交办件（超时后才公开的 {} 件已列出）",
                        report.gaps.len()
                    );
                } else {
                    println!("公开时限检查未通过：{open} 件交办件超过时限仍未公开");
                }
            }
            Ok(if open == 0 { ExitCode::SUCCESS } else { ExitCode::from(4) })
        }
        Command::Backup { db, out } => {
            let s = settings(cfg_path, &db)?;
            let store = connect_only(&s).await?;
            let now = ducha_app::Clock::now(&SystemClock).timestamp_millis();
            let summary = write_backup(&store, &out, now).await?;
            backup::record_backup(&store, &summary, "命令行（ducha backup）", now).await?;
            println!(
                "备份完成：{}，{} 张表共 {} 行，SM3 {}",
                out.display(),
                summary.counts.len(),
                summary.rows,
                summary.sm3
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { db, from } => {
            let s = settings(cfg_path, &db)?;
            let store = connect_only(&s).await?;
            let now = ducha_app::Clock::now(&SystemClock).timestamp_millis();
            let file =
                std::fs::File::open(&from).with_context(|| format!("无法打开备份文件 {}", from.display()))?;
            let r = backup::restore(
                &store,
                std::io::BufReader::with_capacity(1 << 20, file),
                now,
                "命令行（ducha restore）",
            )
            .await
            .with_context(|| format!("恢复失败（{}）", from.display()))?;
            store.close().await;
            println!(
                "恢复完成：{} 行（来自 {} 备份，SM3 {}）写入 {}{}",
                r.rows,
                r.source_backend,
                r.sm3,
                redact_url(&s.db),
                r.upgraded_to.map(|v| format!("，并升级到数据库结构版本 {v}")).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys { cmd: KeysCmd::Generate } => {
            println!("{}", KeyMaterial::generate().to_hex());
            Ok(ExitCode::SUCCESS)
        }
        Command::Triage(args) => crate::triage_cmd::run(&args),
        Command::Gen(args) => match &args.db {
            None => crate::gen_cmd::write_jsonl(&args),
            Some(url) => {
                let mut s = Settings::load(cfg_path)?;
                s.db = url.clone();
                init_tracing(&s.log);
                let store = connect(&s).await?;
                let now = ducha_app::Clock::now(&SystemClock);
                let cipher = key(&s, &store, true, now.timestamp_millis()).await?;
                // Synthetic data, like the demo: a year without holiday data is estimated, and said so.
                let today = ducha_domain::time::to_cst(now).date_naive();
                let (cfg, calendar_note) = ducha_app::demo::demo_config(s.app.clone(), today);
                if let Some(note) = &calendar_note {
                    eprintln!("{note}");
                }
                let app = App::new(store, cfg, Arc::new(SystemClock), cipher);
                crate::gen_cmd::into_db(&app, &args).await
            }
        },
        Command::Keys { cmd: KeysCmd::Rotate { db, new_key_file, batch } } => {
            let s = settings(cfg_path, &db)?;
            init_tracing(&s.log);
            let store = connect(&s).await?;
            let new = new_key(new_key_file.as_deref())?;
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
    }
}

/// `ducha opinion import`: parse the export (pure), then analyse and store it in chunks with a
/// progress bar. Unreadable lines are listed and skipped; the exit code is 0 only when every line was
/// read.
async fn opinion_import(app: &App, file: &Path, format: Option<&str>) -> Result<ExitCode> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("无法读取 {}（应为 UTF-8 文本）", file.display()))?;
    let format = match format {
        Some(f) => f.to_owned(),
        None if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) => "csv".into(),
        None => "jsonl".into(),
    };
    let parsed = match format.as_str() {
        "csv" => ducha_opinion::record::parse_csv(&text)?,
        _ => ducha_opinion::record::parse_jsonl(&text),
    };
    let mut items = Vec::new();
    let mut bad = 0usize;
    for r in parsed {
        match r {
            Ok(i) => items.push(i),
            Err(e) => {
                bad += 1;
                eprintln!("跳过：{e}");
            }
        }
    }
    let bar = indicatif::ProgressBar::new(items.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} 导入舆情 [{bar:40}] {pos}/{len} 条 {per_sec} 剩余 {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let (mut new, mut dup, mut seen, mut links, mut key) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for chunk in items.chunks(ducha_app::opinion::ingest::CHUNK) {
        let r = app.import_opinion_items(None, chunk.to_vec()).await?;
        new += r.new_items.len();
        dup += r.near_duplicates.len();
        seen += r.seen;
        links += r.links;
        key += r.key_items.len();
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    println!(
        "导入完成：读取 {} 条，新增 {new} 条（其中重大及以上 {key} 条），转载 {dup} 条，已收录跳过 {seen} 条，关联交办案件 {links} 次；无法读取 {bad} 行",
        items.len()
    );
    Ok(if bad > 0 { ExitCode::from(4) } else { ExitCode::SUCCESS })
}

/// Read an NBS-layout directory into a gazetteer (IO here; parsing is pure in ducha-triage).
pub fn load_gazetteer(dir: &Path, city: &str) -> Result<ducha_triage::Gazetteer> {
    if city.len() != 4 || !city.bytes().all(|b| b.is_ascii_digit()) {
        bail!("--city 应为4位城市代码，如 4109");
    }
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .with_context(|| format!("无法读取 {}", dir.join(name).display()))
    };
    let provinces = read("provinces.csv")?;
    let cities = read("cities.csv")?;
    let areas = read("areas.csv")?;
    let streets = read("streets.csv")?;
    let mut villages = None;
    for entry in std::fs::read_dir(dir).with_context(|| format!("无法读取目录 {}", dir.display()))? {
        let p = entry?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("villages") && name.ends_with(".csv") {
            villages =
                Some(std::fs::read_to_string(&p).with_context(|| format!("无法读取 {}", p.display()))?);
        }
    }
    let zones = std::fs::read_to_string(dir.join("zones.toml")).ok();
    let g = ducha_triage::Gazetteer::from_csv(ducha_triage::GazetteerCsv {
        provinces: &provinces,
        cities: &cities,
        areas: &areas,
        streets: &streets,
        villages: villages.as_deref(),
        zones: zones.as_deref().or(Some(include_str!("../data/gazetteer/zones.toml"))),
        city: Some(city),
    })?;
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_tree_is_consistent() {
        Cli::command().debug_assert();
    }
}
