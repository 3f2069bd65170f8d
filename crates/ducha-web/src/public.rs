//! The public disclosure column under `/gongkai/` (R2): the city column at `/gongkai/` and one column per
//! county-level unit at `/gongkai/{county_code}/`, each with the entry announcement, the batch list, one
//! page per batch (text summary + the standard table, printable, phone-friendly) with XLSX/CSV/JSON at
//! stable URLs, typical cases, the accountability summary, TV bulletins, the announcement's TV crawl
//! text, and RSS 2.0 / Atom / JSON Feed.
//!
//! Everything here is rendered from published disclosure snapshots ([`ducha_app::disclosure`]), which
//! hold only public types. Answers are cached in memory per server instance (invalidated on publish,
//! and re-checked against the database every `cache_recheck_seconds` so other instances' publications
//! show up), carry a strong ETag and Last-Modified, answer conditional requests with 304, and are kept
//! gzip-compressed alongside so a spike costs neither rendering nor compression.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use ducha_app::disclosure::{ColumnIndex, DisclosureView};
use ducha_app::{App, AppError};
use ducha_domain::disclosure::{
    self as dd, BulletinScope, ColumnRef, Layout, PublicAccountabilityDoc, PublicCase, PublicReaction,
};
use ducha_domain::time::{human_cst, iso_cst};
use sm3::{Digest, Sm3};

use crate::AppState;
use crate::error::PageError;

// ---------------------------------------------------------------------------------------------
// The cache

/// One cached answer.
#[derive(Debug)]
pub struct Cached {
    pub body: axum::body::Bytes,
    pub gzip: Option<axum::body::Bytes>,
    pub content_type: &'static str,
    pub etag: String,
    pub last_modified: Option<SystemTime>,
    pub disposition: Option<String>,
    pub created: Instant,
    /// The same, ready to send (computed once, not per request).
    pub etag_header: HeaderValue,
    pub last_modified_header: Option<HeaderValue>,
}

impl Cached {
    pub fn new(
        body: Vec<u8>,
        content_type: &'static str,
        last_modified: Option<SystemTime>,
        disposition: Option<String>,
    ) -> Cached {
        let etag = etag_of(&body);
        Cached {
            etag_header: HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"0\"")),
            last_modified_header: last_modified.and_then(|t| HeaderValue::from_str(&http_date(t)).ok()),
            etag,
            gzip: gzip(&body).map(axum::body::Bytes::from),
            body: axum::body::Bytes::from(body),
            content_type,
            last_modified,
            disposition,
            created: Instant::now(),
        }
    }
}

/// Public answers cached in memory, per server instance.
#[derive(Debug)]
pub struct PublicCache {
    entries: RwLock<HashMap<String, Arc<Cached>>>,
    /// (when last compared with the database, the publication stamp seen then)
    stamp: Mutex<(Option<Instant>, (i64, i64))>,
    recheck: Duration,
}

/// Entries live at most this long even without a publication (the announcement follows campaign edits).
const MAX_AGE: Duration = Duration::from_secs(300);
const MAX_ENTRIES: usize = 4096;

impl PublicCache {
    pub fn new(recheck: Duration) -> Self {
        Self { entries: RwLock::new(HashMap::new()), stamp: Mutex::new((None, (0, 0))), recheck }
    }

    /// Forget everything (called after a publication through this instance).
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.write() {
            e.clear();
        }
        if let Ok(mut s) = self.stamp.lock() {
            s.0 = None;
        }
    }

    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Compare with the database at most every `recheck`; clear when something was published anywhere.
    /// Returns the latest publication time (for Last-Modified).
    async fn sync(&self, app: &App) -> i64 {
        if let Ok(s) = self.stamp.lock()
            && let Some(t) = s.0
            && t.elapsed() < self.recheck
        {
            return (s.1).1;
        }
        let now_stamp = match ducha_store::disclosure::publication_stamp(&app.store).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "publication stamp unavailable; serving from cache");
                return self.stamp.lock().map(|s| (s.1).1).unwrap_or(0);
            }
        };
        let changed = match self.stamp.lock() {
            Ok(mut s) => {
                let changed = s.1 != now_stamp;
                *s = (Some(Instant::now()), now_stamp);
                changed
            }
            Err(_) => true,
        };
        if changed && let Ok(mut e) = self.entries.write() {
            e.clear();
        }
        now_stamp.1
    }

    fn get(&self, key: &str) -> Option<Arc<Cached>> {
        let e = self.entries.read().ok()?;
        e.get(key).filter(|c| c.created.elapsed() < MAX_AGE).cloned()
    }

    fn put(&self, key: String, c: Arc<Cached>) {
        if let Ok(mut e) = self.entries.write() {
            if e.len() >= MAX_ENTRIES {
                e.clear();
            }
            e.insert(key, c);
        }
    }
}

