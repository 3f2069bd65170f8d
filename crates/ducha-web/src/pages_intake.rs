//! Hotline intake, built for an operator with a caller on the line: one keyboard-only form for the
//! phone, letter and web channels, live suggestions while typing (place, problem type, and whether
//! the same problem is already being handled) from `POST /api/v1/triage/suggest`, and the accept
//! number read back in large type at the end. Without script the form is a plain POST.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ducha_app::AppError;
use ducha_app::auth::CurrentUser;
use ducha_app::intake::IntakeInput;
use ducha_app::lookups::ComplainantIdentity;
use ducha_app::workbench::Suggestion;
use ducha_domain::role::Role;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ErrorBody, PageError};
use crate::extract::{ApiJson, ApiUser, CsrfForm, PageUser};
use crate::kit::{Nav, render};

/// The form as submitted (every field optional, so a missing one is a field error, not a 400).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct IntakeForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    email: String,
    /// WeChat / QQ / other handle the caller gave.
    #[serde(default)]
    handle: String,
    #[serde(default)]
    county_code: String,
    #[serde(default)]
    township_code: String,
    /// Beijing wall-clock time from a `datetime-local` field (letters: when the letter came).
    #[serde(default)]
    received_at: String,
    /// Repeated checkbox values (`types=大气&types=水`).
    #[serde(default)]
    types: Vec<String>,
}

/// A county and its townships, for the township `<select>` (optgroups).
#[derive(Debug)]
pub struct CountyGroup {
    pub code: String,
    pub name: String,
    pub townships: Vec<(String, String)>,
}

/// The case just taken in, read back to the caller.
#[derive(Debug)]
pub struct Accepted {
    pub id: i64,
    pub accept_no: String,
    /// The number cut into the parts people read out (channel+round+province, date, serial).
    pub spoken: Vec<String>,
    pub dup_note: Option<String>,
}

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    nav: Nav,
    v: IntakeForm,
    error: Option<String>,
    field: String,
    field_error: String,
    counties: Vec<CountyGroup>,
    types: Vec<(&'static str, bool)>,
    accepted: Option<Accepted>,
}

fn require_intake(u: &CurrentUser) -> Result<(), PageError> {
    if matches!(u.role, Role::Operator | Role::Team) {
        Ok(())
    } else {
        Err(PageError(AppError::forbidden("只有热线接线员和督察组可以受理举报")))
    }
}

async fn county_groups(st: &AppState) -> Result<Vec<CountyGroup>, AppError> {
    let mut out = Vec::new();
    for c in st.app.counties().await? {
        let townships = st
            .app
            .regions_under(&c.code)
            .await?
            .into_iter()
            .filter(|r| r.level == ducha_domain::region::RegionLevel::Township)
            .map(|r| (r.code, r.short_name))
            .collect();
        out.push(CountyGroup { code: c.code, name: c.short_name, townships });
    }
    Ok(out)
}

/// `D3HA202312140001` → ["D3HA", "2023年12月14日", "0001号"].
pub fn spoken_parts(accept_no: &str) -> Vec<String> {
    let n = accept_no.chars().count();
    if n < 13 || !accept_no.is_ascii() {
        return vec![accept_no.to_owned()];
    }
    let (head, tail) = accept_no.split_at(n - 12);
    let (date, serial) = tail.split_at(8);
    if !date.chars().all(|c| c.is_ascii_digit()) || !serial.chars().all(|c| c.is_ascii_digit()) {
        return vec![accept_no.to_owned()];
    }
    vec![
        head.to_owned(),
        format!("{}年{}月{}日", &date[..4], &date[4..6], &date[6..8]),
        format!("{serial}号"),
    ]
}

#[derive(Debug, Default, Deserialize)]
pub struct IntakeParams {
    accepted: Option<String>,
    channel: Option<String>,
}

fn page(
    p: &PageUser,
    v: IntakeForm,
    counties: Vec<CountyGroup>,
    accepted: Option<Accepted>,
    error: Option<&AppError>,
) -> IntakePage {
    let types =
        ducha_app::triage::POLLUTION_TYPES.iter().map(|t| (*t, v.types.iter().any(|x| x == t))).collect();
    IntakePage {
        nav: Nav::of(p, "intake"),
        error: error.map(|e| e.message.clone()),
        field: error.and_then(|e| e.field.clone()).unwrap_or_default(),
        field_error: error.map(|e| e.message.clone()).unwrap_or_default(),
        counties,
        types,
        accepted,
        v,
    }
}

