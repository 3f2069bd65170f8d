//! Configuration: defaults, then an optional TOML file, then `DUCHA_*` environment variables.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `sqlite://ducha.db` (default) or `postgres://user@host/db`.
    pub db: String,
    /// Listen address.
    pub addr: String,
    /// SM4 key for complainant identities, 32 hex digits. Prefer `sm4_key_file` or `DUCHA_SM4_KEY`.
    #[serde(skip_serializing)]
    pub sm4_key: Option<String>,
    /// File holding the SM4 key (created with mode 0600 on a fresh database if absent).
    pub sm4_key_file: Option<PathBuf>,
    /// Former keys still needed to read older identities during rotation.
    #[serde(skip_serializing)]
    pub sm4_old_keys: Vec<String>,
    /// SQLite `synchronous`: FULL (survives power loss, default) or NORMAL (survives crashes).
    pub sqlite_synchronous: String,
    pub max_connections: u32,
    /// `tracing` filter, e.g. `info` or `ducha=debug,info`.
    pub log: String,
    /// The deployment's places file (roads, landmarks, parks, enterprises; layout of
    /// `data/places/README.md`), read by `ducha serve` and installed by `ducha import places`.
    /// Unset: Puyang uses the built-in `data/places/4109.csv`, other cities none.
    pub places_file: Option<PathBuf>,
    /// Use-case settings (session length, lockout, …).
    pub app: ducha_app::Config,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            db: "sqlite://ducha.db".into(),
            addr: "127.0.0.1:8080".into(),
            sm4_key: None,
            sm4_key_file: None,
            sm4_old_keys: Vec::new(),
            sqlite_synchronous: "FULL".into(),
            max_connections: 8,
            log: "info".into(),
            places_file: None,
            app: ducha_app::Config::default(),
        }
    }
}

impl Settings {
    /// Load from `file` (or `ducha.toml` in the working directory when present) and the environment.
    pub fn load(file: Option<&Path>) -> Result<Settings> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(f) => {
                if !f.exists() {
                    bail!("配置文件 {} 不存在", f.display());
                }
                fig = fig.merge(Toml::file(f));
            }
            None => {
                if Path::new("ducha.toml").exists() {
                    fig = fig.merge(Toml::file("ducha.toml"));
                }
            }
        }
        fig = fig.merge(Env::prefixed("DUCHA_").split("__"));
        fig.extract().context("配置有误")
    }

    /// Where the SM4 key lives when none is given explicitly: beside an SQLite file, else `ducha.key`.
    pub fn default_key_file(&self) -> PathBuf {
        if let Some(f) = &self.sm4_key_file {
            return f.clone();
        }
        let path = self.db.strip_prefix("sqlite://").or_else(|| self.db.strip_prefix("sqlite:"));
        match path {
            Some(p) => {
                let p = p.split('?').next().unwrap_or(p);
                PathBuf::from(format!("{p}.key"))
            }
            None => PathBuf::from("ducha.key"),
        }
    }
}
