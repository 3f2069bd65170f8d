//! Polling feed sources: per-source interval, conditional GET (ETag / Last-Modified), a timeout and a
//! size limit per fetch, exponential backoff after a failure, and a source that keeps failing is
//! flagged `failing` and left alone until the desk re-enables it.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use ducha_opinion::feed::parse_feed;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::opinion::{self, PollRow, PollSuccess, SourceRow};
use serde::Serialize;
use utoipa::ToSchema;

use super::ingest::Origin;
use crate::{App, AppError, Result};

/// How polling behaves. Defaults suit production; a campaign may override them in its settings
/// (`{"opinion": {"fetch_timeout_ms": …, "max_failures": …, "max_backoff_secs": …, "max_bytes": …}}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollOptions {
    pub timeout: Duration,
    pub max_bytes: usize,
    /// Consecutive failures after which a source is flagged `failing`.
    pub max_failures: i64,
    /// The longest wait between retries of a failing source.
    pub max_backoff_secs: i64,
    /// Sources polled per round at most.
    pub batch: i64,
}

/// How long a claimed source stays with the instance polling it (at least twice the fetch timeout);
/// if that instance dies mid-poll, the source is due again afterwards.
const CLAIM_LEASE_MS: i64 = 5 * 60_000;

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(15),
            max_bytes: 5 * 1024 * 1024,
            max_failures: 5,
            max_backoff_secs: 6 * 3600,
            batch: 50,
        }
    }
}

impl PollOptions {
    /// Defaults overridden by a campaign's `settings.opinion`.
    pub fn from_settings(settings: &serde_json::Value) -> Self {
        let d = PollOptions::default();
        let o = settings.get("opinion");
        let num = |k: &str| o.and_then(|o| o.get(k)).and_then(|v| v.as_i64()).filter(|v| *v > 0);
        PollOptions {
            timeout: num("fetch_timeout_ms").map(|v| Duration::from_millis(v as u64)).unwrap_or(d.timeout),
            max_bytes: num("max_bytes").map(|v| v as usize).unwrap_or(d.max_bytes),
            max_failures: num("max_failures").unwrap_or(d.max_failures),
            max_backoff_secs: num("max_backoff_secs").unwrap_or(d.max_backoff_secs),
            batch: num("poll_batch").unwrap_or(d.batch),
        }
    }
}

/// The wait before the next try after `failures` consecutive failures: the interval doubled per
/// failure, capped.
pub fn backoff_secs(interval_secs: i64, failures: i64, max_secs: i64) -> i64 {
    let factor = 1i64 << failures.clamp(0, 20);
    interval_secs.saturating_mul(factor).min(max_secs).max(interval_secs.min(max_secs))
}

/// What one poll of one source did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourcePoll {
    pub source_id: i64,
    pub name: String,
    /// `ok`, `not_modified` or `error`.
    pub outcome: String,
    pub http_status: Option<i64>,
    pub items_new: i64,
    pub items_seen: i64,
    pub items_dup: i64,
    pub error: Option<String>,
    /// The source was flagged failing by this poll.
    pub now_failing: bool,
}

/// One round of polling.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct PollReport {
    pub polled: usize,
    pub ok: usize,
    pub not_modified: usize,
    pub failed: usize,
    pub now_failing: usize,
    pub items_new: i64,
    pub items_dup: i64,
    pub sources: Vec<SourcePoll>,
}

enum Fetched {
    Body { status: u16, body: Vec<u8>, etag: Option<String>, last_modified: Option<String> },
    NotModified,
}

static CLIENT: OnceLock<std::result::Result<reqwest::Client, String>> = OnceLock::new();

fn client() -> Result<&'static reqwest::Client> {
    CLIENT
        .get_or_init(|| {
            // rustls with the ring provider (no aws-lc in the build); installing twice is harmless.
            let _ = rustls::crypto::ring::default_provider().install_default();
            reqwest::Client::builder()
                .user_agent(concat!("ducha-opinion/", env!("CARGO_PKG_VERSION")))
                .redirect(reqwest::redirect::Policy::limited(5))
                .connect_timeout(Duration::from_secs(10))
                // Polls are minutes apart: nothing to gain from pooled connections, and a pooled
                // connection must never outlive the runtime that opened it.
                .pool_max_idle_per_host(0)
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| AppError::internal(format!("http client: {e}")))
}

