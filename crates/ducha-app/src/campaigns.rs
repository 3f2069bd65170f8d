//! Campaigns (督察轮次/督察进驻): created and edited by the administrator — or by the bootstrap CLI acting
//! as the system — never written into the store by hand. One input type serves the TOML file of
//! `ducha campaign create`, the admin API and the admin form; [`check`] is the pure validation of its
//! shape, the use cases add what needs the database (regions, the city unit, what issued accept numbers
//! and received cases pin down).

use chrono::{NaiveDate, NaiveTime};
use ducha_domain::calendar::WorkingDuration;
use ducha_domain::compression::CompressionConfig;
use ducha_domain::quiet::QuietHoursConfig;
use ducha_domain::role::Role;
use ducha_domain::time::{from_millis, to_cst};
use ducha_store::audit::{self, AuditEntry};
use ducha_store::campaign_admin::{self, CampaignUpdate};
use ducha_store::directory::{self, CampaignRow, NewCampaign};
use ducha_triage::accept_no::{AcceptNo, Channel};
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::settings::CampaignSettings;
use crate::{App, AppError, Result};

/// Everything an administrator sets for a campaign. Settings left out take the notice's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    /// 督察名称, e.g. 河南省“三散”污染治理专项督察（濮阳市）.
    pub name: String,
    /// 督察组名称, e.g. 省“三散”污染治理专项督察第三组.
    pub team_name: String,
    /// The inspected city's 4-digit division code (its 市攻坚办 must exist), e.g. `4109`.
    pub city_code: String,
    /// Province letters of the accept numbers (GB/T 2260), e.g. `HA`.
    pub province_letters: String,
    /// Round of the accept numbers, 1–99.
    pub round: u32,
    /// First day of the period (`YYYY-MM-DD`).
    pub start_date: String,
    /// Last day of the period (`YYYY-MM-DD`).
    pub end_date: String,
    /// 举报电话.
    pub hotlines: Vec<String>,
    /// 邮政信箱.
    pub postal_box: String,
    /// Answering hours, `HH:MM`.
    pub hours_start: String,
    pub hours_end: String,
    /// County-level division codes covered by the campaign.
    pub regions: Vec<String>,
    /// Disclosure table layout: `2023` (default) or `legacy`.
    #[serde(default = "default_layout")]
    pub disclosure_layout: String,
    /// R2.6 working days to disclose an assigned case (default: the deployment's `public.disclosure_days`).
    #[serde(default)]
    pub disclosure_days: Option<u32>,
    /// R5.1 quiet hours for grassroots units, `HH:MM` (default 20:00–08:00).
    #[serde(default = "default_quiet_start")]
    pub quiet_start: String,
    #[serde(default = "default_quiet_end")]
    pub quiet_end: String,
    /// R5.2 report buffer in working days (default 1).
    #[serde(default = "default_buffer")]
    pub report_buffer_days: u32,
    /// R1.2 livelihood trades whose shutdowns need a second approval (default 餐饮 供暖 养殖 种植 建材 农贸).
    #[serde(default = "default_trades")]
    pub livelihood_trades: Vec<String>,
    /// R2 publication four-eyes: the drafter of a disclosure may not review or publish it (default on).
    #[serde(default = "default_true")]
    pub publication_four_eyes: bool,
}

fn default_layout() -> String {
    "2023".into()
}
fn default_quiet_start() -> String {
    "20:00".into()
}
fn default_quiet_end() -> String {
    "08:00".into()
}
fn default_buffer() -> u32 {
    1
}
fn default_trades() -> Vec<String> {
    ducha_domain::shutdown::BlanketShutdownConfig::default().livelihood_trades.into_iter().collect()
}
fn default_true() -> bool {
    true
}

/// One problem with one field of a [`CampaignInput`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

fn fe(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// Where a campaign stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignState {
    Upcoming,
    Running,
    Ended,
}

impl CampaignState {
    pub fn label(self) -> &'static str {
        match self {
            CampaignState::Upcoming => "未开始",
            CampaignState::Running => "进驻中",
            CampaignState::Ended => "已结束",
        }
    }
}

