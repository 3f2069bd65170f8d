//! The handling-report form: fixed slots for issues, subjects, measures and rectifications, parsed
//! back into the domain's `HandlingReport` (empty rows are ignored).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use ducha_app::AppError;
use ducha_domain::handling::{
    Finding, HandlingReport, IssueFinding, Measure, MeasureKind, Rectification, RectificationPlan,
    SecondApproval, ShutdownTerms, Subject,
};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ApiPath, CsrfForm, PageUser};
use crate::kit::{Nav, render};

const ISSUES: usize = 3;
const SUBJECTS: usize = 3;
const MEASURES: usize = 4;
const IMMEDIATE: usize = 2;
const PLANS: usize = 2;

#[derive(Debug, Default)]
struct MeasureSlot {
    kind: String,
    description: String,
    fine: String,
    subject: String,
    basis: String,
    scope: String,
    starts: String,
    ends: String,
    target: String,
    conditions: String,
    approver: String,
    approver_unit: String,
    opinion: String,
}

#[derive(Debug, Default)]
struct PlanSlot {
    target: String,
    measures: String,
    due: String,
    unit: String,
    completed: String,
}

#[derive(Debug, Template)]
#[template(path = "report.html")]
struct ReportPage {
    nav: Nav,
    case_id: i64,
    accept_no: String,
    text: String,
    version: i64,
    editable: bool,
    flash: Option<String>,
    error: Option<String>,
    details: Vec<String>,
    problems: Vec<String>,
    /// What the identity firewall hides in the stored report, described without it.
    identity_findings: Vec<String>,
    facts: String,
    investigated_on: String,
    issues: Vec<(String, String)>,
    findings: Vec<(&'static str, &'static str)>,
    subjects: Vec<(String, String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    measures: Vec<MeasureSlot>,
    immediate: Vec<(String, String)>,
    plans: Vec<PlanSlot>,
    closure_target: String,
    investigation_text: String,
    finding_text: String,
    handling_text: String,
    closure_text: String,
}

fn d(v: Option<NaiveDate>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn pad<T: Default>(mut v: Vec<T>, n: usize) -> Vec<T> {
    while v.len() < n {
        v.push(T::default());
    }
    v
}

fn slots(
    r: &HandlingReport,
) -> (
    Vec<(String, String)>,
    Vec<(String, String, String)>,
    Vec<MeasureSlot>,
    Vec<(String, String)>,
    Vec<PlanSlot>,
) {
    let issues =
        pad(r.issues.iter().map(|i| (i.issue.clone(), i.finding.code().to_owned())).collect(), ISSUES);
    let subjects = pad(
        r.subjects
            .iter()
            .map(|s| {
                (s.name.clone(), s.uscc.clone().unwrap_or_default(), s.industry.clone().unwrap_or_default())
            })
            .collect(),
        SUBJECTS,
    );
    let measures = pad(
        r.measures
            .iter()
            .map(|m| {
                let t = m.shutdown.clone().unwrap_or_default();
                let a = t.second_approval.clone();
                MeasureSlot {
                    kind: m.kind.code().into(),
                    description: m.description.clone(),
                    fine: m.fine_yuan.map(|f| f.to_string()).unwrap_or_default(),
                    subject: t.subject,
                    basis: t.legal_basis,
                    scope: t.scope,
                    starts: d(t.starts_on),
                    ends: d(t.ends_on),
                    target: t.rectification_target,
                    conditions: t.verification_conditions,
                    approver: a.as_ref().map(|a| a.approver.clone()).unwrap_or_default(),
                    approver_unit: a.as_ref().map(|a| a.unit.clone()).unwrap_or_default(),
                    opinion: a.as_ref().map(|a| a.opinion.clone()).unwrap_or_default(),
                }
            })
            .collect(),
        MEASURES,
    );
    let mut immediate = Vec::new();
    let mut plans = Vec::new();
    for x in &r.rectifications {
        match x {
            Rectification::Immediate { done, done_on } => immediate.push((done.clone(), d(*done_on))),
            Rectification::Scheduled(p) => plans.push(PlanSlot {
                target: p.target.clone(),
                measures: p.measures.clone(),
                due: d(p.due),
                unit: p.responsible_unit.clone(),
                completed: d(p.completed_on),
            }),
        }
    }
    (issues, subjects, measures, pad(immediate, IMMEDIATE), pad(plans, PLANS))
}

/// Parse the posted form; returns the report or the first field that could not be read.
fn parse(
    form: &HashMap<String, String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HandlingReport, AppError> {
    let get = |k: String| form.get(&k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let date = |k: String| -> Result<Option<NaiveDate>, AppError> {
        let v = form.get(&k).map(|v| v.trim()).unwrap_or("");
        if v.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::invalid(&k, format!("日期“{v}”格式应为 2023-12-14")))
    };
    let mut r = HandlingReport {
        facts: get("facts".into()),
        investigated_on: date("investigated_on".into())?,
        closure_target: get("closure_target".into()),
        ..Default::default()
    };
    for i in 0..ISSUES {
        let f = get(format!("finding{i}"));
        if f.is_empty() {
            continue;
        }
        r.issues.push(IssueFinding {
            issue: get(format!("issue{i}")),
            finding: Finding::parse(&f)?,
            facts: String::new(),
        });
    }
    for i in 0..SUBJECTS {
        let name = get(format!("subject{i}"));
        if name.is_empty() {
            continue;
        }
        let opt = |s: String| Some(s).filter(|v| !v.is_empty());
        r.subjects.push(Subject {
            name,
            uscc: opt(get(format!("uscc{i}"))),
            industry: opt(get(format!("industry{i}"))),
            address: None,
        });
    }
    for i in 0..MEASURES {
        let k = get(format!("mkind{i}"));
        if k.is_empty() {
            continue;
        }
        let kind = MeasureKind::parse(&k)?;
        let fine = get(format!("mfine{i}"));
        let fine_yuan = if fine.is_empty() {
            None
        } else {
            Some(
                fine.replace(',', "")
                    .parse::<u64>()
                    .map_err(|_| AppError::invalid(&format!("mfine{i}"), "罚款金额应为整数（元）"))?,
            )
        };
        let shutdown = if kind.is_shutdown_type() {
            let approver = get(format!("mappr{i}"));
            Some(ShutdownTerms {
                subject: get(format!("msubj{i}")),
                legal_basis: get(format!("mbasis{i}")),
                scope: get(format!("mscope{i}")),
                starts_on: date(format!("mstart{i}"))?,
                ends_on: date(format!("mend{i}"))?,
                rectification_target: get(format!("mtarget{i}")),
                verification_conditions: get(format!("mcond{i}")),
                second_approval: (!approver.is_empty()).then(|| SecondApproval {
                    approver,
                    unit: get(format!("mapprunit{i}")),
                    opinion: get(format!("mopinion{i}")),
                    at: now,
                }),
            })
        } else {
            None
        };
        r.measures.push(Measure { kind, description: get(format!("mdesc{i}")), fine_yuan, shutdown });
    }
    for i in 0..IMMEDIATE {
        let done = get(format!("done{i}"));
        if !done.is_empty() {
            r.rectifications.push(Rectification::Immediate { done, done_on: date(format!("doneon{i}"))? });
        }
    }
    for i in 0..PLANS {
        let p = RectificationPlan {
            target: get(format!("ptarget{i}")),
            measures: get(format!("pmeasures{i}")),
            due: date(format!("pdue{i}"))?,
            responsible_unit: get(format!("punit{i}")),
            completed_on: date(format!("pdone{i}"))?,
        };
        if !(p.target.is_empty() && p.measures.is_empty() && p.due.is_none() && p.responsible_unit.is_empty())
        {
            r.rectifications.push(Rectification::Scheduled(p));
        }
    }
    Ok(r)
}

async fn page(
    st: &AppState,
    p: &PageUser,
    id: i64,
    draft: Option<HandlingReport>,
    flash: Option<String>,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let view = st.app.report_view(&p.user, id).await?;
    let case = st.app.visible_case(&p.user, id).await?;
    let report = draft.unwrap_or(view.report.clone());
    let (issues, subjects, measures, immediate, plans) = slots(&report);
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let t = ReportPage {
        nav: Nav::of(p, "cases"),
        case_id: id,
        accept_no: case.accept_no,
        text: st.app.screen_for_case(case.id, &case.redacted_text).await?.into_string(),
        version: view.version,
        editable: view.editable,
        flash,
        details: error.as_ref().map(|e| e.details.clone()).unwrap_or_default(),
        error: error.map(|e| e.message),
        problems: report.problems().into_iter().map(|p| p.message).collect(),
        identity_findings: view
            .identity_findings
            .iter()
            .map(|f| format!("{}：{}", f.label, f.context))
            .collect(),
        facts: report.facts.clone(),
        investigated_on: d(report.investigated_on),
        issues,
        findings: Finding::ALL.iter().map(|f| (f.code(), f.label())).collect(),
        subjects,
        kinds: MeasureKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        measures,
        immediate,
        plans,
        closure_target: report.closure_target.clone(),
        investigation_text: ducha_domain::handling::render_investigation(&report),
        finding_text: ducha_domain::handling::render_finding(&report).to_owned(),
        handling_text: ducha_domain::handling::render_handling(&report),
        closure_text: ducha_domain::handling::render_closure_target(&report),
    };
    Ok((status, render(&t)?).into_response())
}

pub async fn save(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form: HashMap<String, String> = pairs.into_iter().collect();
    let report = match parse(&form, st.app.clock.now()) {
        Ok(r) => r,
        Err(e) => return page(&st, &p, id, None, None, Some(e)).await,
    };
    // A malformed version is refused, not dropped: dropping it would turn the stale-version check off.
    let version = match form.get("expected_version").map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(0) => None,
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err(PageError(AppError::invalid(
                    "expected_version",
                    format!("版本号“{v}”无效，请刷新页面后重新填写"),
                )));
            }
        },
    };
    match st.app.save_report(&p.user, id, &report, version).await {
        Ok(v) => {
            let state = if v.problems.is_empty() { "complete" } else { "draft" };
            Ok(Redirect::to(&format!("/cases/{id}/report?saved={state}")).into_response())
        }
        Err(e) if e.kind != ducha_app::error::ErrorKind::Internal => {
            page(&st, &p, id, Some(report), None, Some(e)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ShowParams {
    saved: Option<String>,
}

pub async fn show_saved(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    axum::extract::Query(q): axum::extract::Query<ShowParams>,
) -> Result<Response, PageError> {
    let flash = match q.saved.as_deref() {
        Some("complete") => Some("办理报告已保存，内容完整，可以报送。".to_owned()),
        Some(_) => Some("办理报告已保存为草稿。".to_owned()),
        None => None,
    };
    page(&st, &p, id, None, flash, None).await
}
