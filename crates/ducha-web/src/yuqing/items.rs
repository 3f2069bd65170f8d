//! The opinion desk's item list and one item's page with its workflow, links to cases and actions.

use super::*;

// ---- item list ----

#[derive(Template)]
#[template(path = "yuqing/items.html")]
pub(super) struct ItemsPage {
    pub(super) nav: Nav,
    pub(super) sub: Sub,
    pub(super) total: i64,
    pub(super) rows: Vec<ItemRowView>,
    pub(super) status_options: Vec<(String, String, bool)>,
    pub(super) level_options: Vec<(String, String, bool)>,
    pub(super) sentiment_options: Vec<(String, String, bool)>,
    pub(super) county_options: Vec<(String, String, bool)>,
    pub(super) f_from: String,
    pub(super) f_to: String,
    pub(super) f_q: String,
    pub(super) f_dups: bool,
    pub(super) has_filter: bool,
    pub(super) page: i64,
    pub(super) pages: i64,
    pub(super) prev_link: Option<String>,
    pub(super) next_link: Option<String>,
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct ItemsParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) sentiment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) county_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) date_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) date_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) q: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) dups: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) page: Option<String>,
}

pub(super) fn options(
    it: impl Iterator<Item = (String, String)>,
    selected: &Option<String>,
) -> Vec<(String, String, bool)> {
    it.map(|(v, l)| {
        let sel = selected.as_deref() == Some(v.as_str());
        (v, l, sel)
    })
    .collect()
}

pub async fn items(
    State(st): State<AppState>,
    p: PageUser,
    Query(params): Query<ItemsParams>,
) -> Result<Html<String>, PageError> {
    let page = params.page.as_deref().and_then(|v| v.parse::<i64>().ok()).unwrap_or(1).max(1);
    let q = ItemQuery {
        status: opt(&params.status),
        level: opt(&params.level),
        county_code: opt(&params.county_code),
        sentiment: opt(&params.sentiment),
        date_from: opt(&params.date_from),
        date_to: opt(&params.date_to),
        q: opt(&params.q),
        include_duplicates: Some(params.dups.as_deref() == Some("1")),
        ..ItemQuery::default()
    };
    let res = st.app.list_opinion_items(&p.user, q.filter()?, page, 30).await?;
    let pages = ((res.total + res.per_page - 1) / res.per_page).max(1);
    let link = |pg: i64| {
        let mut pp = ItemsParams {
            status: opt(&params.status),
            level: opt(&params.level),
            sentiment: opt(&params.sentiment),
            county_code: opt(&params.county_code),
            date_from: opt(&params.date_from),
            date_to: opt(&params.date_to),
            q: opt(&params.q),
            dups: opt(&params.dups),
            page: None,
        };
        pp.page = Some(pg.to_string());
        format!("/yuqing/items?{}", serde_urlencoded::to_string(&pp).unwrap_or_default())
    };
    let counties = st.app.counties().await?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    render(&ItemsPage {
        nav: nav(&p),
        sub: sub(&p, "items"),
        total: res.total,
        rows: res.items.iter().map(row_of).collect(),
        status_options: options(
            ItemStatus::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())),
            &params.status,
        ),
        level_options: options(
            Level::ALL.iter().rev().map(|l| (l.code().to_owned(), l.label().to_owned())),
            &params.level,
        ),
        sentiment_options: options(
            SentimentLabel::ALL.iter().map(|l| (l.code().to_owned(), l.label().to_owned())),
            &params.sentiment,
        ),
        county_options: options(counties.into_iter().map(|r| (r.code, r.short_name)), &params.county_code),
        f_from: s(&params.date_from),
        f_to: s(&params.date_to),
        f_q: s(&params.q),
        f_dups: params.dups.as_deref() == Some("1"),
        has_filter: [
            &params.status,
            &params.level,
            &params.sentiment,
            &params.county_code,
            &params.date_from,
            &params.date_to,
            &params.q,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|x| !x.is_empty())),
        page,
        pages,
        prev_link: (page > 1).then(|| link(page - 1)),
        next_link: (page < pages).then(|| link(page + 1)),
    })
}