/// What a renderer produces.
#[derive(Debug)]
pub struct Rendered {
    pub body: Vec<u8>,
    pub content_type: &'static str,
    /// `attachment; filename=…` for downloads.
    pub filename: Option<String>,
}

impl Rendered {
    fn html(s: String) -> Self {
        Rendered { body: s.into_bytes(), content_type: "text/html; charset=utf-8", filename: None }
    }
    fn text(s: String) -> Self {
        Rendered { body: s.into_bytes(), content_type: "text/plain; charset=utf-8", filename: None }
    }
}

fn etag_of(body: &[u8]) -> String {
    let h = Sm3::digest(body);
    format!("\"{}\"", hex::encode(&h[..16]))
}

fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    if body.len() < 256 {
        return None;
    }
    let mut enc =
        flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), flate2::Compression::default());
    enc.write_all(body).ok()?;
    enc.finish().ok()
}

fn http_date(t: SystemTime) -> String {
    httpdate::fmt_http_date(t)
}

/// Answer from a cache entry, honouring If-None-Match / If-Modified-Since and Accept-Encoding.
pub fn respond(c: &Cached, headers: &HeaderMap) -> Response {
    let mut b = Response::builder()
        .header(header::ETAG, c.etag_header.clone())
        .header(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"))
        .header(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Some(lm) = &c.last_modified_header {
        b = b.header(header::LAST_MODIFIED, lm.clone());
    }
    let inm = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    let not_modified = match inm {
        Some(v) => v
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t == c.etag || t.trim_start_matches("W/") == c.etag),
        None => match (headers.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()), c.last_modified)
        {
            (Some(since), Some(lm)) => httpdate::parse_http_date(since).ok().is_some_and(|since| {
                lm.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
                    <= since.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
            }),
            _ => false,
        },
    };
    if not_modified {
        return b
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::NOT_MODIFIED.into_response());
    }
    b = b.header(header::CONTENT_TYPE, HeaderValue::from_static(c.content_type));
    if let Some(d) = &c.disposition {
        b = b.header(header::CONTENT_DISPOSITION, d.as_str());
    }
    let wants_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.split(',').any(|e| e.trim().starts_with("gzip") && !e.contains("q=0")));
    let body = match (&c.gzip, wants_gzip) {
        (Some(gz), true) => {
            b = b.header(header::CONTENT_ENCODING, "gzip");
            gz.clone()
        }
        _ => c.body.clone(),
    };
    b.status(StatusCode::OK)
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Serve `key` from the cache, rendering it on a miss (errors as Chinese pages).
pub async fn cached<M, F>(st: &AppState, key: String, headers: &HeaderMap, render: M) -> Response
where
    M: FnOnce() -> F,
    F: std::future::Future<Output = Result<Rendered, AppError>>,
{
    cached_with(st, key, headers, render, |e| PageError(e).into_response()).await
}

/// Serve `key` from the cache, rendering it on a miss; failures are answered by `on_error` and not
/// cached.
pub async fn cached_with<M, F, E>(
    st: &AppState,
    key: String,
    headers: &HeaderMap,
    render: M,
    on_error: E,
) -> Response
where
    M: FnOnce() -> F,
    F: std::future::Future<Output = Result<Rendered, AppError>>,
    E: FnOnce(AppError) -> Response,
{
    let last = st.public.sync(&st.app).await;
    if let Some(c) = st.public.get(&key) {
        return respond(&c, headers);
    }
    match render().await {
        Ok(r) => {
            let lm = (last > 0).then(|| UNIX_EPOCH + Duration::from_millis(last as u64));
            let c = Arc::new(Cached::new(
                r.body,
                r.content_type,
                lm,
                r.filename.map(|f| content_disposition(&f)),
            ));
            st.public.put(key, c.clone());
            respond(&c, headers)
        }
        Err(e) => on_error(e),
    }
}

/// RFC 6266 with an ASCII fallback and the UTF-8 name.
fn content_disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

// ---------------------------------------------------------------------------------------------
// Paths

/// What a `/gongkai/…` path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicPath {
    Index,
    Typical,
    Accountability,
    TvDay,
    TvDayTxt,
    AnnouncementTxt,
    Feed(FeedKind),
    Batch(i64),
    BatchExport(i64, Export),
    BatchTv(i64),
    BatchTvTxt(i64),
    BatchShareTxt(i64),
    /// A path that only lacks its trailing slash.
    AddSlash,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Rss,
    Atom,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Xlsx,
    Csv,
    Json,
}

