//! Read models of the staff workbench: a home page per role (cards with counts that link to filtered
//! lists), live suggestions for the hotline operator while a caller is on the line, the figures
//! behind the dashboards, and case counts per township for the map. Nothing here writes.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use ducha_domain::role::Role;
use ducha_domain::time::{from_cst, from_millis, to_cst};
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Stage;
use ducha_store::cases::{self, CaseFilter, CaseRow, ComplainantIdentity, GroupBy};
use ducha_store::directory::{self, RegionRow};
use ducha_store::handling as hstore;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

/// Which home page a user gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HomeKind {
    /// 热线接线员: take the next call.
    Operator,
    /// 督察组: today's intake and the batch to send.
    Team,
    /// 市攻坚办: batches to dispatch, overdue, alerts.
    City,
    /// 县（区）攻坚办: dispatch, reports to verify, extensions.
    County,
    /// 乡镇（街道）/ 部门: my tasks.
    Handler,
    /// 舆情专员.
    Opinion,
    /// 省督察办: the discipline channel only.
    Provincial,
    /// 系统管理员.
    Admin,
}

impl HomeKind {
    pub fn of(u: &CurrentUser) -> HomeKind {
        match (u.role, u.level) {
            (Role::Operator, _) => HomeKind::Operator,
            (Role::Team, _) => HomeKind::Team,
            (Role::Office, UnitLevel::County) => HomeKind::County,
            (Role::Office, _) => HomeKind::City,
            (Role::Handler, _) => HomeKind::Handler,
            (Role::Opinion, _) => HomeKind::Opinion,
            (Role::Provincial, _) => HomeKind::Provincial,
            (Role::Admin, _) => HomeKind::Admin,
        }
    }
}

/// One card on a home page: a count that links to the list it counts, and what to do when it is 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct HomeCard {
    /// Stable key (tests, styling).
    pub key: &'static str,
    pub label: String,
    pub count: i64,
    pub href: String,
    /// Shown when the count is 0: what happens next or what to do.
    pub empty_hint: String,
    /// Needs attention when the count is above 0.
    pub urgent: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HomeView {
    pub kind: HomeKind,
    /// Today in Beijing time.
    #[schema(value_type = String)]
    pub today: NaiveDate,
    pub cards: Vec<HomeCard>,
}

/// A list link: `/cases?stage=a,b&…`.
fn cases_href(params: &[(&str, String)]) -> String {
    if params.is_empty() {
        return "/cases".into();
    }
    let qs: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("/cases?{}", qs.join("&"))
}

fn stages(list: &[Stage]) -> Vec<String> {
    list.iter().map(|s| s.code().to_owned()).collect()
}

fn stage_param(list: &[Stage]) -> (&'static str, String) {
    ("stage", stages(list).join(","))
}

/// A place named by triage, with its name from the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Place {
    pub code: String,
    pub name: String,
}

/// An earlier case the operator may be talking about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SimilarCase {
    pub id: i64,
    pub accept_no: String,
    pub stage: String,
    pub stage_label: String,
    pub received_at: i64,
    pub region_label: String,
    pub excerpt: String,
    /// Still being handled (not closed, not a duplicate).
    pub open: bool,
    /// What the operator can tell the caller, in plain words.
    pub say: String,
}

/// What triage suggests while the operator types. Nothing is stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub county: Option<Place>,
    pub township: Option<Place>,
    pub village: Option<Place>,
    /// The source is outside the city (kept by the team for transfer): the place named.
    pub outside: Option<String>,
    pub pollution_types: Vec<String>,
    pub sansan: Option<String>,
    /// The deciding words.
    pub evidence: Vec<String>,
    /// The earlier report of the same source, if triage finds one.
    pub duplicate: Option<SimilarCase>,
    pub duplicate_evidence: Vec<String>,
    /// Other open cases of the same township and type (possible duplicates triage did not link).
    pub nearby: Vec<SimilarCase>,
}

/// Figures behind the dashboards (all within the user's scope).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DashboardFigures {
    /// (county code, name, cases); "待定" for cases whose county is not determined yet.
    pub by_county: Vec<(String, String, i64)>,
    /// (pollution type, cases); a case with two types counts for both.
    pub by_type: Vec<(String, i64)>,
    /// (Beijing date, cases received).
    #[schema(value_type = Vec<Object>)]
    pub by_day: Vec<(NaiveDate, i64)>,
    /// (county code, name, open cases with a due time, of which overdue).
    pub due_by_county: Vec<(String, String, i64, i64)>,
    /// (county code, name, 疑似一刀切 alerts, 长停久治 alerts), open alerts only.
    pub alerts_by_county: Vec<(String, String, i64, i64)>,
}