fn header(resp: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

async fn fetch(
    source: &SourceRow,
    opts: &PollOptions,
) -> std::result::Result<Fetched, (String, Option<u16>)> {
    let mut req = client().map_err(|e| (e.message, None))?.get(&source.url).timeout(opts.timeout);
    if let Some(e) = &source.etag {
        req = req.header(reqwest::header::IF_NONE_MATCH, e);
    }
    if let Some(m) = &source.last_modified {
        req = req.header(reqwest::header::IF_MODIFIED_SINCE, m);
    }
    let timeout_text = || format!("请求超时（{} 秒内未完成）", opts.timeout.as_secs_f32());
    let mut resp = req.send().await.map_err(|e| {
        if e.is_timeout() {
            (timeout_text(), None)
        } else if e.is_connect() {
            ("无法连接订阅源服务器".to_owned(), None)
        } else {
            (format!("请求失败：{}", e.without_url()), None)
        }
    })?;
    let status = resp.status().as_u16();
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    if !resp.status().is_success() {
        return Err((format!("订阅源返回 HTTP {status}"), Some(status)));
    }
    let etag = header(&resp, reqwest::header::ETAG);
    let last_modified = header(&resp, reqwest::header::LAST_MODIFIED);
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => {
                if body.len() + c.len() > opts.max_bytes {
                    return Err((format!("订阅源内容超过 {} KB 上限", opts.max_bytes / 1024), Some(status)));
                }
                body.extend_from_slice(&c);
            }
            Ok(None) => break,
            Err(e) if e.is_timeout() => return Err((timeout_text(), Some(status))),
            Err(e) => return Err((format!("读取内容失败：{}", e.without_url()), Some(status))),
        }
    }
    Ok(Fetched::Body { status, body, etag, last_modified })
}

impl App {
    /// Poll options of the campaign in force (defaults without one).
    pub async fn poll_options(&self) -> Result<PollOptions> {
        Ok(match ducha_store::directory::current_campaign(&self.store, &self.today_cst()).await? {
            Some(c) => PollOptions::from_settings(&serde_json::from_str(&c.settings).unwrap_or_default()),
            None => PollOptions::default(),
        })
    }

    /// One round: every enabled source that is due and not flagged failing.
    pub async fn poll_due_sources(&self) -> Result<PollReport> {
        let opts = self.poll_options().await?;
        self.poll_due_sources_with(&opts).await
    }

    pub async fn poll_due_sources_with(&self, opts: &PollOptions) -> Result<PollReport> {
        let due = opinion::due_sources(&self.store, self.now_ms(), opts.batch).await?;
        let mut report = PollReport::default();
        for s in due {
            // Several instances share the database: only the one that claims the source polls it.
            let lease_until = self.now_ms() + CLAIM_LEASE_MS.max(2 * opts.timeout.as_millis() as i64);
            if !opinion::claim_source(&self.store, s.id, s.next_poll_at, lease_until).await? {
                continue;
            }
            let p = self.poll_one(&s, opts).await?;
            report.polled += 1;
            match p.outcome.as_str() {
                "ok" => report.ok += 1,
                "not_modified" => report.not_modified += 1,
                _ => report.failed += 1,
            }
            report.now_failing += usize::from(p.now_failing);
            report.items_new += p.items_new;
            report.items_dup += p.items_dup;
            report.sources.push(p);
        }
        Ok(report)
    }