/// `rest` is the path after `/gongkai/`. Returns the county code (None: city) and the resource.
pub fn parse_path(rest: &str) -> Option<(Option<String>, PublicPath)> {
    let mut segs: Vec<&str> = rest.split('/').collect();
    let county = match segs.first() {
        Some(s) if !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit()) => {
            let c = (*s).to_owned();
            segs.remove(0);
            if segs.is_empty() {
                return Some((Some(c), PublicPath::AddSlash));
            }
            Some(c)
        }
        _ => None,
    };
    let num = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0 && *n < 100_000);
    use PublicPath::*;
    let p = match segs.as_slice() {
        [] | [""] => Index,
        ["typical", ""] => Typical,
        ["accountability", ""] => Accountability,
        ["tv", ""] => TvDay,
        ["typical"] | ["accountability"] | ["tv"] => AddSlash,
        ["tv.txt"] => TvDayTxt,
        ["announcement.txt"] => AnnouncementTxt,
        ["feed.rss"] | ["rss.xml"] => Feed(FeedKind::Rss),
        ["feed.atom"] | ["atom.xml"] => Feed(FeedKind::Atom),
        ["feed.json"] => Feed(FeedKind::Json),
        ["batch", n, ""] => Batch(num(n)?),
        ["batch", n, "tv", ""] => BatchTv(num(n)?),
        ["batch", n, "tv"] => {
            num(n)?;
            AddSlash
        }
        ["batch", n, "tv.txt"] => BatchTvTxt(num(n)?),
        ["batch", n, "share.txt"] => BatchShareTxt(num(n)?),
        ["batch", file] => match file.rsplit_once('.') {
            Some((n, "xlsx")) => BatchExport(num(n)?, Export::Xlsx),
            Some((n, "csv")) => BatchExport(num(n)?, Export::Csv),
            Some((n, "json")) => BatchExport(num(n)?, Export::Json),
            None => {
                num(file)?;
                AddSlash
            }
            _ => return None,
        },
        _ => return None,
    };
    Some((county, p))
}

// ---------------------------------------------------------------------------------------------
// Handlers

fn not_found() -> AppError {
    AppError::not_found("page_not_found", "您访问的公开信息页面不存在")
}

fn version_param(uri: &axum::http::Uri) -> Result<Option<i64>, AppError> {
    let Some(q) = uri.query() else { return Ok(None) };
    for (k, v) in serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap_or_default() {
        if k == "version" {
            return v.parse::<i64>().map(Some).map_err(|_| AppError::invalid("version", "版本号应为正整数"));
        }
    }
    Ok(None)
}

/// `GET /gongkai/` and `GET /gongkai/{*rest}`.
pub async fn gongkai(State(st): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/gongkai/").or_else(|| path.strip_prefix("/gongkai")).unwrap_or("");
    let Some((county, what)) = parse_path(rest) else {
        return PageError(not_found()).into_response();
    };
    if what == PublicPath::AddSlash {
        return Redirect::permanent(&format!("{path}/")).into_response();
    }
    let version = match version_param(req.uri()) {
        Ok(v) => v,
        Err(e) => return PageError(e).into_response(),
    };
    let key = match version {
        Some(v) => format!("{path}?version={v}"),
        None => path.clone(),
    };
    cached(&st, key, req.headers(), || render(&st.app, county.as_deref(), what, version)).await
}

