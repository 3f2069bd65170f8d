//! Settings the use cases depend on. The binary fills this from a TOML file and `DUCHA_*` variables.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Hours a login session lasts.
    pub session_ttl_hours: i64,
    /// Send cookies with `Secure` (turn on behind HTTPS).
    pub cookie_secure: bool,
    /// Failed logins before an account is locked.
    pub login_max_failures: i64,
    /// Minutes an account stays locked.
    pub lockout_minutes: i64,
    /// Argon2 memory cost in KiB (19456 = OWASP's recommendation; tests use less).
    pub argon2_m_cost: u32,
    pub argon2_t_cost: u32,
    /// Base URL for links in notifications and feeds.
    pub public_base_url: String,
    /// The public side: disclosure time limit, Open311 keys and rate, cache.
    pub public: crate::disclosure::PublicConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            session_ttl_hours: 12,
            cookie_secure: false,
            login_max_failures: 5,
            lockout_minutes: 15,
            argon2_m_cost: 19456,
            argon2_t_cost: 2,
            public_base_url: "http://127.0.0.1:8080".into(),
            public: crate::disclosure::PublicConfig::default(),
        }
    }
}

impl Config {
    /// Cheap password hashing for tests.
    pub fn for_tests() -> Self {
        Self { argon2_m_cost: 256, argon2_t_cost: 1, ..Self::default() }
    }
}