    /// Fetch, parse and ingest one source, then record the outcome and schedule the next poll.
    pub async fn poll_one(&self, s: &SourceRow, opts: &PollOptions) -> Result<SourcePoll> {
        let started = Instant::now();
        let at = self.now_ms();
        let fetched = fetch(s, opts).await;
        let parsed = match fetched {
            Ok(Fetched::Body { status, body, etag, last_modified }) => match parse_feed(&body) {
                Ok(feed) => Ok((Some((status, feed)), etag, last_modified)),
                Err(e) => Err((e.to_string(), Some(status))),
            },
            Ok(Fetched::NotModified) => Ok((None, None, None)),
            Err(e) => Err(e),
        };
        let mut out = SourcePoll {
            source_id: s.id,
            name: s.name.clone(),
            outcome: String::new(),
            http_status: None,
            items_new: 0,
            items_seen: 0,
            items_dup: 0,
            error: None,
            now_failing: false,
        };
        match parsed {
            Ok((feed, etag, last_modified)) => {
                if let Some((status, feed)) = feed {
                    let mut items = feed.items;
                    for it in &mut items {
                        if it.outlet.is_none() || s.outlet.is_some() {
                            it.outlet = s.outlet.clone().or_else(|| Some(s.name.clone()));
                        }
                    }
                    let r = self.ingest(None, Origin::Feed, Some(s), items).await?;
                    out.outcome = "ok".into();
                    out.http_status = Some(i64::from(status));
                    out.items_new = r.new_items.len() as i64;
                    out.items_dup = r.near_duplicates.len() as i64;
                    out.items_seen = r.seen as i64;
                } else {
                    out.outcome = "not_modified".into();
                    out.http_status = Some(304);
                }
                let mut tx = self.store.begin().await?;
                opinion::record_success(
                    &mut tx,
                    s.id,
                    &PollSuccess {
                        at,
                        etag,
                        last_modified,
                        next_poll_at: at + s.interval_secs * 1000,
                        items_new: out.items_new + out.items_dup,
                    },
                )
                .await?;
                opinion::insert_poll(&mut tx, &self.poll_row(s.id, at, &out, started)).await?;
                tx.commit().await?;
            }
            Err((error, status)) => {
                let failures = s.consecutive_failures + 1;
                let failing = failures >= opts.max_failures;
                let wait = backoff_secs(s.interval_secs, failures, opts.max_backoff_secs);
                out.outcome = "error".into();
                out.http_status = status.map(i64::from);
                out.error = Some(error.clone());
                out.now_failing = failing;
                let mut tx = self.store.begin().await?;
                opinion::record_failure(&mut tx, s.id, at, &error, failures, at + wait * 1000, failing)
                    .await?;
                opinion::insert_poll(&mut tx, &self.poll_row(s.id, at, &out, started)).await?;
                if failing {
                    audit::append(
                        &mut tx,
                        &AuditEntry {
                            at_ms: at,
                            actor_user_id: None,
                            actor_unit_id: None,
                            actor_name: "舆情采集".into(),
                            action: "opinion.source_failing".into(),
                            entity_type: "opinion_source".into(),
                            entity_id: s.id.to_string(),
                            detail: serde_json::json!({ "failures": failures, "error": error, "url": s.url }),
                        },
                    )
                    .await?;
                }
                tx.commit().await?;
                tracing::warn!(source = s.id, failures, failing, error = %error, "opinion source poll failed");
            }
        }
        Ok(out)
    }

    fn poll_row(&self, source_id: i64, at: i64, p: &SourcePoll, started: Instant) -> PollRow {
        PollRow {
            id: 0,
            source_id,
            at,
            outcome: p.outcome.clone(),
            http_status: p.http_status,
            items_new: p.items_new,
            items_seen: p.items_seen,
            items_dup: p.items_dup,
            duration_ms: started.elapsed().as_millis() as i64,
            error: p.error.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r3_backoff_doubles_and_is_capped() {
        let rows = [
            (900, 1, 21_600, 1800),
            (900, 2, 21_600, 3600),
            (900, 4, 21_600, 14_400),
            (900, 5, 21_600, 21_600),
            (900, 40, 21_600, 21_600),
            (60, 0, 21_600, 60),
            (30_000, 1, 21_600, 21_600),
        ];
        for (interval, failures, max, want) in rows {
            assert_eq!(backoff_secs(interval, failures, max), want, "{interval}s after {failures} failures");
        }
    }

    #[test]
    fn r3_poll_options_from_campaign_settings() {
        let o = PollOptions::from_settings(
            &serde_json::json!({ "opinion": { "fetch_timeout_ms": 300, "max_failures": 2 } }),
        );
        assert_eq!(o.timeout, Duration::from_millis(300));
        assert_eq!(o.max_failures, 2);
        assert_eq!(o.max_bytes, PollOptions::default().max_bytes);
        assert_eq!(PollOptions::from_settings(&serde_json::json!({})), PollOptions::default());
    }
}