async fn render(
    app: &App,
    county: Option<&str>,
    what: PublicPath,
    version: Option<i64>,
) -> Result<Rendered, AppError> {
    let base = app.cfg.public_base_url.trim_end_matches('/').to_owned();
    match what {
        PublicPath::Index => {
            let idx = app.public_column(county).await?;
            column_page(&idx).map(Rendered::html)
        }
        PublicPath::Typical => {
            let idx = app.public_column(county).await?;
            let rows = all_rows(&idx);
            let picked: Vec<PublicCase> = dd::pick_typical(&rows, 20).into_iter().cloned().collect();
            let t = TypicalPage { chrome: chrome(&idx), column_name: idx.column.name.clone(), cases: picked };
            t.render().map(Rendered::html).map_err(tpl)
        }
        PublicPath::Accountability => {
            let idx = app.public_column(county).await?;
            let acc = PublicAccountabilityDoc::sum(idx.batches.iter().map(|b| &b.doc.accountability));
            let t = AccountabilityPage { chrome: chrome(&idx), column_name: idx.column.name.clone(), acc };
            t.render().map(Rendered::html).map_err(tpl)
        }
        PublicPath::TvDay | PublicPath::TvDayTxt => {
            let idx = app.public_column(county).await?;
            let rows = all_rows(&idx);
            let acc = PublicAccountabilityDoc::sum(idx.batches.iter().map(|b| &b.doc.accountability));
            let reaction = idx.batches.iter().fold(PublicReaction::default(), |a, b| PublicReaction {
                satisfied: a.satisfied + b.doc.reaction.satisfied,
                basically_satisfied: a.basically_satisfied + b.doc.reaction.basically_satisfied,
                unsatisfied: a.unsatisfied + b.doc.reaction.unsatisfied,
                repeat_complaints: a.repeat_complaints + b.doc.reaction.repeat_complaints,
            });
            let day = ducha_domain::time::to_cst(app.clock.now()).date_naive();
            let scope = BulletinScope::Day {
                campaign_name: idx.announcement.campaign_name.clone(),
                team_name: idx.announcement.team_name.clone(),
                day,
                batches: idx.batches.len(),
            };
            let script = dd::tv_bulletin(&scope, &idx.column, &idx.announcement, &rows, &acc, &reaction);
            if what == PublicPath::TvDayTxt {
                return Ok(Rendered::text(script));
            }
            let t = TvPage {
                chrome: chrome(&idx),
                heading: format!("{}边督边改情况电视报道稿", idx.column.name),
                txt: format!("{}tv.txt", home(&idx.column)),
                script,
            };
            t.render().map(Rendered::html).map_err(tpl)
        }
        PublicPath::AnnouncementTxt => {
            let column = app.column(county).await?;
            let a = app.announcement(&column).await?;
            Ok(Rendered::text(format!("{}\n", a.crawl_text())))
        }
        PublicPath::Feed(kind) => {
            let idx = app.public_column(county).await?;
            feed(&idx, kind, &base)
        }
        PublicPath::Batch(n) => {
            let idx = app.public_column(county).await?;
            let v = app.public_batch(county, n, version).await?;
            batch_page(&idx, &v, &base, false).map(Rendered::html)
        }
        PublicPath::BatchExport(n, kind) => {
            let v = app.public_batch(county, n, version).await?;
            export(&v, kind)
        }
        PublicPath::BatchTv(n) | PublicPath::BatchTvTxt(n) => {
            let idx = app.public_column(county).await?;
            let v = app.public_batch(county, n, version).await?;
            let script = dd::tv_bulletin(
                &BulletinScope::Batch(v.doc.batch.clone()),
                &v.doc.column,
                &idx.announcement,
                &v.doc.rows,
                &v.doc.accountability,
                &v.doc.reaction,
            );
            if matches!(what, PublicPath::BatchTvTxt(_)) {
                return Ok(Rendered::text(script));
            }
            let t = TvPage {
                chrome: chrome(&idx),
                heading: format!("{}第{}批交办件电视报道稿", idx.column.name, n),
                txt: format!("{}batch/{n}/tv.txt", home(&idx.column)),
                script,
            };
            t.render().map(Rendered::html).map_err(tpl)
        }
        PublicPath::BatchShareTxt(n) => {
            let v = app.public_batch(county, n, version).await?;
            Ok(Rendered::text(format!("{}\n", share_text(&v, &base))))
        }
        PublicPath::AddSlash => Err(not_found()),
    }
}

fn tpl(e: askama::Error) -> AppError {
    AppError::internal(format!("template: {e}"))
}

/// `/gongkai/` or `/gongkai/410928/`.
pub fn home(c: &ColumnRef) -> String {
    match &c.county_code {
        None => "/gongkai/".to_owned(),
        Some(code) => format!("/gongkai/{code}/"),
    }
}

fn batch_link(c: &ColumnRef, n: u32) -> String {
    format!("{}batch/{n}/", home(c))
}

fn all_rows(idx: &ColumnIndex) -> Vec<PublicCase> {
    idx.batches.iter().flat_map(|b| b.doc.rows.iter().cloned()).collect()
}

fn share_text(v: &DisclosureView, base: &str) -> String {
    let link = format!("{base}{}", batch_link(&v.doc.column, v.doc.batch.number));
    dd::social_text(&v.doc.batch, &v.doc.column, &v.doc.rows, &link)
}

// ---------------------------------------------------------------------------------------------
// HTML

/// The public layout's data.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub site: String,
    pub home: String,
    pub crawl: String,
    pub is_city: bool,
}

fn chrome(idx: &ColumnIndex) -> Chrome {
    Chrome {
        site: format!("{}边督边改信息公开专栏", idx.column.name),
        home: home(&idx.column),
        crawl: idx.announcement.crawl_text(),
        is_city: idx.column.is_city(),
    }
}

struct BatchItem {
    number: u32,
    link: String,
    date: String,
    count: usize,
    published: String,
    excerpt: String,
    corrected: bool,
}

#[derive(Template)]
#[template(path = "gongkai/column.html")]
struct ColumnPage {
    chrome: Chrome,
    column_name: String,
    ann_title: String,
    paragraphs: Vec<String>,
    hotlines: String,
    hours: String,
    postal_box: String,
    period: String,
    counties: Vec<(String, String)>,
    batches: Vec<BatchItem>,
}