/// One township tile of the map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TownshipCount {
    pub code: String,
    pub name: String,
    pub count: i64,
}

/// One county with its townships (gazetteer order) and the cases whose township is not known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CountyTownships {
    pub code: String,
    pub name: String,
    pub townships: Vec<TownshipCount>,
    pub undetermined: i64,
}

const OPEN_HANDLING: [Stage; 5] = [
    Stage::DispatchedHandler,
    Stage::Acknowledged,
    Stage::Investigating,
    Stage::Investigated,
    Stage::Rectifying,
];

impl App {
    /// Midnight of `date` in Beijing time, as epoch milliseconds.
    fn day_start_ms(date: NaiveDate) -> i64 {
        from_cst(date.and_hms_opt(0, 0, 0).unwrap_or_default()).timestamp_millis()
    }

    pub fn today(&self) -> NaiveDate {
        to_cst(self.clock.now()).date_naive()
    }

    async fn count_in_scope(&self, user: &CurrentUser, campaign: i64, f: CaseFilter) -> Result<i64> {
        Ok(cases::count(&self.store, user.scope(), &CaseFilter { campaign_id: Some(campaign), ..f }).await?)
    }

    /// Open alerts the user may see: the team and the city see all; a county office those addressed
    /// to it (the same rule as the alert list).
    pub async fn alerts_for(&self, user: &CurrentUser) -> Result<Vec<hstore::AlertRow>> {
        if !matches!(user.role, Role::Office | Role::Team) {
            return Ok(Vec::new());
        }
        let all = hstore::open_alerts(&self.store, None).await?;
        Ok(all
            .into_iter()
            .filter(|a| {
                matches!(user.level, UnitLevel::Team | UnitLevel::City) || a.unit_id == Some(user.unit.id)
            })
            .collect())
    }

