//! `/admin/campaigns…`: list, create and edit campaigns (督察轮次). The form shows every problem next
//! to its field; rules that depend on what already happened (issued accept numbers, received cases)
//! are shown above the form with their reason.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ducha_app::AppError;
use ducha_app::campaigns::{CampaignDetail, CampaignInput, check};
use ducha_app::error::ErrorKind;
use serde::Deserialize;

use super::{AdminNav, AdminPage};
use crate::AppState;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::kit::{Nav, render, render_with_status};

#[derive(Template)]
#[template(path = "admin/campaigns.html")]
struct ListPage {
    nav: Nav,
    admin: AdminNav,
    campaigns: Vec<CampaignDetail>,
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Flash {
    #[serde(default)]
    saved: Option<String>,
}

/// `/admin/campaigns`.
pub async fn list(
    State(st): State<AppState>,
    AdminPage(p): AdminPage,
    Query(q): Query<Flash>,
) -> Result<Html<String>, PageError> {
    render(&ListPage {
        nav: Nav::of(&p, "admin"),
        admin: AdminNav { active: "campaigns" },
        campaigns: st.app.list_campaigns().await?,
        flash: q.saved.map(|_| "已保存".to_owned()),
    })
}

/// The form as typed: every field text, so a wrong value is shown back as it was.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CampaignForm {
    pub name: String,
    pub team_name: String,
    pub city_code: String,
    pub province_letters: String,
    pub round: String,
    pub start_date: String,
    pub end_date: String,
    /// One per line.
    pub hotlines: String,
    pub postal_box: String,
    pub hours_start: String,
    pub hours_end: String,
    /// Checked county codes (repeated key).
    pub regions: Vec<String>,
    pub disclosure_layout: String,
    pub disclosure_days: String,
    pub quiet_start: String,
    pub quiet_end: String,
    pub report_buffer_days: String,
    /// Separated by 、，, or whitespace.
    pub livelihood_trades: String,
    /// A checkbox: present when on.
    pub publication_four_eyes: Option<String>,
    pub version: String,
}

impl CampaignForm {
    fn of(i: &CampaignInput, version: i64) -> Self {
        CampaignForm {
            name: i.name.clone(),
            team_name: i.team_name.clone(),
            city_code: i.city_code.clone(),
            province_letters: i.province_letters.clone(),
            round: i.round.to_string(),
            start_date: i.start_date.clone(),
            end_date: i.end_date.clone(),
            hotlines: i.hotlines.join("\n"),
            postal_box: i.postal_box.clone(),
            hours_start: i.hours_start.clone(),
            hours_end: i.hours_end.clone(),
            regions: i.regions.clone(),
            disclosure_layout: i.disclosure_layout.clone(),
            disclosure_days: i.disclosure_days.map(|d| d.to_string()).unwrap_or_default(),
            quiet_start: i.quiet_start.clone(),
            quiet_end: i.quiet_end.clone(),
            report_buffer_days: i.report_buffer_days.to_string(),
            livelihood_trades: i.livelihood_trades.join("、"),
            publication_four_eyes: i.publication_four_eyes.then(|| "on".to_owned()),
            version: version.to_string(),
        }
    }

