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
use crate::kit::excerpt;

mod cache;
mod exports;
mod feeds;
mod html;
mod paths;
pub use cache::*;
pub use exports::*;
pub use feeds::*;
pub use html::*;
pub use paths::*;

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