    /// The home page of a user: cards with counts, each linking to the list it counts.
    pub async fn home_view(&self, user: &CurrentUser) -> Result<HomeView> {
        let kind = HomeKind::of(user);
        let today = self.today();
        let campaign = self.campaign().await?.id;
        let now = self.now_ms();
        let mut cards = Vec::new();
        let today_s = today.format("%Y-%m-%d").to_string();
        let todays = CaseFilter {
            received_from: Some(Self::day_start_ms(today)),
            received_to: today.succ_opt().map(Self::day_start_ms),
            ..CaseFilter::default()
        };
        let overdue = CaseFilter { overdue_at: Some(now), ..CaseFilter::default() };
        let of_stages = |s: &[Stage]| CaseFilter { stages: stages(s), ..CaseFilter::default() };
        let mut card =
            |key: &'static str, label: &str, count: i64, href: String, hint: &str, urgent: bool| {
                cards.push(HomeCard {
                    key,
                    label: label.into(),
                    count,
                    href,
                    empty_hint: hint.into(),
                    urgent: urgent && count > 0,
                });
            };
        let today_link = cases_href(&[("from", today_s.clone()), ("to", today_s.clone())]);
        let overdue_link = cases_href(&[("overdue", "1".into())]);
        match kind {
            HomeKind::Operator | HomeKind::Team => {
                let n = self.count_in_scope(user, campaign, todays.clone()).await?;
                card("today", "今日受理", n, today_link, "今天还没有受理登记的举报。", false);
                let pending = [Stage::Received, Stage::ReturnedTeam];
                let n = self.count_in_scope(user, campaign, of_stages(&pending)).await?;
                card(
                    "to_batch",
                    "待交办",
                    n,
                    cases_href(&[stage_param(&pending)]),
                    "没有待交办的举报件。每天20时后，当日受理件作为一批交办市攻坚办。",
                    kind == HomeKind::Team,
                );
                let n = self.count_in_scope(user, campaign, of_stages(&[Stage::ReturnedTeam])).await?;
                card(
                    "returned",
                    "被市级退回",
                    n,
                    cases_href(&[stage_param(&[Stage::ReturnedTeam])]),
                    "没有被退回的案件。",
                    true,
                );
                let closed = [Stage::Closed, Stage::PartlyClosed];
                let n = self.count_in_scope(user, campaign, of_stages(&closed)).await?;
                card(
                    "closed",
                    "已办结（可回访）",
                    n,
                    cases_href(&[stage_param(&closed)]),
                    "还没有办结的案件。办结后请电话回访或发送回访链接。",
                    false,
                );
                if kind == HomeKind::Team {
                    let n = self.count_in_scope(user, campaign, overdue.clone()).await?;
                    card("overdue", "超期未办结", n, overdue_link, "没有超期案件。", true);
                    let n = self.alerts_for(user).await?.len() as i64;
                    card("alerts", "预警", n, "/alerts".into(), "没有待处理的预警。", true);
                }
            }
            HomeKind::City | HomeKind::County => {
                let to_dispatch: &[Stage] = if kind == HomeKind::City {
                    &[Stage::Assigned, Stage::ReturnedCity]
                } else {
                    &[Stage::DispatchedCounty, Stage::ReturnedCounty]
                };
                let n = self.count_in_scope(user, campaign, of_stages(to_dispatch)).await?;
                card(
                    "to_dispatch",
                    if kind == HomeKind::City { "待转办县区" } else { "待转办乡镇、部门" },
                    n,
                    cases_href(&[stage_param(to_dispatch)]),
                    if kind == HomeKind::City {
                        "没有待转办的案件。督察组交办新批次后会出现在这里。"
                    } else {
                        "没有待转办的案件。市攻坚办转来新案件后会出现在这里。"
                    },
                    true,
                );
                if kind == HomeKind::County {
                    let v = [Stage::AwaitingVerification];
                    let n = self.count_in_scope(user, campaign, of_stages(&v)).await?;
                    card(
                        "to_verify",
                        "待审核验收",
                        n,
                        cases_href(&[stage_param(&v)]),
                        "没有待验收的办理报告。承办单位报送后会出现在这里。",
                        true,
                    );
                }
                let n = self.count_in_scope(user, campaign, of_stages(&OPEN_HANDLING)).await?;
                card(
                    "handling",
                    "承办单位办理中",
                    n,
                    cases_href(&[stage_param(&OPEN_HANDLING)]),
                    "目前没有在乡镇、部门办理中的案件。",
                    false,
                );
                let n = cases::pending_extensions_below(&self.store, user.unit.id).await?.len() as i64;
                card("extensions", "延期申请待审批", n, "/extensions".into(), "没有待审批的延期申请。", true);
                let n = self.count_in_scope(user, campaign, overdue.clone()).await?;
                card("overdue", "超期未办结", n, overdue_link, "没有超期案件。", true);
                let alerts = self.alerts_for(user).await?;
                let blanket = alerts.iter().filter(|a| a.kind == "blanket_shutdown").count() as i64;
                let endless = alerts.iter().filter(|a| a.kind == "endless_shutdown").count() as i64;
                card(
                    "blanket",
                    "疑似“一刀切”预警",
                    blanket,
                    "/alerts".into(),
                    "没有疑似“一刀切”预警。同一县区同一行业短期内多家停产，或停产对象无群众举报时会预警。",
                    true,
                );
                card(
                    "endless",
                    "“长停久治、久治不验”预警",
                    endless,
                    "/alerts".into(),
                    "没有“长停久治、久治不验”预警。停产或限期整改过期未验收时会预警。",
                    true,
                );
            }
            HomeKind::Handler => {
                let s = [Stage::DispatchedHandler];
                let n = self.count_in_scope(user, campaign, of_stages(&s)).await?;
                card(
                    "to_ack",
                    "待签收",
                    n,
                    cases_href(&[stage_param(&s)]),
                    "没有待签收的任务。新任务在工作时间送达（20时至次日8时不送达）。",
                    true,
                );
                let s = [Stage::Acknowledged, Stage::Investigating];
                let n = self.count_in_scope(user, campaign, of_stages(&s)).await?;
                card(
                    "investigating",
                    "调查核实中",
                    n,
                    cases_href(&[stage_param(&s)]),
                    "没有调查中的案件。",
                    false,
                );
                let s = [Stage::Investigated, Stage::Rectifying];
                let n = self.count_in_scope(user, campaign, of_stages(&s)).await?;
                card(
                    "rectifying",
                    "整改中、待报送",
                    n,
                    cases_href(&[stage_param(&s)]),
                    "没有整改中的案件。",
                    false,
                );
                let s = [Stage::AwaitingVerification];
                let n = self.count_in_scope(user, campaign, of_stages(&s)).await?;
                card(
                    "reported",
                    "已报送待验收",
                    n,
                    cases_href(&[stage_param(&s)]),
                    "没有等待县区验收的案件。",
                    false,
                );
                let n = self.count_in_scope(user, campaign, overdue.clone()).await?;
                card("overdue", "超期", n, overdue_link, "没有超期任务。", true);
            }
            HomeKind::Opinion | HomeKind::Admin => {
                let n = self.count_in_scope(user, campaign, todays.clone()).await?;
                card("today", "今日受理", n, today_link, "今天还没有受理登记的举报。", false);
                let n = self.count_in_scope(user, campaign, of_stages(&OPEN_HANDLING)).await?;
                card(
                    "handling",
                    "承办单位办理中",
                    n,
                    cases_href(&[stage_param(&OPEN_HANDLING)]),
                    "目前没有办理中的案件。",
                    false,
                );
            }
            HomeKind::Provincial => {
                let n = ducha_store::followup::discipline_count(&self.store).await?;
                card(
                    "discipline",
                    "督察纪律问题反映",
                    n,
                    "/discipline".into(),
                    "暂无反映。群众和干部可通过 /jiandu 反映督察组执行纪律情况。",
                    false,
                );
            }
        }
        Ok(HomeView { kind, today, cards })
    }

    fn similar(&self, c: &CaseRow, region_label: String, handler: Option<String>) -> Result<SimilarCase> {
        let stage = c.stage;
        let date = to_cst(from_millis(c.received_at));
        let when = format!("{}月{}日", date.month(), date.day());
        let open = !stage.is_terminal();
        let say = match stage {
            Stage::Closed => format!("该问题已于{when}受理（{}），已办结。", c.accept_no),
            Stage::PartlyClosed => {
                format!("该问题已于{when}受理（{}），已阶段性办结，整改仍在进行。", c.accept_no)
            }
            Stage::Duplicate => format!("该问题已于{when}受理（{}），并入了更早的同一问题。", c.accept_no),
            Stage::Received | Stage::ReturnedTeam => {
                format!("该问题已于{when}受理（{}），正在交办。", c.accept_no)
            }
            _ => match handler {
                Some(h) => {
                    format!("该问题已于{when}受理（{}），目前由{h}办理（{}）。", c.accept_no, stage.label())
                }
                None => format!("该问题已于{when}受理（{}），正在办理（{}）。", c.accept_no, stage.label()),
            },
        };
        Ok(SimilarCase {
            id: c.id,
            accept_no: c.accept_no.clone(),
            stage: stage.code().into(),
            stage_label: stage.label().into(),
            received_at: c.received_at,
            region_label,
            excerpt: ducha_shield::Shield::none()
                .screen(&c.redacted_text)
                .as_str()
                .chars()
                .take(80)
                .collect(),
            open,
            say,
        })
    }

    async fn similar_of(&self, c: &CaseRow) -> Result<SimilarCase> {
        let label = self.region_label(c).await?;
        let handler = match c.handler_unit_id {
            Some(u) => directory::unit(&self.store, u).await?.map(|u| u.name),
            None => None,
        };
        self.similar(c, label, handler)
    }

    async fn place(&self, code: &Option<String>) -> Result<Option<Place>> {
        let Some(code) = code.as_deref().filter(|c| *c != "OUTSIDE") else { return Ok(None) };
        Ok(directory::region(&self.store, code).await?.map(|r| Place { code: r.code, name: r.short_name }))
    }

    /// Live suggestions for the operator: where, what, and whether it is already being handled.
    /// Read-only: nothing is stored, no accept number is taken.
    pub async fn suggest(&self, user: &CurrentUser, text: &str) -> Result<Suggestion> {
        if !matches!(user.role, Role::Operator | Role::Team) {
            return Err(AppError::forbidden("只有热线接线员和督察组可以使用受理建议"));
        }
        let text = text.trim();
        if text.chars().count() > crate::intake::MAX_TEXT_CHARS {
            return Err(AppError::invalid(
                "text",
                format!("举报内容过长（最多{}字）", crate::intake::MAX_TEXT_CHARS),
            ));
        }
        let campaign = self.campaign().await?;
        let a = self.analyse(text, &ComplainantIdentity::default()).await?;
        let list = |k: &str| -> Vec<String> {
            a.explanation
                .get(k)
                .and_then(|v| v.as_array())
                .map(|v| v.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        let duplicate = match a.dup_of {
            Some(id) => match cases::get(&self.store, id).await? {
                Some(c) => Some(self.similar_of(&c).await?),
                None => None,
            },
            None => None,
        };
        let county = a.county_code.clone().filter(|c| c != "OUTSIDE");
        let nearby_rows = cases::open_nearby(
            &self.store,
            campaign.id,
            county.as_deref(),
            a.township_code.as_deref(),
            a.pollution_types.first().map(String::as_str),
            6,
        )
        .await?;
        let mut nearby = Vec::new();
        // The linked earlier report and its own duplicates are already shown above.
        let shown = |c: &&CaseRow| a.dup_of.is_some_and(|p| c.id == p || c.dup_of == Some(p));
        for c in nearby_rows.iter().filter(|c| !shown(c)) {
            nearby.push(self.similar_of(c).await?);
            if nearby.len() == 5 {
                break;
            }
        }
        Ok(Suggestion {
            county: self.place(&a.county_code).await?,
            township: self.place(&a.township_code).await?,
            village: self.place(&a.village_code).await?,
            outside: a.explanation.get("outside").and_then(|v| v.as_str()).map(str::to_owned),
            pollution_types: a.pollution_types.clone(),
            sansan: a.sansan.clone(),
            evidence: list("evidence"),
            duplicate,
            duplicate_evidence: list("duplicate_evidence"),
            nearby,
        })
    }

    fn may_see_dashboards(user: &CurrentUser) -> Result<()> {
        if matches!(user.role, Role::Handler | Role::Provincial) {
            return Err(AppError::forbidden("统计看板供督察组、各级攻坚办和舆情专员查看"));
        }
        Ok(())
    }

    async fn county_names(&self) -> Result<BTreeMap<String, String>> {
        Ok(directory::regions_by_level(&self.store, "county")
            .await?
            .into_iter()
            .map(|r| (r.code, r.short_name))
            .collect())
    }

    /// Cases by county, type and day; open cases on time and overdue; open 一刀切 and 长停久治 alerts.
    pub async fn dashboard_figures(&self, user: &CurrentUser) -> Result<DashboardFigures> {
        Self::may_see_dashboards(user)?;
        let campaign = self.campaign().await?;
        let scope = user.scope();
        let f = CaseFilter { campaign_id: Some(campaign.id), ..CaseFilter::default() };
        let names = self.county_names().await?;
        let name = |code: &Option<String>| match code.as_deref() {
            Some("OUTSIDE") => ("OUTSIDE".to_owned(), "市外".to_owned()),
            Some(c) => (c.to_owned(), names.get(c).cloned().unwrap_or_else(|| c.to_owned())),
            None => (String::new(), "待定".to_owned()),
        };
        let by_county = cases::group_counts(&self.store, scope, &f, GroupBy::County)
            .await?
            .into_iter()
            .map(|(code, n)| {
                let (c, label) = name(&code);
                (c, label, n)
            })
            .collect();
        let mut types: BTreeMap<String, i64> = BTreeMap::new();
        for (list, n) in cases::group_counts(&self.store, scope, &f, GroupBy::Types).await? {
            let list = list.unwrap_or_default();
            let mut any = false;
            for t in list.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                *types.entry(t.to_owned()).or_default() += n;
                any = true;
            }
            if !any {
                *types.entry("待定".to_owned()).or_default() += n;
            }
        }
        let order = |t: &str| crate::triage::POLLUTION_TYPES.iter().position(|x| *x == t).unwrap_or(99);
        let mut by_type: Vec<(String, i64)> = types.into_iter().collect();
        by_type.sort_by_key(|(t, _)| order(t));
        let by_day = cases::daily_counts(&self.store, scope, &f)
            .await?
            .into_iter()
            .filter_map(|(d, n)| {
                NaiveDate::from_num_days_from_ce_opt(i32::try_from(d).ok()? + 719_163).map(|d| (d, n))
            })
            .collect();
        let due_by_county = cases::open_due_by_county(&self.store, scope, campaign.id, self.now_ms())
            .await?
            .into_iter()
            .map(|(code, open, overdue)| {
                let (c, label) = name(&code);
                (c, label, open, overdue)
            })
            .collect();
        let mut alerts: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for a in self.alerts_for(user).await? {
            let e = alerts.entry(a.county_code.clone().unwrap_or_default()).or_default();
            match a.kind.as_str() {
                "blanket_shutdown" => e.0 += 1,
                "endless_shutdown" => e.1 += 1,
                _ => {}
            }
        }
        let alerts_by_county = alerts
            .into_iter()
            .map(|(code, (b, e))| {
                let (c, label) = name(&Some(code).filter(|c| !c.is_empty()));
                (c, label, b, e)
            })
            .collect();
        Ok(DashboardFigures { by_county, by_type, by_day, due_by_county, alerts_by_county })
    }

    /// Cases per township of every county (gazetteer order), within the user's scope and a filter.
    pub async fn township_counts(
        &self,
        user: &CurrentUser,
        filter: CaseFilter,
    ) -> Result<Vec<CountyTownships>> {
        Self::may_see_dashboards(user)?;
        let campaign = self.campaign().await?;
        let f = CaseFilter { campaign_id: Some(campaign.id), limit: 0, offset: 0, ..filter };
        let by_town: BTreeMap<String, i64> =
            cases::group_counts(&self.store, user.scope(), &f, GroupBy::Township)
                .await?
                .into_iter()
                .filter_map(|(t, n)| Some((t?, n)))
                .collect();
        let by_county: BTreeMap<String, i64> =
            cases::group_counts(&self.store, user.scope(), &f, GroupBy::County)
                .await?
                .into_iter()
                .filter_map(|(c, n)| Some((c?, n)))
                .collect();
        let mut out = Vec::new();
        for county in directory::regions_by_level(&self.store, "county").await? {
            let towns: Vec<RegionRow> = directory::regions_under(&self.store, &county.code)
                .await?
                .into_iter()
                .filter(|r| r.level == ducha_domain::region::RegionLevel::Township)
                .collect();
            let townships: Vec<TownshipCount> = towns
                .into_iter()
                .map(|t| TownshipCount {
                    count: by_town.get(&t.code).copied().unwrap_or(0),
                    code: t.code,
                    name: t.short_name,
                })
                .collect();
            let in_towns: i64 = townships.iter().map(|t| t.count).sum();
            let county_total = by_county.get(&county.code).copied().unwrap_or(0);
            out.push(CountyTownships {
                undetermined: (county_total - in_towns).max(0),
                code: county.code,
                name: county.short_name,
                townships,
            });
        }
        Ok(out)
    }

    /// Pending extension requests the user's unit decides (the level above the requester).
    pub async fn extensions_to_decide(
        &self,
        user: &CurrentUser,
    ) -> Result<Vec<(ducha_store::extensions::ExtensionRow, String, String)>> {
        if user.role != Role::Office {
            return Err(AppError::forbidden("延期申请由上一级攻坚办审批"));
        }
        let rows = cases::pending_extensions_below(&self.store, user.unit.id).await?;
        // Only cases still in the user's jurisdiction; the reason through the case's firewall.
        let mut out = Vec::new();
        for (mut e, unit, accept_no) in rows {
            if cases::in_scope(&self.store, user.scope(), e.case_id).await? {
                e.reason = self.screen_for_case(e.case_id, &e.reason).await?.into_string();
                out.push((e, unit, accept_no));
            }
        }
        Ok(out)
    }

    /// The unit's inbox: delivered in-app messages, newest first, at most `limit`, each through the
    /// firewall (messages written before it, or by older code, are screened on the way out).
    pub async fn inbox(
        &self,
        user: &CurrentUser,
        limit: usize,
    ) -> Result<Vec<ducha_store::outbox::MessageRow>> {
        let now = self.now_ms();
        let mut v: Vec<ducha_store::outbox::MessageRow> =
            ducha_store::outbox::messages_for_unit(&self.store, user.unit.id)
                .await?
                .into_iter()
                .filter(|m| m.deliver_after <= now && m.channel == "inbox")
                .collect();
        v.reverse();
        v.truncate(limit);
        let case_of = |m: &ducha_store::outbox::MessageRow| {
            serde_json::from_str::<serde_json::Value>(&m.payload)
                .ok()
                .and_then(|p| p.get("case_id").and_then(serde_json::Value::as_i64))
        };
        let ids: Vec<i64> = v.iter().filter_map(case_of).collect();
        let shields = self.shields(&ids).await?;
        let none = self.shield_none().await?;
        for m in &mut v {
            let shield = case_of(m).and_then(|id| shields.get(&id)).unwrap_or(&none);
            m.subject = shield.screen(&m.subject).into_string();
            m.body = shield.screen(&m.body).into_string();
        }
        Ok(v)
    }
}