fn excerpt(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(human_cst).unwrap_or_else(|| "—".into())
}

fn column_page(idx: &ColumnIndex) -> Result<String, AppError> {
    let a = &idx.announcement;
    let mut batches: Vec<BatchItem> = idx
        .batches
        .iter()
        .map(|b| BatchItem {
            number: b.doc.batch.number,
            link: batch_link(&idx.column, b.doc.batch.number),
            date: ducha_domain::handling::date_cn(b.doc.batch.answering_date),
            count: b.doc.rows.len(),
            published: when(b.published_at),
            excerpt: excerpt(&b.doc.summary, 160),
            corrected: b.version > 1,
        })
        .collect();
    batches.reverse();
    ColumnPage {
        chrome: chrome(idx),
        column_name: idx.column.name.clone(),
        ann_title: format!("{}进驻{}公告", a.team_name, a.place),
        paragraphs: a.paragraphs(),
        hotlines: a.hotlines.join("、"),
        hours: a.hours.label(),
        postal_box: a.postal_box.clone(),
        period: format!(
            "{}至{}",
            ducha_domain::handling::date_cn(a.start),
            ducha_domain::handling::date_cn(a.end)
        ),
        counties: idx
            .counties
            .iter()
            .filter_map(|c| c.county_code.clone().map(|code| (code, c.name.clone())))
            .collect(),
        batches,
    }
    .render()
    .map_err(tpl)
}