    /// A new campaign's defaults for the city of the deployment (taken from the newest campaign when
    /// there is one).
    fn defaults(city_code: String) -> Self {
        CampaignForm {
            city_code,
            province_letters: "HA".into(),
            round: "1".into(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            disclosure_layout: "2023".into(),
            quiet_start: "20:00".into(),
            quiet_end: "08:00".into(),
            report_buffer_days: "1".into(),
            livelihood_trades: "餐饮、供暖、养殖、种植、建材、农贸".into(),
            publication_four_eyes: Some("on".into()),
            ..CampaignForm::default()
        }
    }

    /// The input, or the fields that are not even numbers.
    fn parse(&self) -> Result<CampaignInput, BTreeMap<String, String>> {
        let mut errs = BTreeMap::new();
        let round = self.round.trim().parse::<u32>().unwrap_or_else(|_| {
            errs.insert("round".into(), format!("督察轮次“{}”无效：应为1至99的数字", self.round.trim()));
            0
        });
        let disclosure_days = match self.disclosure_days.trim() {
            "" => None,
            s => s.parse::<u32>().map(Some).unwrap_or_else(|_| {
                errs.insert("disclosure_days".into(), format!("公开时限“{s}”无效：应为1至30的数字，或留空"));
                None
            }),
        };
        let report_buffer_days = self.report_buffer_days.trim().parse::<u32>().unwrap_or_else(|_| {
            errs.insert(
                "report_buffer_days".into(),
                format!("报送缓冲“{}”无效：应为0至5的数字", self.report_buffer_days.trim()),
            );
            0
        });
        let input = CampaignInput {
            name: self.name.trim().into(),
            team_name: self.team_name.trim().into(),
            city_code: self.city_code.trim().into(),
            province_letters: self.province_letters.trim().into(),
            round,
            start_date: self.start_date.trim().into(),
            end_date: self.end_date.trim().into(),
            hotlines: self.hotlines.lines().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect(),
            postal_box: self.postal_box.trim().into(),
            hours_start: self.hours_start.trim().into(),
            hours_end: self.hours_end.trim().into(),
            regions: self.regions.clone(),
            disclosure_layout: self.disclosure_layout.trim().into(),
            disclosure_days,
            quiet_start: self.quiet_start.trim().into(),
            quiet_end: self.quiet_end.trim().into(),
            report_buffer_days,
            livelihood_trades: self
                .livelihood_trades
                .split(|c: char| c == '、' || c == '，' || c == ',' || c.is_whitespace())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            publication_four_eyes: self.publication_four_eyes.is_some(),
        };
        if let Err(list) = check(&input) {
            for e in list {
                errs.entry(e.field).or_insert(e.message);
            }
        }
        if errs.is_empty() { Ok(input) } else { Err(errs) }
    }
}

#[derive(Template)]
#[template(path = "admin/campaign_form.html")]
struct FormPage {
    nav: Nav,
    admin: AdminNav,
    /// `None` for a new campaign.
    id: Option<i64>,
    detail: Option<CampaignDetail>,
    form: CampaignForm,
    /// (code, name, checked)
    counties: Vec<(String, String, bool)>,
    errors: BTreeMap<String, String>,
    error: Option<String>,
    flash: Option<String>,
}

impl FormPage {
    /// The message for a field, empty when it is fine.
    pub fn err(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }
}

async fn form_page(
    st: &AppState,
    p: &crate::extract::PageUser,
    id: Option<i64>,
    form: CampaignForm,
    errors: BTreeMap<String, String>,
    error: Option<String>,
) -> Result<FormPage, PageError> {
    let detail = match id {
        Some(id) => Some(st.app.campaign_by_id(id).await?),
        None => None,
    };
    let counties = st
        .app
        .counties()
        .await?
        .into_iter()
        .filter(|c| form.city_code.is_empty() || c.code.starts_with(form.city_code.trim()))
        .map(|c| {
            let checked = form.regions.iter().any(|r| r == &c.code);
            (c.code, c.name, checked)
        })
        .collect();
    Ok(FormPage {
        nav: Nav::of(p, "admin"),
        admin: AdminNav { active: "campaigns" },
        id,
        detail,
        form,
        counties,
        errors,
        error,
        flash: None,
    })
}

/// A refusal of the use case: next to its field when it names one, above the form otherwise.
fn refusal(e: AppError) -> Result<(StatusCode, BTreeMap<String, String>, Option<String>), PageError> {
    let status = match e.kind {
        ErrorKind::BadRequest => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Rule => StatusCode::UNPROCESSABLE_ENTITY,
        _ => return Err(PageError(e)),
    };
    Ok(match e.field {
        Some(f) => (status, BTreeMap::from([(f, e.message)]), None),
        None => (status, BTreeMap::new(), Some(e.message)),
    })
}

fn parse_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<i64>()
        .map_err(|_| PageError(AppError::bad_request("invalid_path", format!("督察轮次编号“{raw}”无效"))))
}

/// `/admin/campaigns/new`.
pub async fn new_form(
    State(st): State<AppState>,
    AdminPage(p): AdminPage,
) -> Result<Html<String>, PageError> {
    let city = match st.app.list_campaigns().await?.pop() {
        Some(c) => c.input.city_code,
        None => p.user.unit.region_code.clone().filter(|c| c.len() == 4).unwrap_or_default(),
    };
    render(&form_page(&st, &p, None, CampaignForm::defaults(city), BTreeMap::new(), None).await?)
}

/// `POST /admin/campaigns`.
pub async fn create(
    State(st): State<AppState>,
    CsrfForm(p, f): CsrfForm<CampaignForm>,
) -> Result<Response, PageError> {
    super::AdminPage::check(&p)?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(errors) => {
            let page = form_page(&st, &p, None, f, errors, None).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    match st.app.create_campaign(Some(&p.user), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/campaigns/{id}?saved=1")).into_response()),
        Err(e) => {
            let (status, errors, error) = refusal(e)?;
            render_with_status(status, &form_page(&st, &p, None, f, errors, error).await?)
        }
    }
}

/// `/admin/campaigns/{id}`.
pub async fn edit_form(
    State(st): State<AppState>,
    AdminPage(p): AdminPage,
    Path(raw): Path<String>,
    Query(q): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let id = parse_id(&raw)?;
    let d = st.app.campaign_by_id(id).await?;
    let form = CampaignForm::of(&d.input, d.version);
    let mut page = form_page(&st, &p, Some(id), form, BTreeMap::new(), None).await?;
    page.flash = q.saved.map(|_| "已保存".to_owned());
    render(&page)
}

/// `POST /admin/campaigns/{id}`.
pub async fn update(
    State(st): State<AppState>,
    Path(raw): Path<String>,
    CsrfForm(p, f): CsrfForm<CampaignForm>,
) -> Result<Response, PageError> {
    super::AdminPage::check(&p)?;
    let id = parse_id(&raw)?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(errors) => {
            let page = form_page(&st, &p, Some(id), f, errors, None).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let version = f.version.trim().parse::<i64>().unwrap_or(0);
    match st.app.update_campaign(Some(&p.user), id, &input, version).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/campaigns/{id}?saved=1")).into_response()),
        Err(e) => {
            let (status, errors, error) = refusal(e)?;
            render_with_status(status, &form_page(&st, &p, Some(id), f, errors, error).await?)
        }
    }
}
