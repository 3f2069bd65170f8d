//! The public column's answer cache: bodies with their gzip form and ETag, invalidated by the publication stamp.

use super::*;

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
    pub(super) entries: RwLock<HashMap<String, Arc<Cached>>>,
    /// (when last compared with the database, the publication stamp seen then)
    pub(super) stamp: Mutex<(Option<Instant>, (i64, i64))>,
    pub(super) recheck: Duration,
}

/// Entries live at most this long even without a publication (the announcement follows campaign edits).
pub(super) const MAX_AGE: Duration = Duration::from_secs(300);
pub(super) const MAX_ENTRIES: usize = 4096;

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
        let now_stamp = match app.publication_stamp().await {
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
    pub(super) fn html(s: String) -> Self {
        Rendered { body: s.into_bytes(), content_type: "text/html; charset=utf-8", filename: None }
    }
    pub(super) fn text(s: String) -> Self {
        Rendered { body: s.into_bytes(), content_type: "text/plain; charset=utf-8", filename: None }
    }
}

pub(super) fn etag_of(body: &[u8]) -> String {
    let h = Sm3::digest(body);
    format!("\"{}\"", hex::encode(&h[..16]))
}

pub(super) fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    if body.len() < 256 {
        return None;
    }
    let mut enc =
        flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), flate2::Compression::default());
    enc.write_all(body).ok()?;
    enc.finish().ok()
}

pub(super) fn http_date(t: SystemTime) -> String {
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
pub(super) fn content_disposition(name: &str) -> String {
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
