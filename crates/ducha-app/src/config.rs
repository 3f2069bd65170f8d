//! Settings the use cases depend on. The binary fills this from a TOML file and `DUCHA_*` variables.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Hours a login session lasts.
    pub session_ttl_hours: i64,
    /// Send cookies with `Secure` (on by default: a real deployment is behind HTTPS; `ducha demo`
    /// and plain-HTTP tests turn it off).
    pub cookie_secure: bool,
    /// Reverse proxies (CIDR networks or addresses, e.g. `["127.0.0.1/32", "::1/128"]`) whose
    /// `X-Forwarded-For` names the client for rate limits. Empty (default): the TCP peer is the
    /// client and the header is ignored. Only list proxies you run: a listed peer can claim any address.
    pub trusted_proxies: Vec<String>,
    /// Failed logins before an account is locked.
    pub login_max_failures: i64,
    /// Minutes an account stays locked.
    pub lockout_minutes: i64,
    /// Password logins (`POST /login`, `POST /api/v1/session`) accepted per minute from one client
    /// address, also the burst size; more are answered 429 with `Retry-After`. Default 30: far more
    /// than a person needs, while several people behind one office NAT can still log in together.
    /// Works beside the per-account lockout, which stops guessing one account's password.
    /// 登录限流：同一客户端地址每分钟最多登录（含失败）次数，默认 30；超出返回 429 并提示稍后再试。
    pub login_rate_per_minute: u32,
    /// Argon2 memory cost in KiB (19456 = OWASP's recommendation; tests use less).
    pub argon2_m_cost: u32,
    pub argon2_t_cost: u32,
    /// Base URL for links in notifications and feeds.
    pub public_base_url: String,
    /// Office hours and what to do for a year without holiday data (refuse, or weekends only with a
    /// visible warning).
    pub working_time: ducha_domain::calendar::WorkingTimeConfig,
    /// Outgoing e-mail (SMTP); none configured means the e-mail channel is not used.
    pub smtp: Option<SmtpConfig>,
    /// Secret for the `X-Ducha-Signature` (HMAC-SM3) of webhook deliveries.
    pub webhook_secret: Option<String>,
    /// SMS gateway webhook (callback links to complainants); receives `{phone, text}` as JSON.
    pub sms_webhook_url: Option<String>,
    /// How often the background worker looks for due messages (milliseconds).
    pub worker_poll_ms: u64,
    /// Where evidence attachments are stored (outside the database).
    pub attachments_dir: String,
    /// The public side: disclosure time limit, Open311 keys and rate, cache.
    pub public: crate::disclosure::PublicConfig,
}

/// SMTP relay settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    pub from: String,
    /// Use STARTTLS (on by default; turn off only for a relay on the local machine).
    #[serde(default = "yes")]
    pub starttls: bool,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default, skip_serializing)]
    pub password: Option<String>,
}

fn default_smtp_port() -> u16 {
    25
}

fn yes() -> bool {
    true
}

impl Default for Config {
    fn default() -> Self {
        Self {
            session_ttl_hours: 12,
            cookie_secure: true,
            trusted_proxies: Vec::new(),
            login_max_failures: 5,
            lockout_minutes: 15,
            login_rate_per_minute: 30,
            argon2_m_cost: 19456,
            argon2_t_cost: 2,
            public_base_url: "http://127.0.0.1:8080".into(),
            working_time: ducha_domain::calendar::WorkingTimeConfig::default(),
            smtp: None,
            webhook_secret: None,
            sms_webhook_url: None,
            worker_poll_ms: 2000,
            attachments_dir: "ducha-files".into(),
            public: crate::disclosure::PublicConfig::default(),
        }
    }
}

impl Config {
    /// Cheap password hashing and cookies without `Secure` (tests speak plain HTTP). In-process requests carry no client address and so share
    /// one rate-limit bucket, and the fixtures' clock stands still (buckets never refill), so the
    /// login and public-post limits are raised; tests of the limits set their own.
    pub fn for_tests() -> Self {
        let mut cfg = Self {
            argon2_m_cost: 256,
            argon2_t_cost: 1,
            login_rate_per_minute: 10_000,
            cookie_secure: false,
            ..Self::default()
        };
        cfg.public.post_rate_per_minute = 10_000;
        cfg
    }
}
