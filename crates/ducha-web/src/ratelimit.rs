//! Rate limits on what anyone can send without logging in: password logins (`POST /login`,
//! `POST /api/v1/session`), public form posts (`POST /huifang/{token}`, `POST /jiandu`,
//! `POST /api/v1/discipline`) and Open311 POSTs.
//!
//! One token bucket per (kind, client): the client is the peer address `serve()` provides through
//! `ConnectInfo`; requests without one (in-process callers) share one bucket. Time is the app's clock,
//! so tests can move it. A limited request is refused before its handler runs — nothing is read or
//! stored — with 429, `Retry-After`, and the usual error shape (`rate_limited` in JSON, a Chinese page
//! elsewhere). Account lockout after repeated wrong passwords (`ducha_app::auth`) is separate and
//! still applies.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ducha_app::AppError;
use ducha_app::error::ErrorKind;

use crate::AppState;
use crate::error::{ApiError, PageError, wants_json};

/// Buckets not touched for this long are dropped when the table grows large.
const IDLE_MS: i64 = 10 * 60_000;
const MAX_BUCKETS: usize = 10_000;

/// Token buckets keyed by `kind:client`.
#[derive(Debug, Default)]
pub struct Limiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: i64,
}

impl Limiter {
    /// Take one request for `key` at `per_minute` (also the burst size) at time `now_ms`. `Err`
    /// carries the whole seconds until the next request would be accepted.
    pub fn take(&self, key: &str, per_minute: u32, now_ms: i64) -> Result<(), u64> {
        let cap = f64::from(per_minute.max(1));
        let Ok(mut b) = self.buckets.lock() else { return Err(60) };
        if b.len() > MAX_BUCKETS {
            b.retain(|_, v| now_ms - v.at_ms < IDLE_MS);
        }
        let e = b.entry(key.to_owned()).or_insert(Bucket { tokens: cap, at_ms: now_ms });
        // A clock that went backwards refills nothing.
        let elapsed_ms = (now_ms - e.at_ms).max(0);
        #[allow(clippy::cast_precision_loss)]
        let refill = elapsed_ms as f64 * cap / 60_000.0;
        e.tokens = (e.tokens + refill).min(cap);
        e.at_ms = now_ms.max(e.at_ms);
        if e.tokens >= 1.0 {
            e.tokens -= 1.0;
            Ok(())
        } else {
            // Whole milliseconds first (so float noise cannot add a second), then whole seconds up.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let wait_ms = ((1.0 - e.tokens) * 60_000.0 / cap).round() as u64;
            Err(wait_ms.div_ceil(1000).max(1))
        }
    }

    /// [`Limiter::take`] as a yes/no.
    pub fn allow(&self, key: &str, per_minute: u32, now_ms: i64) -> bool {
        self.take(key, per_minute, now_ms).is_ok()
    }
}

/// The client a request is counted against: its peer address, or one shared bucket.
pub fn client_of(parts_ext: &axum::http::Extensions) -> String {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "shared".into())
}

/// The refusal: 429 with `Retry-After`, as JSON under `/api` or as a page.
#[derive(Debug)]
pub struct TooMany {
    pub retry_after_s: u64,
    pub json: bool,
}

impl TooMany {
    pub fn error(&self) -> AppError {
        AppError::new(
            ErrorKind::TooMany,
            "rate_limited",
            format!("请求过于频繁，请{}秒后再试；紧急情况请拨打举报电话", self.retry_after_s),
        )
    }
}

impl IntoResponse for TooMany {
    fn into_response(self) -> Response {
        let e = self.error();
        let mut r = if self.json { ApiError(e).into_response() } else { PageError(e).into_response() };
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(self.retry_after_s));
        r
    }
}

/// Which limit a route draws on.
pub trait Kind {
    const NAME: &'static str;
    fn per_minute(cfg: &ducha_app::Config) -> u32;
}

/// Password logins (`login_rate_per_minute`).
#[derive(Debug)]
pub struct Login;

impl Kind for Login {
    const NAME: &'static str = "login";
    fn per_minute(cfg: &ducha_app::Config) -> u32 {
        cfg.login_rate_per_minute
    }
}

/// Anonymous public form posts (`public.post_rate_per_minute`).
#[derive(Debug)]
pub struct PublicPost;

impl Kind for PublicPost {
    const NAME: &'static str = "public_post";
    fn per_minute(cfg: &ducha_app::Config) -> u32 {
        cfg.public.post_rate_per_minute
    }
}

/// An extractor that takes one request from the client's bucket of kind `K`, or refuses with
/// [`TooMany`]. Put it first in a handler's arguments so a refused request does no other work.
#[derive(Debug)]
pub struct Throttle<K>(std::marker::PhantomData<K>);

impl<K: Kind + Send + Sync> FromRequestParts<AppState> for Throttle<K> {
    type Rejection = TooMany;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let key = format!("{}:{}", K::NAME, client_of(&parts.extensions));
        match state.limiter.take(&key, K::per_minute(&state.app.cfg), state.app.now_ms()) {
            Ok(()) => Ok(Throttle(std::marker::PhantomData)),
            Err(retry_after_s) => {
                metrics::counter!("ducha_rate_limited_total", "kind" => K::NAME).increment(1);
                // Under `nest` the URI is stripped of its prefix; the original says `/api/…`.
                let path = parts
                    .extensions
                    .get::<OriginalUri>()
                    .map_or_else(|| parts.uri.path().to_owned(), |u| u.0.path().to_owned());
                Err(TooMany { retry_after_s, json: wants_json(&path, &parts.headers) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_per_key_refill_with_time() {
        let l = Limiter::default();
        assert!((0..3).all(|_| l.allow("a", 3, 0)));
        assert_eq!(l.take("a", 3, 0), Err(20), "the fourth within a minute waits one refill (20 s)");
        assert!(l.allow("b", 3, 0), "another client has its own bucket");
        assert_eq!(l.take("a", 3, 19_000), Err(1), "almost refilled");
        assert!(l.allow("a", 3, 21_000), "one token back after 20 s");
        assert!(!l.allow("a", 3, 21_000));
        assert!(!l.allow("a", 3, 0), "a clock going backwards refills nothing");
        assert!((0..3).all(|_| l.allow("a", 3, 10 * 60_000)), "full again, but never above the burst");
        assert!(!l.allow("a", 3, 10 * 60_000));
    }
}
