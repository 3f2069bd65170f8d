//! One case's page: the case, its history, the actions the user may take, triage evidence, callbacks and corrections.

use super::*;

// ---- one case ----

pub(super) struct ActForm {
    pub(super) action: &'static str,
    pub(super) label: &'static str,
    pub(super) needs_unit: bool,
    pub(super) needs_reason: bool,
    pub(super) needs_finding: bool,
    pub(super) needs_dup: bool,
    pub(super) needs_days: bool,
    pub(super) needs_approve: bool,
    pub(super) needs_verify: bool,
    pub(super) danger: bool,
}

pub(super) struct AsgRow {
    pub(super) unit: String,
    pub(super) role: &'static str,
    pub(super) delivered: String,
    pub(super) acknowledged: String,
    pub(super) due: String,
    pub(super) status: &'static str,
}

pub(super) struct HistRow {
    pub(super) at: String,
    pub(super) actor: String,
    pub(super) label: String,
    pub(super) note: String,
}

#[derive(Template)]
#[template(path = "case.html")]
pub(super) struct CasePageT {
    pub(super) nav: Nav,
    pub(super) c: CaseView,
    pub(super) badge: &'static str,
    pub(super) received: String,
    pub(super) channel: &'static str,
    pub(super) types: String,
    pub(super) due: String,
    pub(super) evidence: String,
    pub(super) dup_label: Option<String>,
    pub(super) identity_allowed: bool,
    pub(super) identity: Option<(String, String, String, String, String)>,
    pub(super) assignments: Vec<AsgRow>,
    pub(super) forms: Vec<ActForm>,
    pub(super) targets: Vec<(i64, String, bool)>,
    pub(super) dup_suggestion: String,
    pub(super) history: Vec<HistRow>,
    pub(super) flash: Option<String>,
    pub(super) error: Option<String>,
    pub(super) report: Option<(String, String, String, String)>,
    pub(super) report_editable: bool,
    pub(super) report_missing: usize,
    pub(super) can_callback: bool,
    pub(super) callbacks: Vec<(String, String, String)>,
    pub(super) remaining: Option<String>,
    pub(super) onsite_required: bool,
    /// Triage correction (issue 3): shown to operators, the team and the city office.
    pub(super) can_correct: bool,
    pub(super) region_editable: bool,
    /// (county code, name, [(township code, name)]).
    pub(super) regions: Vec<(String, String, Vec<(String, String)>)>,
    pub(super) type_opts: Vec<(&'static str, bool)>,
    pub(super) sansan_opts: Vec<(&'static str, bool)>,
    /// (time, field, old, new).
    pub(super) corrections: Vec<(String, &'static str, String, String)>,
    /// (id, file name, size, uploaded at).
    pub(super) attachments: Vec<(i64, String, String, String)>,
    pub(super) can_attach: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct CaseParams {
    pub(super) done: Option<String>,
}

pub(super) async fn case_page(
    st: &AppState,
    p: &PageUser,
    id: i64,
    identity: Option<(ComplainantIdentity, Vec<(i64, String)>)>,
    flash: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let originals: Vec<(i64, String)> = identity.as_ref().map(|(_, c)| c.clone()).unwrap_or_default();
    let d = st.app.case_detail(&p.user, id).await?;
    let c = d.case;
    let targets: Vec<(i64, String)> =
        st.app.dispatch_targets(&p.user).await?.into_iter().map(|u| (u.id, u.name)).collect();
    // Suggest the unit whose region matches the case's routing.
    let suggested_unit = {
        let mut s = None;
        for (uid, _) in &targets {
            if let Some(u) = st.app.unit(*uid).await? {
                let rc = u.region_code.as_deref();
                if rc.is_some() && (rc == c.county_code.as_deref() || rc == c.township_code.as_deref()) {
                    s = Some(*uid);
                    break;
                }
            }
        }
        s
    };
    let forms = c
        .actions
        .iter()
        .map(|a| ActForm {
            action: a.code(),
            label: a.label(),
            needs_unit: *a == Action::Dispatch,
            needs_reason: a.needs_reason(),
            needs_finding: *a == Action::RecordFinding,
            needs_dup: *a == Action::MarkDuplicate,
            needs_days: *a == Action::RequestExtension,
            needs_approve: *a == Action::DecideExtension,
            needs_verify: matches!(a, Action::VerifyClosed | Action::VerifyPartly),
            danger: matches!(a, Action::Return | Action::RejectVerification),
        })
        .collect();
    // The duplicate's primary is loaded once, for both the label and the form's default.
    let dup_primary = match c.dup_of {
        Some(pid) => st.app.accept_no_of(pid).await?,
        None => None,
    };
    let dup_label = dup_primary.as_ref().map(|no| format!("疑似与 {no} 为同一问题（系统判断）"));
    let dup_suggestion = dup_primary.unwrap_or_default();
    let evidence = c
        .triage
        .get("evidence")
        .and_then(|e| e.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join("、"))
        .unwrap_or_default();
    let assignments = d
        .assignments
        .iter()
        .map(|a| AsgRow {
            unit: a.unit_name.clone(),
            role: if a.row.is_lead != 0 { "主办" } else { "协办" },
            delivered: fmt_ms(a.row.delivered_at),
            acknowledged: fmt_ms(a.row.acknowledged_at),
            due: fmt_ms(a.row.due_at),
            status: match a.row.status.as_str() {
                "active" => "办理中",
                "returned" => "已退回",
                "done" => "已完成",
                _ => "—",
            },
        })
        .collect();
    let history = d
        .history
        .iter()
        .map(|h| HistRow {
            at: fmt_ms(Some(h.at)),
            actor: h.actor.clone(),
            label: h.label.clone(),
            note: [
                h.detail.get("to_unit"),
                h.detail.get("finding"),
                h.detail.get("reason"),
                h.detail.get("dup_of_accept_no"),
            ]
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join("；"),
        })
        .collect();
    let rv = st.app.report_view(&p.user, id).await?;
    let has_report = rv.version > 0;
    let report = has_report.then(|| {
        (
            rv.investigation_text.clone(),
            rv.finding.clone().unwrap_or_else(|| "—".into()),
            rv.handling_text.clone(),
            rv.closure_target_text.clone(),
        )
    });
    let closed = matches!(c.stage, Stage::Closed | Stage::PartlyClosed);
    let callbacks = st
        .app
        .case_callbacks(&p.user, id)
        .await?
        .into_iter()
        .map(|cb| {
            let result = match cb.result.as_str() {
                "answered" => cb.satisfaction.clone().unwrap_or_default(),
                "not_reached" => "未联系上".into(),
                _ => "拒绝评价".into(),
            };
            // The firewalled comment; after an audited identity read, what was typed.
            let comment = match originals.iter().find(|(cid, _)| *cid == cb.id) {
                Some((_, original)) => format!("{}（原话：{original}）", cb.comment),
                None => cb.comment,
            };
            (fmt_ms(Some(cb.at)), result, comment)
        })
        .collect();
    let onsite_required = if matches!(c.stage, Stage::AwaitingVerification) {
        let row = st.app.visible_case(&p.user, id).await?;
        let campaign = st.app.campaign().await?;
        st.app.sampled_for_onsite(&row, &ducha_app::settings::CampaignSettings::of(&campaign)).await?
    } else {
        false
    };
    let can_correct = ducha_app::corrections::may_correct(&p.user) && !c.stage.is_terminal();
    let region_editable = matches!(c.stage, Stage::Received | Stage::ReturnedTeam);
    let mut regions = Vec::new();
    if can_correct && region_editable {
        for county in st.app.counties().await? {
            let towns = st
                .app
                .regions_under(&county.code)
                .await?
                .into_iter()
                .filter(|r| r.level == ducha_domain::region::RegionLevel::Township)
                .map(|r| (r.code, r.short_name))
                .collect();
            regions.push((county.code, county.short_name, towns));
        }
    }
    let type_opts = ducha_app::triage::POLLUTION_TYPES
        .iter()
        .map(|t| (*t, c.pollution_types.iter().any(|x| x == t)))
        .collect();
    let sansan_opts =
        ducha_app::triage::SANSAN.iter().map(|t| (*t, c.sansan.as_deref() == Some(*t))).collect();
    let corrections = st
        .app
        .triage_corrections(&p.user, id)
        .await?
        .into_iter()
        .map(|r| {
            let label = match r.field.as_str() {
                "county_code" => "县（区）",
                "township_code" => "乡镇（街道）",
                "village_code" => "村（社区）",
                "pollution_types" => "污染类型",
                _ => "三散类别",
            };
            let show = |v: Option<String>| v.filter(|s| !s.is_empty()).unwrap_or_else(|| "（空）".into());
            (fmt_ms(Some(r.at_ms)), label, show(r.old_value), show(r.new_value))
        })
        .collect();
    let attachments = st
        .app
        .attachments(&p.user, id)
        .await?
        .into_iter()
        .map(|a| {
            let size = if a.size >= 1024 * 1024 {
                format!("{:.1} MB", a.size as f64 / 1048576.0)
            } else {
                format!("{} KB", (a.size + 1023) / 1024)
            };
            (a.id, a.filename, size, fmt_ms(Some(a.at)))
        })
        .collect();
    let can_attach = matches!(p.user.role, Role::Handler | Role::Office | Role::Team | Role::Operator);
    let page = CasePageT {
        attachments,
        can_attach,
        can_correct,
        region_editable,
        regions,
        type_opts,
        sansan_opts,
        corrections,
        report,
        report_editable: rv.editable,
        report_missing: rv.problems.len(),
        can_callback: closed && p.user.can_read_identity(),
        callbacks,
        remaining: c.due_at.filter(|_| !c.stage.is_terminal()).map(|d| st.app.remaining(d)),
        onsite_required,
        nav: Nav::of(p, "cases"),
        badge: badge(c.stage),
        received: fmt_ms(Some(c.received_at)),
        channel: match c.channel.as_str() {
            "phone" => "电话",
            "letter" => "来信",
            _ => "网络",
        },
        types: if c.pollution_types.is_empty() { "待定".into() } else { c.pollution_types.join("、") },
        due: fmt_ms(c.due_at),
        evidence,
        dup_label,
        identity_allowed: p.user.can_read_identity(),
        identity: identity.map(|(w, _)| {
            let f = |v: Option<String>| v.unwrap_or_else(|| "—".into());
            let contact = [w.email, w.handle].into_iter().flatten().collect::<Vec<_>>().join("；");
            (f(w.name), f(w.phone), f(w.address), f(w.id_number), f(Some(contact).filter(|c| !c.is_empty())))
        }),
        assignments,
        forms,
        targets: targets.into_iter().map(|(id, name)| (id, name, Some(id) == suggested_unit)).collect(),
        dup_suggestion,
        history,
        flash,
        error,
        c,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}

pub async fn case(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<CaseParams>,
) -> Result<Response, PageError> {
    let flash = match q.done.as_deref() {
        Some("intake") => {
            Some("受理登记完成。请向来电群众读回上方的受理编号，并告知将依法为其保密。".to_owned())
        }
        Some("attachment") => Some("附件已上传。附件仅作参考，不作为考核依据。".to_owned()),
        Some(d) => Action::parse(d).ok().map(|a| format!("已{}。", a.label())),
        None => None,
    };
    case_page(&st, &p, id, None, flash, None).await
}

pub async fn case_identity(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, _): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let (who, comments) = st.app.read_identity_with_comments(&p.user, id).await?;
    case_page(&st, &p, id, Some((who.unwrap_or_default(), comments)), None, None).await
}

#[derive(Debug, Deserialize)]
pub struct ActFormData {
    pub(super) action: String,
    #[serde(default)]
    pub(super) reason: Option<String>,
    #[serde(default)]
    pub(super) expected_version: Option<String>,
    #[serde(default)]
    pub(super) to_unit_id: Option<String>,
    #[serde(default)]
    pub(super) finding: Option<String>,
    #[serde(default)]
    pub(super) dup_of: Option<String>,
    #[serde(default)]
    pub(super) urgent_reason: Option<String>,
    #[serde(default)]
    pub(super) extension_days: Option<String>,
    #[serde(default)]
    pub(super) approve: Option<String>,
    #[serde(default)]
    pub(super) onsite: Option<String>,
    #[serde(default)]
    pub(super) notes: Option<String>,
    /// Beijing wall-clock time from a `datetime-local` field.
    #[serde(default)]
    pub(super) due_at: Option<String>,
}

pub async fn case_act(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, f): CsrfForm<ActFormData>,
) -> Result<Response, PageError> {
    let num = |v: &Option<String>| {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty()).and_then(|s| s.parse::<i64>().ok())
    };
    let input = ActInput {
        action: f.action.clone(),
        reason: f.reason.clone(),
        expected_version: num(&f.expected_version),
        to_unit_id: num(&f.to_unit_id),
        co_unit_ids: Vec::new(),
        finding: f.finding.clone(),
        dup_of: f.dup_of.clone(),
        urgent_reason: f.urgent_reason.clone(),
        extension_days: f
            .extension_days
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse().ok()),
        approve: f.approve.as_deref().map(|a| a == "yes"),
        onsite: Some(f.onsite.as_deref() == Some("on")),
        notes: f.notes.clone(),
        due_at: match f.due_at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(d) => Some(ducha_domain::deadline::parse_instant(d).map_err(AppError::from)?),
            None => None,
        },
    };
    match st.app.act(&p.user, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}?done={}", f.action.trim())).into_response()),
        Err(e) if e.code == "case_left_scope" => Ok(Redirect::to("/cases").into_response()),
        Err(e)
            if matches!(
                e.kind,
                ducha_app::error::ErrorKind::BadRequest
                    | ducha_app::error::ErrorKind::Conflict
                    | ducha_app::error::ErrorKind::Rule
                    | ducha_app::error::ErrorKind::Forbidden
            ) =>
        {
            case_page(&st, &p, id, None, None, Some(e.message)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// The case page's triage-correction form (issue 3).
pub async fn case_triage(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let types: Vec<String> = pairs.iter().filter(|(n, _)| n == "types").map(|(_, v)| v.clone()).collect();
    let input = ducha_app::corrections::TriageCorrectionInput {
        county_code: get("county_code"),
        township_code: get("township_code"),
        village_code: None,
        pollution_types: Some(types),
        sansan: Some(get("sansan").unwrap_or_default()),
        reason: get("reason"),
    };
    match st.app.correct_triage(&p.user, id, &input).await {
        Ok(changes) => {
            let flash = if changes.is_empty() {
                "分拣结果没有变化。".to_owned()
            } else {
                format!("已更正分拣结果（{} 项），更正记录已保存为标注数据。", changes.len())
            };
            case_page(&st, &p, id, None, Some(flash), None).await
        }
        Err(e)
            if matches!(
                e.kind,
                ducha_app::error::ErrorKind::BadRequest | ducha_app::error::ErrorKind::Conflict
            ) =>
        {
            case_page(&st, &p, id, None, None, Some(e.message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The case page with an error notice (used by other modules' forms).
pub async fn case_page_with_error(
    st: &AppState,
    p: &PageUser,
    id: i64,
    error: String,
) -> Result<Response, PageError> {
    case_page(st, p, id, None, None, Some(error)).await
}