/// A campaign as the administrator sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignDetail {
    pub id: i64,
    /// Edit version; send it back with an update.
    pub version: i64,
    pub state: CampaignState,
    pub state_label: String,
    /// Cases received under the campaign.
    pub cases: i64,
    /// Whether accept numbers were issued (round and province letters are then fixed).
    pub numbers_issued: bool,
    pub input: CampaignInput,
}

/// The administrator's home at a glance.
#[derive(Debug, Clone, Serialize)]
pub struct AdminOverview {
    pub campaigns: Vec<CampaignDetail>,
    pub units: usize,
    pub users: usize,
    pub active_users: usize,
}

fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' || !b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit) {
        return None;
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn is_phone(s: &str) -> bool {
    (5..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

/// The shape of a campaign input, checked without the database: every problem, one per field.
pub fn check(i: &CampaignInput) -> std::result::Result<(), Vec<FieldError>> {
    let mut errs = Vec::new();
    let name = i.name.trim();
    if name.is_empty() {
        errs.push(fe("name", "请填写督察名称"));
    } else if name.chars().count() > 100 {
        errs.push(fe("name", "督察名称最长100字"));
    }
    if i.team_name.trim().is_empty() {
        errs.push(fe("team_name", "请填写督察组名称"));
    } else if i.team_name.trim().chars().count() > 100 {
        errs.push(fe("team_name", "督察组名称最长100字"));
    }
    if i.city_code.len() != 4 || !i.city_code.bytes().all(|b| b.is_ascii_digit()) {
        errs.push(fe("city_code", format!("城市代码“{}”无效：应为4位行政区划代码，如 4109", i.city_code)));
    }
    // Round and letters as the accept numbers will need them: ask the accept-number builder itself.
    let probe = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    if !(1..=99).contains(&i.round) {
        errs.push(fe("round", format!("督察轮次{}无效：应为1至99", i.round)));
    } else if let Err(e) = AcceptNo::new(Channel::Phone, i.round, &i.province_letters, probe, 1) {
        errs.push(fe("province_letters", e.to_string()));
    }
    if i.round == 0 || i.round > 99 {
        // Letters still deserve their own message when the round is also wrong.
        if let Err(e) = AcceptNo::new(Channel::Phone, 1, &i.province_letters, probe, 1) {
            errs.push(fe("province_letters", e.to_string()));
        }
    }
    let start = parse_day(&i.start_date);
    let end = parse_day(&i.end_date);
    if start.is_none() {
        errs.push(fe("start_date", format!("开始日期“{}”无效：应为 YYYY-MM-DD", i.start_date)));
    }
    if end.is_none() {
        errs.push(fe("end_date", format!("结束日期“{}”无效：应为 YYYY-MM-DD", i.end_date)));
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            errs.push(fe("end_date", "结束日期不能早于开始日期"));
        } else if (e - s).num_days() > 366 {
            errs.push(fe("end_date", "督察期间不能超过一年"));
        }
    }
    if i.hotlines.iter().all(|h| h.trim().is_empty()) {
        errs.push(fe("hotlines", "请至少填写一个举报电话"));
    } else if let Some(bad) = i.hotlines.iter().map(|h| h.trim()).find(|h| !h.is_empty() && !is_phone(h)) {
        errs.push(fe("hotlines", format!("举报电话“{bad}”无效：只能包含数字和连字符，如 0393-8991369")));
    }
    if i.postal_box.trim().is_empty() {
        errs.push(fe("postal_box", "请填写邮政信箱"));
    }
    let hs = parse_hhmm(&i.hours_start);
    let he = parse_hhmm(&i.hours_end);
    if hs.is_none() {
        errs.push(fe("hours_start", format!("接听开始时间“{}”无效：应为 HH:MM，如 08:00", i.hours_start)));
    }
    if he.is_none() {
        errs.push(fe("hours_end", format!("接听结束时间“{}”无效：应为 HH:MM，如 20:00", i.hours_end)));
    }
    if let (Some(s), Some(e)) = (hs, he)
        && e <= s
    {
        errs.push(fe("hours_end", "接听结束时间应晚于开始时间"));
    }
    if i.regions.iter().all(|r| r.trim().is_empty()) {
        errs.push(fe("regions", "请至少填写一个督察范围内的县（市、区）代码"));
    } else if let Some(bad) = i.regions.iter().map(|r| r.trim()).find(|r| {
        !r.is_empty()
            && (r.len() != 6 || !r.bytes().all(|b| b.is_ascii_digit()) || !r.starts_with(&i.city_code))
    }) {
        errs.push(fe("regions", format!("区划代码“{bad}”无效：应为本市的6位县级代码")));
    }
    if i.disclosure_layout != "2023" && i.disclosure_layout != "legacy" {
        errs.push(fe(
            "disclosure_layout",
            format!("公开表格式“{}”无效：应为 2023 或 legacy", i.disclosure_layout),
        ));
    }
    if let Some(d) = i.disclosure_days
        && !(1..=30).contains(&d)
    {
        errs.push(fe("disclosure_days", format!("公开时限{d}个工作日无效：应为1至30")));
    }
    let qs = parse_hhmm(&i.quiet_start);
    let qe = parse_hhmm(&i.quiet_end);
    if qs.is_none() {
        errs.push(fe("quiet_start", format!("静默开始时间“{}”无效：应为 HH:MM，如 20:00", i.quiet_start)));
    }
    if qe.is_none() {
        errs.push(fe("quiet_end", format!("静默结束时间“{}”无效：应为 HH:MM，如 08:00", i.quiet_end)));
    }
    if let (Some(s), Some(e)) = (qs, qe)
        && s == e
    {
        errs.push(fe("quiet_end", "静默时段的开始和结束不能相同"));
    }
    if i.report_buffer_days > 5 {
        errs.push(fe(
            "report_buffer_days",
            format!("报送缓冲{}个工作日无效：应为0至5", i.report_buffer_days),
        ));
    }
    if i.livelihood_trades.iter().any(|t| t.trim().is_empty() || t.trim().chars().count() > 20) {
        errs.push(fe("livelihood_trades", "民生行业名称不能为空，每项最长20字"));
    }
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

fn invalid(errs: Vec<FieldError>) -> AppError {
    let first = errs.first().cloned().unwrap_or_else(|| fe("input", "输入无效"));
    AppError {
        field: Some(first.field.clone()),
        details: errs.iter().map(|e| format!("{}: {}", e.field, e.message)).collect(),
        ..AppError::invalid(&first.field, first.message)
    }
}

impl CampaignInput {
    fn trimmed_list(v: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !out.iter().any(|o| o == s) {
                out.push(s.to_owned());
            }
        }
        out
    }

    /// The settings JSON: the existing object with this input's keys replaced (keys the form does not
    /// show, such as detector thresholds, stay as they were).
    fn settings_json(&self, existing: &str) -> Result<serde_json::Value> {
        let mut v: serde_json::Value =
            serde_json::from_str(existing).unwrap_or_else(|_| serde_json::json!({}));
        if !v.is_object() {
            v = serde_json::json!({});
        }
        let current = serde_json::from_value::<CampaignSettings>(v.clone()).unwrap_or_default();
        let quiet = QuietHoursConfig {
            start: parse_hhmm(&self.quiet_start).unwrap_or(current.quiet.start),
            end: parse_hhmm(&self.quiet_end).unwrap_or(current.quiet.end),
            ..current.quiet
        };
        let compression = CompressionConfig {
            default_buffer: WorkingDuration::Days(self.report_buffer_days),
            ..current.compression
        };
        let obj = v.as_object_mut().ok_or_else(|| AppError::internal("settings is not an object"))?;
        obj.insert("disclosure_layout".into(), self.disclosure_layout.clone().into());
        match self.disclosure_days {
            Some(d) => obj.insert("disclosure_days".into(), d.into()),
            None => obj.remove("disclosure_days"),
        };
        obj.insert("quiet".into(), to_json(&quiet)?);
        obj.insert("compression".into(), to_json(&compression)?);
        let bs = obj.entry("blanket_shutdown").or_insert_with(|| serde_json::json!({}));
        if !bs.is_object() {
            *bs = serde_json::json!({});
        }
        if let Some(b) = bs.as_object_mut() {
            b.insert("livelihood_trades".into(), Self::trimmed_list(&self.livelihood_trades).into());
        }
        obj.insert("publication_four_eyes".into(), self.publication_four_eyes.into());
        // What is stored must read back as settings, or every later read would fall back to defaults.
        serde_json::from_value::<CampaignSettings>(v.clone())
            .map_err(|e| AppError::internal(format!("campaign settings do not parse: {e}")))?;
        Ok(v)
    }

    /// The input that reproduces a stored campaign (for the edit form and the API).
    pub fn of_row(row: &CampaignRow, city_code: String) -> Self {
        let s = CampaignSettings::of(row);
        let days = match s.compression.default_buffer {
            WorkingDuration::Days(d) => d,
            WorkingDuration::Hours(h) => h.div_ceil(8),
        };
        CampaignInput {
            name: row.name.clone(),
            team_name: row.team_name.clone(),
            city_code,
            province_letters: row.province_letters.clone(),
            round: u32::try_from(row.round_no).unwrap_or(0),
            start_date: row.start_date.clone(),
            end_date: row.end_date.clone(),
            hotlines: serde_json::from_str(&row.hotlines).unwrap_or_default(),
            postal_box: row.postal_box.clone(),
            hours_start: row.hours_start.clone(),
            hours_end: row.hours_end.clone(),
            regions: serde_json::from_str(&row.regions).unwrap_or_default(),
            disclosure_layout: s.disclosure_layout.clone(),
            disclosure_days: s.disclosure_days,
            quiet_start: s.quiet.start.format("%H:%M").to_string(),
            quiet_end: s.quiet.end.format("%H:%M").to_string(),
            report_buffer_days: days,
            livelihood_trades: s.blanket_shutdown.livelihood_trades.iter().cloned().collect(),
            publication_four_eyes: s.four_eyes(),
        }
    }
}

fn to_json<T: Serialize>(x: &T) -> Result<serde_json::Value> {
    serde_json::to_value(x).map_err(|e| AppError::internal(e.to_string()))
}

fn require_admin(actor: Option<&CurrentUser>) -> Result<()> {
    match actor {
        Some(u) if u.role != Role::Admin => Err(AppError::forbidden("只有系统管理员可以设置督察轮次")),
        _ => Ok(()),
    }
}

fn audit_entry(
    actor: Option<&CurrentUser>,
    at_ms: i64,
    action: &str,
    id: i64,
    detail: serde_json::Value,
) -> AuditEntry {
    match actor {
        Some(u) => u.audit(at_ms, action, "campaign", id, detail),
        None => AuditEntry {
            at_ms,
            actor_user_id: None,
            actor_unit_id: None,
            actor_name: "命令行".into(),
            action: action.into(),
            entity_type: "campaign".into(),
            entity_id: id.to_string(),
            detail,
        },
    }
}

impl App {
    /// The regions among `codes` that are not county-level divisions in the regions table.
    async fn unknown_regions(&self, codes: &[String]) -> Result<Vec<String>> {
        let mut bad = Vec::new();
        for c in codes {
            match directory::region(&self.store, c).await? {
                Some(r) if r.level == ducha_domain::region::RegionLevel::County => {}
                _ => bad.push(c.clone()),
            }
        }
        Ok(bad)
    }

    async fn check_regions(&self, input: &CampaignInput) -> Result<Vec<String>> {
        let regions = CampaignInput::trimmed_list(&input.regions);
        let bad = self.unknown_regions(&regions).await?;
        if !bad.is_empty() {
            return Err(AppError::invalid(
                "regions",
                format!("区划代码{}不在本平台的区划表中（或不是县级区划）", bad.join("、")),
            ));
        }
        Ok(regions)
    }

    /// Create a campaign. `actor` is the administrator, or `None` for the bootstrap CLI (the system).
    pub async fn create_campaign(&self, actor: Option<&CurrentUser>, input: &CampaignInput) -> Result<i64> {
        require_admin(actor)?;
        check(input).map_err(invalid)?;
        let regions = self.check_regions(input).await?;
        let city = directory::unit_by_code(&self.store, &crate::directory::unit_code_city(&input.city_code))
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "city_code",
                    format!("城市{}的市攻坚办尚未建立，请先运行 ducha init", input.city_code),
                )
            })?;
        let team = directory::unit_by_code(&self.store, "team")
            .await?
            .ok_or_else(|| AppError::invalid("team_name", "督察组单位尚未建立，请先运行 ducha init"))?;
        let settings = input.settings_json("{}")?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = directory::insert_campaign(
            &mut tx,
            &NewCampaign {
                name: input.name.trim().into(),
                team_name: input.team_name.trim().into(),
                start_date: input.start_date.clone(),
                end_date: input.end_date.clone(),
                hotlines: CampaignInput::trimmed_list(&input.hotlines),
                postal_box: input.postal_box.trim().into(),
                hours_start: input.hours_start.clone(),
                hours_end: input.hours_end.clone(),
                round_no: i64::from(input.round),
                province_letters: input.province_letters.clone(),
                regions,
                team_unit_id: team.id,
                city_unit_id: city.id,
                settings: settings.clone(),
                created_at: now,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &audit_entry(
                actor,
                now,
                "campaign.create",
                id,
                serde_json::json!({ "name": input.name.trim(), "round": input.round,
                    "province_letters": input.province_letters, "start_date": input.start_date,
                    "end_date": input.end_date, "settings": settings }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Edit a campaign at `expected_version`. Safe changes are applied; changes that would contradict
    /// what already happened under the campaign are refused with the reason.
    pub async fn update_campaign(
        &self,
        actor: Option<&CurrentUser>,
        id: i64,
        input: &CampaignInput,
        expected_version: i64,
    ) -> Result<CampaignDetail> {
        require_admin(actor)?;
        let row = self.campaign_row(id).await?;
        check(input).map_err(invalid)?;
        let regions = self.check_regions(input).await?;
        let city_code = self.city_code_of(&row).await?;
        if input.city_code != city_code {
            return Err(AppError::new(
                crate::error::ErrorKind::Rule,
                "campaign_city_fixed",
                format!("督察对象城市创建后不能修改（本轮为{city_code}）；如需督察另一城市，请新建督察轮次"),
            ));
        }
        if (i64::from(input.round) != row.round_no || input.province_letters != row.province_letters)
            && campaign_admin::accept_numbers_issued(&self.store, id).await?
        {
            return Err(AppError::new(
                crate::error::ErrorKind::Rule,
                "campaign_numbers_issued",
                "本轮督察已发出受理编号，轮次和省份字母已写入编号，不能再修改",
            ));
        }
        let span = campaign_admin::case_span(&self.store, id).await?;
        if let (Some(first), Some(last)) = (span.first_received_at, span.last_received_at) {
            let first = to_cst(from_millis(first)).date_naive().format("%Y-%m-%d").to_string();
            let last = to_cst(from_millis(last)).date_naive().format("%Y-%m-%d").to_string();
            // Both are YYYY-MM-DD after `check`, so they compare as strings.
            if input.start_date > first || input.end_date < last {
                return Err(AppError::new(
                    crate::error::ErrorKind::Rule,
                    "campaign_period_excludes_cases",
                    format!(
                        "本轮督察已受理{}件举报（{first}至{last}），督察期间不能缩短到不含这些日期",
                        span.cases
                    ),
                ));
            }
        }
        let settings = input.settings_json(&row.settings)?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let version = campaign_admin::update(
            &mut tx,
            id,
            expected_version,
            &CampaignUpdate {
                name: input.name.trim().into(),
                team_name: input.team_name.trim().into(),
                start_date: input.start_date.clone(),
                end_date: input.end_date.clone(),
                hotlines: CampaignInput::trimmed_list(&input.hotlines),
                postal_box: input.postal_box.trim().into(),
                hours_start: input.hours_start.clone(),
                hours_end: input.hours_end.clone(),
                round_no: i64::from(input.round),
                province_letters: input.province_letters.clone(),
                regions,
                settings: settings.clone(),
                updated_at: now,
            },
        )
        .await?
        .ok_or_else(|| AppError::conflict("stale_version", "该督察轮次已被他人修改，请刷新后重新编辑"))?;
        let before = CampaignInput::of_row(&row, city_code);
        audit::append(
            &mut tx,
            &audit_entry(
                actor,
                now,
                "campaign.update",
                id,
                serde_json::json!({ "version": version, "before": before, "after": input }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.campaign_by_id(id).await
    }

    async fn campaign_row(&self, id: i64) -> Result<CampaignRow> {
        directory::campaign(&self.store, id)
            .await?
            .ok_or_else(|| AppError::not_found("campaign_not_found", "未找到该督察轮次"))
    }

    async fn city_code_of(&self, row: &CampaignRow) -> Result<String> {
        Ok(directory::unit(&self.store, row.city_unit_id)
            .await?
            .and_then(|u| u.region_code)
            .unwrap_or_default())
    }

    /// One campaign with its version, state and what pins it down.
    pub async fn campaign_by_id(&self, id: i64) -> Result<CampaignDetail> {
        let row = self.campaign_row(id).await?;
        self.detail_of(row).await
    }

    async fn detail_of(&self, row: CampaignRow) -> Result<CampaignDetail> {
        let version = campaign_admin::version(&self.store, row.id).await?.unwrap_or(1);
        let span = campaign_admin::case_span(&self.store, row.id).await?;
        let numbers_issued = campaign_admin::accept_numbers_issued(&self.store, row.id).await?;
        let today = to_cst(self.clock.now()).date_naive().format("%Y-%m-%d").to_string();
        let state = if today < row.start_date {
            CampaignState::Upcoming
        } else if today > row.end_date {
            CampaignState::Ended
        } else {
            CampaignState::Running
        };
        let city_code = self.city_code_of(&row).await?;
        Ok(CampaignDetail {
            id: row.id,
            version,
            state,
            state_label: state.label().into(),
            cases: span.cases,
            numbers_issued,
            input: CampaignInput::of_row(&row, city_code),
        })
    }

    /// What the administrator's home shows at a glance: the campaigns and the directory's size.
    pub async fn admin_overview(&self, actor: &CurrentUser) -> Result<AdminOverview> {
        require_admin(Some(actor))?;
        let units = directory::units(&self.store).await?.len();
        let users = directory::users(&self.store).await?;
        Ok(AdminOverview {
            campaigns: self.list_campaigns().await?,
            units,
            users: users.len(),
            active_users: users.iter().filter(|u| u.active != 0).count(),
        })
    }

    /// All campaigns, oldest first.
    pub async fn list_campaigns(&self) -> Result<Vec<CampaignDetail>> {
        let mut out = Vec::new();
        for row in directory::campaigns(&self.store).await? {
            out.push(self.detail_of(row).await?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> CampaignInput {
        CampaignInput {
            name: "河南省“三散”污染治理专项督察（濮阳市）".into(),
            team_name: "省第三督察组".into(),
            city_code: "4109".into(),
            province_letters: "HA".into(),
            round: 3,
            start_date: "2023-12-10".into(),
            end_date: "2024-01-10".into(),
            hotlines: vec!["0393-8991369".into()],
            postal_box: "濮阳市A001号邮政信箱".into(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            regions: vec!["410928".into()],
            disclosure_layout: "2023".into(),
            disclosure_days: None,
            quiet_start: "20:00".into(),
            quiet_end: "08:00".into(),
            report_buffer_days: 1,
            livelihood_trades: default_trades(),
            publication_four_eyes: true,
        }
    }

    /// One validation case: the edit, and the fields expected to be refused (empty: accepted).
    fn check_case(edit: impl Fn(&mut CampaignInput), expect: &[&str]) {
        let mut i = base();
        edit(&mut i);
        let got: Vec<String> = match check(&i) {
            Ok(()) => Vec::new(),
            Err(es) => es.into_iter().map(|e| e.field).collect(),
        };
        assert_eq!(got, expect, "input {i:?}");
    }

    #[test]
    fn campaign_input_validation_table() {
        check_case(|_| {}, &[]);
        check_case(|i| i.name = "  ".into(), &["name"]);
        check_case(|i| i.team_name = String::new(), &["team_name"]);
        check_case(|i| i.city_code = "41090".into(), &["city_code", "regions"]);
        check_case(|i| i.round = 0, &["round"]);
        check_case(|i| i.round = 100, &["round"]);
        check_case(|i| i.round = 99, &[]);
        check_case(|i| i.province_letters = "ha".into(), &["province_letters"]);
        check_case(|i| i.province_letters = "ZZ".into(), &["province_letters"]);
        check_case(|i| i.province_letters = "HAA".into(), &["province_letters"]);
        check_case(
            |i| {
                i.round = 0;
                i.province_letters = "Q".into();
            },
            &["round", "province_letters"],
        );
        check_case(|i| i.start_date = "2023-12-32".into(), &["start_date"]);
        check_case(|i| i.start_date = "2023-1-5".into(), &["start_date"]);
        check_case(|i| i.end_date = "2023-12-09".into(), &["end_date"]);
        check_case(|i| i.end_date = "2025-01-11".into(), &["end_date"]);
        check_case(|i| i.hotlines = vec![], &["hotlines"]);
        check_case(|i| i.hotlines = vec![" ".into()], &["hotlines"]);
        check_case(|i| i.hotlines = vec!["0393-899一369".into()], &["hotlines"]);
        check_case(|i| i.hotlines = vec!["12369".into(), "0393-8991370".into()], &[]);
        check_case(|i| i.postal_box = String::new(), &["postal_box"]);
        // Answering hours: HH:MM exactly, no silent fallback.
        check_case(|i| i.hours_start = "8:00".into(), &["hours_start"]);
        check_case(|i| i.hours_start = "08:00:00".into(), &["hours_start"]);
        check_case(|i| i.hours_start = "24:00".into(), &["hours_start"]);
        check_case(|i| i.hours_end = "20:60".into(), &["hours_end"]);
        check_case(|i| i.hours_end = "08:00".into(), &["hours_end"]);
        check_case(|i| i.hours_end = "07:30".into(), &["hours_end"]);
        check_case(|i| i.regions = vec![], &["regions"]);
        check_case(|i| i.regions = vec!["410502".into()], &["regions"]);
        check_case(|i| i.regions = vec!["4109".into()], &["regions"]);
        check_case(|i| i.disclosure_layout = "legacy".into(), &[]);
        check_case(|i| i.disclosure_layout = "2019".into(), &["disclosure_layout"]);
        check_case(|i| i.disclosure_days = Some(0), &["disclosure_days"]);
        check_case(|i| i.disclosure_days = Some(3), &[]);
        check_case(|i| i.quiet_start = "2000".into(), &["quiet_start"]);
        check_case(|i| i.quiet_end = "20:00".into(), &["quiet_end"]);
        check_case(|i| i.report_buffer_days = 6, &["report_buffer_days"]);
        check_case(|i| i.livelihood_trades = vec!["餐饮".into(), " ".into()], &["livelihood_trades"]);
    }

    #[test]
    fn settings_round_trip_through_campaign_settings() {
        let mut i = base();
        i.disclosure_layout = "legacy".into();
        i.disclosure_days = Some(2);
        i.quiet_start = "21:30".into();
        i.quiet_end = "07:00".into();
        i.report_buffer_days = 2;
        i.livelihood_trades = vec!["餐饮".into(), "餐饮".into(), "洗车".into()];
        i.publication_four_eyes = false;
        let v = i.settings_json(r#"{"reminder_working_hours": 4}"#).unwrap();
        let s: CampaignSettings = serde_json::from_value(v).unwrap();
        assert_eq!(s.disclosure_layout, "legacy");
        assert_eq!(s.disclosure_days, Some(2));
        assert_eq!(s.quiet.start.format("%H:%M").to_string(), "21:30");
        assert_eq!(s.quiet.end.format("%H:%M").to_string(), "07:00");
        assert_eq!(s.compression.default_buffer, WorkingDuration::Days(2));
        assert_eq!(s.blanket_shutdown.livelihood_trades.len(), 2);
        assert!(s.blanket_shutdown.livelihood_trades.contains("洗车"));
        assert_eq!(s.reminder_working_hours, 4, "keys the form does not show are kept");
        assert!(!s.four_eyes());
        // A settings object without the key is a campaign from before the rule.
        assert!(!CampaignSettings::default().four_eyes());
        assert!(base().publication_four_eyes, "new campaigns default to four-eyes");
    }
}