// ---- one item ----

#[derive(Debug)]
pub struct SignalRow {
    pub label: String,
    pub points: String,
    pub evidence: String,
}

#[derive(Debug)]
pub struct CaseRowView {
    pub case_id: i64,
    pub accept_no: String,
    pub region: String,
    pub text: String,
    pub stage: &'static str,
    pub finding: String,
    pub evidence: String,
    pub origin: &'static str,
}

#[derive(Debug)]
pub struct NoteView {
    pub at: String,
    pub author: String,
    pub action: String,
    pub body: String,
}

#[derive(Debug)]
pub struct HistRow {
    pub at: String,
    pub actor: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "yuqing/item.html")]
pub(super) struct ItemPageT {
    pub(super) nav: Nav,
    pub(super) sub: Sub,
    pub(super) it: ItemView,
    pub(super) level_class: &'static str,
    pub(super) published: String,
    pub(super) collected: String,
    pub(super) signals: Vec<SignalRow>,
    pub(super) enterprises: String,
    pub(super) keywords: String,
    pub(super) places: String,
    pub(super) cases: Vec<CaseRowView>,
    pub(super) alerts: Vec<AlertRowView>,
    pub(super) notes: Vec<NoteView>,
    pub(super) history: Vec<HistRow>,
    pub(super) reposts: Vec<ItemRowView>,
    pub(super) desk: bool,
    pub(super) can: Vec<&'static str>,
    pub(super) level_options: Vec<(String, String, bool)>,
    pub(super) township_options: Vec<(String, String, bool)>,
    pub(super) critical: bool,
    pub(super) back: String,
    pub(super) flash: Option<String>,
    pub(super) error: Option<String>,
}