#[derive(Template)]
#[template(path = "gongkai/batch.html")]
struct BatchPage {
    chrome: Chrome,
    column_name: String,
    title: String,
    number: u32,
    version: i64,
    published: String,
    hash: String,
    note: String,
    summary: String,
    base: String,
    headers: Vec<&'static str>,
    rows: Vec<Vec<(&'static str, String)>>,
    share: String,
    earlier: Vec<(i64, String, String, String)>,
    draft: bool,
    status: &'static str,
}

/// The batch page (also the staff preview of an unpublished version, with `draft`).
pub fn batch_page(
    idx: &ColumnIndex,
    v: &DisclosureView,
    base: &str,
    draft: bool,
) -> Result<String, AppError> {
    let layout = v.doc.layout;
    let headers = layout.headers();
    let rows = v.doc.rows.iter().map(|r| headers.iter().copied().zip(r.cells(layout)).collect()).collect();
    let link = batch_link(&v.doc.column, v.doc.batch.number);
    BatchPage {
        chrome: chrome(idx),
        column_name: v.doc.column.name.clone(),
        title: format!("{}第{}批交办件边督边改情况", v.doc.column.name, v.doc.batch.number),
        number: v.doc.batch.number,
        version: v.version,
        published: match v.published_at {
            Some(t) => format!("发布时间：{}", human_cst(t)),
            None => format!("生成时间：{}", human_cst(v.doc.as_of)),
        },
        hash: v.content_hash.clone(),
        note: v.note.clone(),
        summary: v.doc.summary.clone(),
        base: link.trim_end_matches('/').to_owned(),
        headers,
        rows,
        share: share_text(v, base),
        earlier: v
            .earlier
            .iter()
            .map(|e| (e.version, when(e.published_at), e.content_hash.clone(), e.note.clone()))
            .collect(),
        draft,
        status: v.status.label(),
    }
    .render()
    .map_err(tpl)
}

#[derive(Template)]
#[template(path = "gongkai/typical.html")]
struct TypicalPage {
    chrome: Chrome,
    column_name: String,
    cases: Vec<PublicCase>,
}

#[derive(Template)]
#[template(path = "gongkai/accountability.html")]
struct AccountabilityPage {
    chrome: Chrome,
    column_name: String,
    acc: PublicAccountabilityDoc,
}

#[derive(Template)]
#[template(path = "gongkai/tv.html")]
struct TvPage {
    chrome: Chrome,
    heading: String,
    txt: String,
    script: String,
}

// ---------------------------------------------------------------------------------------------
// Exports

fn file_stem(v: &DisclosureView) -> String {
    format!("{}第{}批交办件办理情况（第{}版）", v.doc.column.name, v.doc.batch.number, v.version)
}

/// XLSX, CSV or JSON of one batch table.
pub fn export(v: &DisclosureView, kind: Export) -> Result<Rendered, AppError> {
    match kind {
        Export::Xlsx => Ok(Rendered {
            body: xlsx(v)?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename: Some(format!("{}.xlsx", file_stem(v))),
        }),
        Export::Csv => Ok(Rendered {
            body: csv_bytes(v)?,
            content_type: "text/csv; charset=utf-8",
            filename: Some(format!("{}.csv", file_stem(v))),
        }),
        Export::Json => Ok(Rendered {
            body: json_bytes(v)?,
            content_type: "application/json; charset=utf-8",
            filename: None,
        }),
    }
}

/// UTF-8 with a BOM (so Excel and WPS open it as UTF-8), header row, one row per case.
pub fn csv_bytes(v: &DisclosureView) -> Result<Vec<u8>, AppError> {
    let layout = v.doc.layout;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let err = |e: csv::Error| AppError::internal(format!("csv: {e}"));
    w.write_record(layout.headers()).map_err(err)?;
    for r in &v.doc.rows {
        // Inert for spreadsheets: a cell that starts like a formula is written as text.
        let cells = r.cells(layout);
        w.write_record(cells.iter().map(|c| ducha_shield::inert::csv_cell(c).into_owned())).map_err(err)?;
    }
    let body = w.into_inner().map_err(|e| AppError::internal(format!("csv: {e}")))?;
    let mut out = Vec::with_capacity(body.len() + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    out.extend_from_slice(&body);
    Ok(out)
}

/// The batch as JSON: metadata, the column headers, the summary and one object per row keyed by column.
pub fn json_bytes(v: &DisclosureView) -> Result<Vec<u8>, AppError> {
    let layout = v.doc.layout;
    let rows: Vec<serde_json::Value> = v
        .doc
        .rows
        .iter()
        .map(|r| {
            let mut o = serde_json::Map::new();
            for c in layout.columns() {
                let val = match c {
                    dd::Column::Seq => serde_json::json!(r.seq),
                    _ => serde_json::json!(r.cell(*c)),
                };
                o.insert(c.key().to_owned(), val);
            }
            serde_json::Value::Object(o)
        })
        .collect();
    let doc = serde_json::json!({
        "column": { "code": v.doc.column.code(), "name": v.doc.column.name },
        "campaign": v.doc.batch.campaign_name,
        "team": v.doc.batch.team_name,
        "batch": v.doc.batch.number,
        "answering_date": v.doc.batch.answering_date.to_string(),
        "assigned_on": v.doc.batch.assigned_on.map(|d| d.to_string()),
        "version": v.version,
        "published_at": v.published_at.map(iso_cst),
        "content_hash": v.content_hash,
        "hash_algorithm": "SM3",
        "correction_note": if v.note.is_empty() { serde_json::Value::Null } else { serde_json::json!(v.note) },
        "layout": layout.code(),
        "columns": layout.columns().iter().map(|c| serde_json::json!({ "key": c.key(), "header": c.header() })).collect::<Vec<_>>(),
        "summary": v.doc.summary,
        "rows": rows,
        "accountability": {
            "people": v.doc.accountability.people,
            "records": v.doc.accountability.records,
            "by_level": v.doc.accountability.by_level,
            "by_kind": v.doc.accountability.by_kind,
            "typical": v.doc.accountability.typical,
        },
    });
    serde_json::to_vec_pretty(&doc).map_err(|e| AppError::internal(e.to_string()))
}

fn xlsx_width(c: dd::Column) -> f64 {
    use dd::Column::*;
    match c {
        Seq => 6.0,
        AcceptNo => 19.0,
        Summary => 48.0,
        Region => 18.0,
        ProblemType | PollutionType => 14.0,
        Investigation => 44.0,
        Finding => 10.0,
        ClosureTarget => 26.0,
        Handling => 48.0,
        Closure => 11.0,
        Accountability => 24.0,
    }
}

/// The table as an Excel workbook: a styled, frozen header row, column widths for Chinese text,
/// wrapped long columns, landscape A4 printing with the header repeated; a second sheet holds the text
/// summary. The creation time is the publication time, so the bytes are the same on every server.
pub fn xlsx(v: &DisclosureView) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal(format!("xlsx: {e}"));
    let layout: Layout = v.doc.layout;
    let mut wb = Workbook::new();
    let t = ducha_domain::time::to_cst(v.published_at.unwrap_or(v.doc.as_of));
    use chrono::{Datelike, Timelike};
    let created = ExcelDateTime::from_ymd(t.year().clamp(1900, 9999) as u16, t.month() as u8, t.day() as u8)
        .and_then(|d| d.and_hms(t.hour() as u16, t.minute() as u8, t.second() as f64))
        .map_err(err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(file_stem(v))
            .set_author(v.doc.column.name.clone())
            .set_company(v.doc.batch.team_name.clone())
            .set_creation_datetime(&created),
    );
    let head = Format::new()
        .set_bold()
        .set_font_name("宋体")
        .set_background_color(Color::RGB(0xF3E5E4))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let cell = Format::new()
        .set_font_name("宋体")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let center = cell.clone().set_align(FormatAlign::Center);
    let sheet = wb.add_worksheet();
    sheet.set_name(format!("第{}批", v.doc.batch.number)).map_err(err)?;
    for (i, c) in layout.columns().iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(0, col, c.header(), &head).map_err(err)?;
        sheet.set_column_width(col, xlsx_width(*c)).map_err(err)?;
    }
    sheet.set_row_height(0, 30).map_err(err)?;
    for (ri, r) in v.doc.rows.iter().enumerate() {
        let row = (ri + 1) as u32;
        for (ci, c) in layout.columns().iter().enumerate() {
            let col = ci as u16;
            match c {
                dd::Column::Seq => {
                    sheet.write_number_with_format(row, col, f64::from(r.seq), &center).map_err(err)?;
                }
                dd::Column::Finding | dd::Column::Closure | dd::Column::AcceptNo => {
                    sheet.write_string_with_format(row, col, r.cell(*c), &center).map_err(err)?;
                }
                _ => {
                    sheet.write_string_with_format(row, col, r.cell(*c), &cell).map_err(err)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(0, 0).map_err(err)?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_header(format!("&C{}", file_stem(v).replace('&', "&&")));

    let notes = wb.add_worksheet();
    notes.set_name("情况说明").map_err(err)?;
    let wrap = Format::new().set_font_name("宋体").set_text_wrap().set_align(FormatAlign::Top);
    notes.set_column_width(0, 100).map_err(err)?;
    notes
        .write_string_with_format(0, 0, file_stem(v), &Format::new().set_bold().set_font_name("宋体"))
        .map_err(err)?;
    notes.write_string_with_format(1, 0, v.doc.summary.clone(), &wrap).map_err(err)?;
    notes.set_row_height(1, 160).map_err(err)?;
    let mut line = 2u32;
    if !v.note.is_empty() {
        notes.write_string_with_format(line, 0, format!("更正说明：{}", v.note), &wrap).map_err(err)?;
        line += 1;
    }
    notes
        .write_string_with_format(line, 0, format!("内容哈希（SM3）：{}", v.content_hash), &wrap)
        .map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

// ---------------------------------------------------------------------------------------------
// Feeds (R2.5)

struct FeedItem {
    title: String,
    link: String,
    id: String,
    text: String,
    rfc2822: String,
    rfc3339: String,
}

#[derive(Template)]
#[template(path = "gongkai/feed_rss.xml")]
struct RssFeed {
    title: String,
    link: String,
    self_link: String,
    description: String,
    updated_rfc2822: Option<String>,
    items: Vec<FeedItem>,
}

#[derive(Template)]
#[template(path = "gongkai/feed_atom.xml")]
struct AtomFeed {
    title: String,
    link: String,
    self_link: String,
    description: String,
    author: String,
    updated_rfc3339: String,
    items: Vec<FeedItem>,
}

fn feed(idx: &ColumnIndex, kind: FeedKind, base: &str) -> Result<Rendered, AppError> {
    let title = format!("{}边督边改信息公开", idx.column.name);
    let link = format!("{base}{}", home(&idx.column));
    let description = format!("{}交办群众信访举报件办理情况（文字+附表）", idx.column.name);
    let mut items: Vec<FeedItem> = idx
        .batches
        .iter()
        .map(|b| {
            let t = b.published_at.unwrap_or(b.doc.as_of);
            let link = format!("{base}{}", batch_link(&idx.column, b.doc.batch.number));
            let mut text = b.doc.summary.clone();
            if !b.note.is_empty() {
                text = format!("【更正说明】{} {text}", b.note);
            }
            // Every feed reader's parser must accept the document: no character XML forbids.
            let text = ducha_shield::inert::xml_text(&text).into_owned();
            FeedItem {
                title: if b.version > 1 {
                    format!(
                        "{}第{}批交办件边督边改情况（第{}版，已更正）",
                        idx.column.name, b.doc.batch.number, b.version
                    )
                } else {
                    format!("{}第{}批交办件边督边改情况", idx.column.name, b.doc.batch.number)
                },
                id: format!("{link}#v{}", b.version),
                link,
                text,
                rfc2822: t.to_rfc2822(),
                rfc3339: iso_cst(t),
            }
        })
        .collect();
    items.reverse();
    let updated = idx.last_published;
    match kind {
        FeedKind::Rss => RssFeed {
            self_link: format!("{link}feed.rss"),
            title,
            link,
            description,
            updated_rfc2822: updated.map(|t| t.to_rfc2822()),
            items,
        }
        .render()
        .map(|s| Rendered {
            body: s.into_bytes(),
            content_type: "application/rss+xml; charset=utf-8",
            filename: None,
        })
        .map_err(tpl),
        FeedKind::Atom => AtomFeed {
            self_link: format!("{link}feed.atom"),
            title,
            link,
            description,
            author: idx.column.name.clone(),
            updated_rfc3339: iso_cst(updated.unwrap_or(DateTime::<Utc>::UNIX_EPOCH)),
            items,
        }
        .render()
        .map(|s| Rendered {
            body: s.into_bytes(),
            content_type: "application/atom+xml; charset=utf-8",
            filename: None,
        })
        .map_err(tpl),
        FeedKind::Json => {
            let doc = serde_json::json!({
                "version": "https://jsonfeed.org/version/1.1",
                "title": title,
                "home_page_url": link,
                "feed_url": format!("{link}feed.json"),
                "description": description,
                "language": "zh-CN",
                "authors": [{ "name": idx.column.name }],
                "items": items.iter().map(|i| serde_json::json!({
                    "id": i.id,
                    "url": i.link,
                    "title": i.title,
                    "content_text": i.text,
                    "date_published": i.rfc3339,
                })).collect::<Vec<_>>(),
            });
            Ok(Rendered {
                body: serde_json::to_vec_pretty(&doc).map_err(|e| AppError::internal(e.to_string()))?,
                content_type: "application/feed+json; charset=utf-8",
                filename: None,
            })
        }
    }
}

/// `GET /static/gongkai.css`.
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        include_str!("../static/gongkai.css"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_paths() {
        use PublicPath::*;
        let c = |s: &str| Some("410928".to_owned()).filter(|_| s == "c");
        let table: &[(&str, Option<(&str, PublicPath)>)] = &[
            ("", Some(("", Index))),
            ("410928/", Some(("c", Index))),
            ("410928", Some(("c", AddSlash))),
            ("typical/", Some(("", Typical))),
            ("410928/accountability/", Some(("c", Accountability))),
            ("tv/", Some(("", TvDay))),
            ("tv", Some(("", AddSlash))),
            ("410928/tv.txt", Some(("c", TvDayTxt))),
            ("announcement.txt", Some(("", AnnouncementTxt))),
            ("feed.rss", Some(("", Feed(FeedKind::Rss)))),
            ("410928/feed.atom", Some(("c", Feed(FeedKind::Atom)))),
            ("feed.json", Some(("", Feed(FeedKind::Json)))),
            ("batch/3/", Some(("", Batch(3)))),
            ("batch/3", Some(("", AddSlash))),
            ("410928/batch/12.xlsx", Some(("c", BatchExport(12, Export::Xlsx)))),
            ("batch/12.csv", Some(("", BatchExport(12, Export::Csv)))),
            ("batch/12.json", Some(("", BatchExport(12, Export::Json)))),
            ("batch/2/tv/", Some(("", BatchTv(2)))),
            ("batch/2/tv.txt", Some(("", BatchTvTxt(2)))),
            ("410928/batch/2/share.txt", Some(("c", BatchShareTxt(2)))),
            ("batch/0/", None),
            ("batch/x/", None),
            ("batch/3.pdf", None),
            ("410928/nothing", None),
            ("../etc/passwd", None),
        ];
        for (path, expect) in table {
            let got = parse_path(path);
            let want = expect.clone().map(|(col, p)| (c(col), p));
            assert_eq!(got, want, "{path}");
        }
    }

    #[test]
    fn conditional_requests() {
        let c = Cached::new(
            vec![b'x'; 1000],
            "text/plain",
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
            None,
        );
        let h = |k: header::HeaderName, v: &str| {
            let mut m = HeaderMap::new();
            m.insert(k, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(respond(&c, &HeaderMap::new()).status(), StatusCode::OK);
        assert_eq!(respond(&c, &h(header::IF_NONE_MATCH, &c.etag)).status(), StatusCode::NOT_MODIFIED);
        assert_eq!(respond(&c, &h(header::IF_NONE_MATCH, "\"other\"")).status(), StatusCode::OK);
        let lm = http_date(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        assert_eq!(respond(&c, &h(header::IF_MODIFIED_SINCE, &lm)).status(), StatusCode::NOT_MODIFIED);
        let earlier = http_date(UNIX_EPOCH + Duration::from_secs(1_600_000_000));
        assert_eq!(respond(&c, &h(header::IF_MODIFIED_SINCE, &earlier)).status(), StatusCode::OK);
        let gz = respond(&c, &h(header::ACCEPT_ENCODING, "gzip, br"));
        assert_eq!(gz.headers().get(header::CONTENT_ENCODING).unwrap(), "gzip");
        assert!(content_disposition("濮阳县第1批.xlsx").contains("filename*=UTF-8''%E6%BF%AE"));
    }
}