pub async fn form(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<IntakeParams>,
) -> Result<Html<String>, PageError> {
    require_intake(&p.user)?;
    let accepted = match q.accepted.as_deref().and_then(|s| s.parse::<i64>().ok()) {
        Some(id) => {
            let c = st.app.case_view(&p.user, id).await?;
            let dup_note = match c.dup_of {
                Some(d) => st
                    .app
                    .accept_no_of(d)
                    .await?
                    .map(|no| format!("系统判断与 {no} 为同一问题，可告知来电人该问题已在办理中。")),
                None => None,
            };
            Some(Accepted { id: c.id, spoken: spoken_parts(&c.accept_no), accept_no: c.accept_no, dup_note })
        }
        None => None,
    };
    let channel = match q.channel.as_deref() {
        Some(c @ ("phone" | "letter" | "web")) => c.to_owned(),
        _ => "phone".to_owned(),
    };
    let v = IntakeForm { channel, ..IntakeForm::default() };
    render(&page(&p, v, county_groups(&st).await?, accepted, None))
}

pub async fn submit(
    State(st): State<AppState>,
    CsrfForm(p, f): CsrfForm<IntakeForm>,
) -> Result<Response, PageError> {
    require_intake(&p.user)?;
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|v| !v.is_empty());
    let received_at = match opt(&f.received_at) {
        Some(s) => match ducha_domain::deadline::parse_instant(&s) {
            Ok(t) => Some(t),
            Err(_) => {
                let e = AppError::invalid("received_at", "收到时间格式不正确，请选择日期和时间");
                let counties = county_groups(&st).await?;
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    render(&page(&p, f, counties, None, Some(&e)))?,
                )
                    .into_response());
            }
        },
        None => None,
    };
    let input = IntakeInput {
        channel: f.channel.clone(),
        text: f.text.clone(),
        received_at,
        complainant: ComplainantIdentity {
            name: opt(&f.name),
            phone: opt(&f.phone),
            address: opt(&f.address),
            id_number: opt(&f.id_number),
            email: opt(&f.email),
            handle: opt(&f.handle),
        },
        county_code: opt(&f.county_code),
        township_code: opt(&f.township_code),
        village_code: None,
        pollution_types: (!f.types.is_empty()).then(|| f.types.clone()),
        sansan: None,
    };
    match st.app.intake(&p.user, &input).await {
        Ok(v) => {
            metrics::counter!("ducha_intake_total", "channel" => v.channel.clone()).increment(1);
            Ok(Redirect::to(&format!("/intake?accepted={}&channel={}", v.id, v.channel)).into_response())
        }
        Err(e) if e.kind != ducha_app::error::ErrorKind::Internal => {
            let counties = county_groups(&st).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page(&p, f, counties, None, Some(&e)))?)
                .into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// What the operator has typed so far.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SuggestRequest {
    /// The complaint text as typed (may be partial).
    pub text: String,
}

#[utoipa::path(post, path = "/api/v1/triage/suggest", tag = "cases", security(("bearer" = [])), request_body = SuggestRequest,
    description = "受理时的实时建议（只读，不保存、不占用受理编号）：行政区域、问题类型、三散类别，以及可能是同一问题的已受理案件及其办理状态。仅热线接线员和督察组可用；使用会话 Cookie 时须带 X-CSRF-Token。",
    responses((status = 200, body = Suggestion), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn suggest(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(req): ApiJson<SuggestRequest>,
) -> Result<Json<Suggestion>, ApiError> {
    Ok(Json(st.app.suggest(&u, &req.text).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_numbers_read_out_in_parts() {
        assert_eq!(spoken_parts("D3HA202312140001"), vec!["D3HA", "2023年12月14日", "0001号"]);
        assert_eq!(spoken_parts("X12HA202401050123"), vec!["X12HA", "2024年01月05日", "0123号"]);
        assert_eq!(spoken_parts("ABC"), vec!["ABC"]);
        assert_eq!(spoken_parts("D3HA2023121X0001"), vec!["D3HA2023121X0001"]);
    }
}