pub(super) async fn item_page(
    st: &AppState,
    p: &PageUser,
    id: i64,
    flash: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let d: ItemDetail = st.app.opinion_item(&p.user, id).await?;
    let it = d.item;
    let desk = desk_scope(&p.user).is_ok();
    let townships = match it.county_code.as_deref() {
        Some(c) if c != "OUTSIDE" => st.app.regions_under(c).await?,
        _ => st.app.townships().await?,
    };
    let township_options = townships
        .into_iter()
        .filter(|r| r.level == ducha_domain::region::RegionLevel::Township)
        .map(|r| {
            let sel = it.township_code.as_deref() == Some(r.code.as_str());
            (r.code, r.short_name, sel)
        })
        .collect();
    let page = ItemPageT {
        nav: nav(p),
        sub: sub(p, "items"),
        level_class: level_class(&it.level),
        published: fmt_ms(it.published_at),
        collected: fmt_ms(Some(it.collected_at)),
        signals: it
            .signals
            .iter()
            .map(|s| SignalRow {
                label: s.label.clone(),
                points: format!("{:+.1}", s.points),
                evidence: s.evidence.join("、"),
            })
            .collect(),
        enterprises: it.enterprises.iter().map(|e| e.name.clone()).collect::<Vec<_>>().join("、"),
        keywords: it.keywords.join("、"),
        places: it.place_evidence.join("、"),
        cases: d
            .linked_cases
            .iter()
            .map(|c| CaseRowView {
                case_id: c.case_id,
                accept_no: c.accept_no.clone(),
                region: c.region_label.clone(),
                text: excerpt(&c.text, 80),
                stage: c.stage_label,
                finding: c.finding.clone().unwrap_or_else(|| "—".into()),
                evidence: c.evidence.join("；"),
                origin: if c.origin == "manual" { "人工关联" } else { "自动匹配" },
            })
            .collect(),
        alerts: d.alerts.iter().map(|a| alert_row(a, p)).collect(),
        notes: d
            .notes
            .iter()
            .map(|n| NoteView {
                at: fmt_ms(Some(n.at)),
                author: n.author_name.clone(),
                action: ItemAction::parse(&n.action)
                    .map(|a| a.label().to_owned())
                    .unwrap_or_else(|_| "签收反馈".into()),
                body: n.body.clone(),
            })
            .collect(),
        history: d
            .history
            .iter()
            .map(|h| HistRow { at: fmt_ms(Some(h.at)), actor: h.actor.clone(), label: h.label.clone() })
            .collect(),
        reposts: d.reposts.iter().map(row_of).collect(),
        desk,
        can: it.actions.iter().map(|a| a.code()).collect(),
        level_options: Level::ALL
            .iter()
            .rev()
            .map(|l| (l.code().to_owned(), l.label().to_owned(), l.code() == it.level))
            .collect(),
        township_options,
        critical: it.level == Level::Critical.code(),
        back: format!("/yuqing/items/{}", it.id),
        flash,
        error,
        it,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}

pub async fn item(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<DoneParams>,
) -> Result<Response, PageError> {
    item_page(&st, &p, id, flash_of(&q.done), None).await
}

pub(super) fn user_error(e: &AppError) -> bool {
    matches!(e.kind, ErrorKind::BadRequest | ErrorKind::Conflict | ErrorKind::Rule | ErrorKind::Forbidden)
}

#[derive(Debug, Deserialize)]
pub struct ActForm {
    pub(super) action: String,
    #[serde(default)]
    pub(super) note: Option<String>,
    #[serde(default)]
    pub(super) level: Option<String>,
    #[serde(default)]
    pub(super) township_code: Option<String>,
    #[serde(default)]
    pub(super) override_reason: Option<String>,
    #[serde(default)]
    pub(super) expected_version: Option<String>,
}

pub async fn item_act(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, f): CsrfForm<ActForm>,
) -> Result<Response, PageError> {
    // A malformed version is refused, not dropped: dropping it would turn the stale-version check off.
    let expected_version = match opt(&f.expected_version) {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            PageError(AppError::invalid("expected_version", format!("版本号“{v}”无效，请刷新页面后重新操作")))
        })?),
    };
    let input = ItemActInput {
        action: f.action.clone(),
        note: opt(&f.note),
        level: opt(&f.level),
        township_code: opt(&f.township_code),
        override_reason: opt(&f.override_reason),
        expected_version,
    };
    match st.app.opinion_act(&p.user, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/yuqing/items/{id}?done={}", f.action.trim())).into_response()),
        Err(e) if user_error(&e) => item_page(&st, &p, id, None, Some(e.message)).await,
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    pub(super) case: String,
    #[serde(default)]
    pub(super) case_id: Option<String>,
}

pub async fn item_link(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, f): CsrfForm<LinkForm>,
) -> Result<Response, PageError> {
    match st.app.link_opinion_case(&p.user, id, &f.case).await {
        Ok(_) => Ok(Redirect::to(&format!("/yuqing/items/{id}?done=link")).into_response()),
        Err(e) if user_error(&e) => item_page(&st, &p, id, None, Some(e.message)).await,
        Err(e) => Err(PageError(e)),
    }
}

pub async fn item_unlink(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, f): CsrfForm<LinkForm>,
) -> Result<Response, PageError> {
    let case_id = opt(&f.case_id)
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| AppError::invalid("case_id", "缺少案件编号"))?;
    match st.app.unlink_opinion_case(&p.user, id, case_id).await {
        Ok(_) => Ok(Redirect::to(&format!("/yuqing/items/{id}?done=unlink")).into_response()),
        Err(e) if user_error(&e) || e.kind == ErrorKind::NotFound && e.code == "link_not_found" => {
            item_page(&st, &p, id, None, Some(e.message)).await
        }
        Err(e) => Err(PageError(e)),
    }
}
