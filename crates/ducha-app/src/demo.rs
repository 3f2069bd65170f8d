//! `ducha demo`: a realistic Puyang "三散" campaign, played forward in simulated time through the real
//! use cases (intake, assignment, dispatch, handling, verification), so every record — accept numbers,
//! history, audit chain — is what the platform itself would have written.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use ducha_domain::handling::{
    Finding, HandlingReport, IssueFinding, Measure, MeasureKind, Rectification, RectificationPlan, Subject,
};
use ducha_domain::time::{from_cst, to_cst};
use ducha_domain::workflow::{Action, Stage};
use ducha_store::cases::{self, ComplainantIdentity};
use ducha_store::directory;
use ducha_triage::Gazetteer;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::auth::{CurrentUser, NewUserInput};
use crate::campaigns::CampaignInput;
use crate::clock::Clock;
use crate::directory::{unit_code_city, unit_code_county, unit_code_dept, unit_code_town};
use crate::intake::IntakeInput;
use crate::workflow::ActInput;
use crate::{App, AppError, FixedClock, Result};

/// The demo's complaints: the hand-written, realistic evaluation set of the triage crate.
const COMPLAINTS: &str = include_str!("../../ducha-triage/eval/complaints.jsonl");

/// Every demo user's password.
pub const DEMO_PASSWORD: &str = "ducha-demo-2026";

/// (username, display name, unit code, role)
fn demo_users() -> Vec<(&'static str, &'static str, String, &'static str)> {
    vec![
        ("jiexian", "刘晓燕（接线员）", "team".into(), "operator"),
        ("duchazu", "张建军（督察组）", "team".into(), "team"),
        ("shengban", "省督察办", "team".into(), "provincial"),
        ("admin", "系统管理员", "team".into(), "admin"),
        ("shiban", "王志刚（市攻坚办）", unit_code_city("4109"), "office"),
        ("yuqing", "赵敏（市舆情专员）", unit_code_city("4109"), "opinion"),
        ("hualong", "华龙区攻坚办", unit_code_county("410902"), "office"),
        ("qingfeng", "清丰县攻坚办", unit_code_county("410922"), "office"),
        ("nanle", "南乐县攻坚办", unit_code_county("410923"), "office"),
        ("fanxian", "范县攻坚办", unit_code_county("410926"), "office"),
        ("taiqian", "台前县攻坚办", unit_code_county("410927"), "office"),
        ("puyangxian", "濮阳县攻坚办", unit_code_county("410928"), "office"),
        ("gongyeyuan", "工业园区攻坚办", unit_code_county("410971"), "office"),
        ("kaifaqu", "开发区攻坚办", unit_code_county("410972"), "office"),
        ("shifanqu", "示范区攻坚办", unit_code_county("410990"), "office"),
        ("liutun", "柳屯镇经办人", unit_code_town("410928101"), "handler"),
        ("wenliu", "文留镇经办人", unit_code_town("410928102"), "handler"),
        ("yuecun", "岳村镇经办人", unit_code_town("410902101"), "handler"),
        ("chengguan-qf", "清丰县城关镇经办人", unit_code_town("410922100"), "handler"),
        (
            "py-sthj",
            "濮阳县生态环境分局经办人",
            unit_code_dept(ducha_domain::unit::DepartmentKind::Ecology, "410928"),
            "handler",
        ),
    ]
}

struct Sim {
    rng: StdRng,
    now: DateTime<Utc>,
}

impl Sim {
    fn hours(&mut self, lo: f64, hi: f64) -> Duration {
        let h: f64 = self.rng.random_range(lo..hi);
        Duration::seconds((h * 3600.0) as i64)
    }

    /// The next moment inside working hours (08:30–19:30 Beijing time), never at night.
    fn office_hours(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let local = to_cst(t);
        let (start, end) = (
            NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default(),
            NaiveTime::from_hms_opt(19, 30, 0).unwrap_or_default(),
        );
        let time = local.time();
        let date = local.date_naive();
        if time < start {
            from_cst(date.and_time(start))
        } else if time > end {
            from_cst(date.succ_opt().unwrap_or(date).and_time(start))
        } else {
            t
        }
    }
}

#[derive(Debug, Clone)]
struct Item {
    text: String,
    channel: String,
    complainant: ComplainantIdentity,
    received: DateTime<Utc>,
}

fn parse_items() -> Vec<(String, String, ComplainantIdentity)> {
    COMPLAINTS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let text = v.get("text")?.as_str()?.to_owned();
            let channel = v.get("channel").and_then(|c| c.as_str()).unwrap_or("phone").to_owned();
            let c = v.get("complainant");
            let f = |k: &str| c.and_then(|c| c.get(k)).and_then(|x| x.as_str()).map(str::to_owned);
            Some((
                text,
                channel,
                ComplainantIdentity {
                    name: f("name"),
                    phone: f("phone"),
                    address: f("address"),
                    id_number: f("id_number"),
                    ..Default::default()
                },
            ))
        })
        .collect()
}

/// The demo's settings for a start on `today`: where a year the demo's campaign or its due times can
/// reach (a month back, a year ahead) has no holiday data, the demo estimates it on weekends
/// ([`MissingYearPolicy::WeekendsOnly`]) instead of refusing, so `ducha demo` starts on any date.
/// Returns the settings and, when it switched, the line to print at start-up. A real deployment keeps
/// its configured policy: this is the choice of the demo and of `ducha gen --db` (synthetic data) only.
pub fn demo_config(mut cfg: crate::Config, today: NaiveDate) -> (crate::Config, Option<String>) {
    use ducha_domain::calendar::{MissingYearPolicy, WorkCalendar, missing_years_notice};
    let Ok(cal) = WorkCalendar::builtin().and_then(|c| c.with_config(cfg.working_time)) else {
        return (cfg, None);
    };
    let missing = cal.missing_years(today - Duration::days(31), today + Duration::days(366));
    if missing.is_empty() || cfg.working_time.missing_year == MissingYearPolicy::WeekendsOnly {
        return (cfg, None);
    }
    cfg.working_time.missing_year = MissingYearPolicy::WeekendsOnly;
    let note = missing_years_notice(&missing, MissingYearPolicy::WeekendsOnly)
        .map(|n| format!("注意：{n}（仅演示和模拟数据如此；正式部署缺少节假日数据时拒绝计算，除非配置 working_time.missing_year = \"weekends_only\"）。"));
    (cfg, note)
}

impl App {
    /// Seed a fresh database with the demo campaign; returns a printable summary with the logins.
    pub async fn seed_demo(&self, g: &Gazetteer) -> Result<String> {
        let real_now = self.clock.now();
        let today = to_cst(real_now).date_naive();
        let start_day = today - Duration::days(12);
        let start = from_cst(start_day.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default()));
        let clock = Arc::new(FixedClock::new(start - Duration::hours(1)));
        let sim_app = App { clock: clock.clone(), ..self.clone() };
        sim_app.bootstrap_directory(g).await?;

        let regions: Vec<String> = g.counties().map(|c| c.code).filter(|c| c.starts_with("4109")).collect();
        // Through the administrator's use case, as a real deployment's `ducha campaign create` does.
        sim_app
            .create_campaign(
                None,
                &CampaignInput {
                    name: "河南省“三散”污染治理专项督察（濮阳市）".into(),
                    team_name: "省“三散”污染治理专项督察第三组".into(),
                    city_code: "4109".into(),
                    province_letters: "HA".into(),
                    round: 3,
                    start_date: start_day.format("%Y-%m-%d").to_string(),
                    end_date: (start_day + Duration::days(30)).format("%Y-%m-%d").to_string(),
                    hotlines: vec!["0393-8991369".into(), "0393-8991370".into()],
                    postal_box: "濮阳市A001号邮政信箱".into(),
                    hours_start: "08:00".into(),
                    hours_end: "20:00".into(),
                    regions,
                    disclosure_layout: "2023".into(),
                    disclosure_days: None,
                    quiet_start: "20:00".into(),
                    quiet_end: "08:00".into(),
                    report_buffer_days: 1,
                    livelihood_trades: ducha_domain::shutdown::BlanketShutdownConfig::default()
                        .livelihood_trades
                        .into_iter()
                        .collect(),
                    publication_four_eyes: true,
                },
            )
            .await?;

        let mut users: BTreeMap<String, CurrentUser> = BTreeMap::new();
        let mut logins = String::new();
        for (username, name, unit, role) in demo_users() {
            let id = sim_app
                .create_user(
                    None,
                    &NewUserInput {
                        username: username.into(),
                        display_name: name.into(),
                        password: DEMO_PASSWORD.into(),
                        unit_code: unit.clone(),
                        role: role.into(),
                    },
                )
                .await?;
            let u = sim_app.load_user(id).await?;
            let _ = writeln!(logins, "  {username:<14} {:<10} {}", u.role.label(), u.unit.name);
            users.insert(username.to_owned(), u);
        }

        // Every other township and department gets a handler account (one shared hash: demo only).
        let shared = crate::auth::hash_password(&self.cfg, DEMO_PASSWORD)?;
        let mut tx = self.store.begin().await?;
        let mut extra = 0;
        for u in directory::units(&self.store).await? {
            if !matches!(
                u.level,
                ducha_domain::unit::UnitLevel::Township | ducha_domain::unit::UnitLevel::Department
            ) || users.values().any(|x| x.unit.id == u.id)
            {
                continue;
            }
            directory::insert_user(
                &mut tx,
                &directory::NewUser {
                    username: format!("h-{}", u.code),
                    display_name: format!("{}经办人", u.name),
                    password_hash: shared.clone(),
                    unit_id: u.id,
                    role: "handler".into(),
                    created_at: clock.now().timestamp_millis(),
                },
            )
            .await?;
            extra += 1;
        }
        // Publication four-eyes: every city and county office gets a second account that reviews and
        // publishes what the first one drafted.
        for u in directory::units(&self.store).await? {
            if !matches!(u.level, ducha_domain::unit::UnitLevel::City | ducha_domain::unit::UnitLevel::County)
            {
                continue;
            }
            directory::insert_user(
                &mut tx,
                &directory::NewUser {
                    username: format!("s-{}", u.code),
                    display_name: format!("{}审核人", u.name),
                    password_hash: shared.clone(),
                    unit_id: u.id,
                    role: "office".into(),
                    created_at: clock.now().timestamp_millis(),
                },
            )
            .await?;
        }
        tx.commit().await?;
        for row in directory::users(&self.store).await? {
            if row.username.starts_with("h-") {
                let u = sim_app.load_user(row.id).await?;
                users.insert(row.username, u);
            }
        }
        let _ = writeln!(
            logins,
            "  以及其余 {extra} 个乡镇（街道）和部门的经办人账号 h-<单位代码>，如 h-town-410928100（濮阳县城关镇）、h-dept-ecology-410902（华龙区生态环境分局）"
        );
        let _ = writeln!(
            logins,
            "  市、县（区）攻坚办各有一个审核人账号 s-<单位代码>（如 s-county-410928），审核发布本单位起草的公开信息"
        );

        // Spread the complaints over the answering days (08:00–20:00) up to now.
        let mut sim = Sim { rng: StdRng::seed_from_u64(20191125), now: real_now };
        let raw = parse_items();
        let days = 13i64;
        let mut items: Vec<Item> = raw
            .into_iter()
            .enumerate()
            .map(|(i, (text, channel, complainant))| {
                let day = (i as i64 * days) / 330;
                let base = from_cst(
                    (start_day + Duration::days(day.min(days - 1)))
                        .and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default()),
                );
                let received = base + Duration::minutes(sim.rng.random_range(0..720));
                Item { text, channel, complainant, received }
            })
            .filter(|it| it.received < real_now - Duration::minutes(10))
            .collect();
        items.sort_by_key(|it| it.received);

        // Play the campaign forward: intake in order of receipt, then each case's later steps.
        let op = users.get("jiexian").cloned().ok_or_else(|| AppError::internal("no operator"))?;
        let mut ids = Vec::new();
        for it in &items {
            clock.set(it.received);
            let input = IntakeInput {
                channel: it.channel.clone(),
                text: it.text.clone(),
                complainant: it.complainant.clone(),
                ..IntakeInput::default()
            };
            match sim_app.intake_as(Some(&op), &input).await {
                Ok(id) => ids.push((id, it.received)),
                Err(e) => tracing::warn!(error = %e.message, "demo complaint skipped"),
            }
        }
        let mut events: Vec<(DateTime<Utc>, i64, u8)> = Vec::new();
        for &(id, received) in &ids {
            // Next morning the team assigns the day's batch.
            let local = to_cst(received).date_naive();
            let assign_at = from_cst(
                local
                    .succ_opt()
                    .unwrap_or(local)
                    .and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()),
            );
            events.push((assign_at + Duration::minutes(sim.rng.random_range(0..40)), id, 0));
        }
        events.sort();
        let mut processed = 0usize;
        let mut queue = std::collections::BinaryHeap::new();
        for (t, id, _) in events {
            queue.push(std::cmp::Reverse((t, id)));
        }
        let city_u = users.get("shiban").cloned().ok_or_else(|| AppError::internal("no city user"))?;
        let team_u = users.get("duchazu").cloned().ok_or_else(|| AppError::internal("no team user"))?;
        while let Some(std::cmp::Reverse((t, id))) = queue.pop() {
            if t >= sim.now {
                continue;
            }
            clock.set(t);
            let Some(case) = cases::get(&self.store, id).await? else { continue };
            let stage = case.stage;
            let next = self.demo_step(&sim_app, &mut sim, &users, &team_u, &city_u, &case, stage).await?;
            processed += 1;
            if let Some(delay) = next {
                let at = sim.office_hours(t + delay);
                queue.push(std::cmp::Reverse((at, id)));
            }
        }

        let stats = cases::stage_counts(
            &self.store,
            ducha_store::cases::Scope::All,
            directory::current_campaign(&self.store, &self.today_cst()).await?.map(|c| c.id).unwrap_or(0),
        )
        .await?;
        let mut out = String::new();
        let _ = writeln!(out, "演示数据已生成：{} 件群众举报，{processed} 步办理操作。", ids.len());
        let _ = write!(out, "各状态案件数：");
        for s in Stage::ALL {
            if let Some((_, n)) = stats.iter().find(|(c, _)| c == s.code()) {
                let _ = write!(out, "{} {n}；", s.label());
            }
        }
        let _ = writeln!(out, "\n演示账号（密码均为 {DEMO_PASSWORD}）：");
        out.push_str(&logins);
        Ok(out)
    }

    /// Take the next realistic step on one case; returns when the following step should happen.
    async fn demo_step(
        &self,
        sim_app: &App,
        sim: &mut Sim,
        users: &BTreeMap<String, CurrentUser>,
        team: &CurrentUser,
        city: &CurrentUser,
        case: &ducha_store::cases::CaseRow,
        stage: Stage,
    ) -> Result<Option<Duration>> {
        let act = |action: Action| ActInput { action: action.code().into(), ..ActInput::default() };
        let county_user = |unit_id: Option<i64>| {
            users
                .values()
                .find(|u| Some(u.unit.id) == unit_id && u.role == ducha_domain::role::Role::Office)
                .cloned()
        };
        let handler_user = |unit_id: Option<i64>| {
            users
                .values()
                .find(|u| Some(u.unit.id) == unit_id && u.role == ducha_domain::role::Role::Handler)
                .cloned()
        };
        let run = |user: CurrentUser, input: ActInput| async move {
            match sim_app.act(&user, case.id, &input).await {
                Ok(_) => Ok(()),
                Err(e) if e.code == "case_left_scope" => Ok(()),
                Err(e) => Err(e),
            }
        };
        match stage {
            Stage::Received => {
                if case.dup_of.is_some() {
                    let mut i = act(Action::MarkDuplicate);
                    i.dup_of = case.dup_of.map(|d| d.to_string());
                    i.reason = Some("经核查与已受理件反映同一污染源，按重复件处理".into());
                    run(team.clone(), i).await?;
                    return Ok(None);
                }
                if case.county_unit_id.is_none() {
                    // Outside Puyang or not locatable: the team keeps it for transfer or a call back.
                    return Ok(None);
                }
                run(team.clone(), act(Action::Assign)).await?;
                Ok(Some(sim.hours(0.5, 3.0)))
            }
            Stage::Assigned => {
                let Some(county_unit) = case.county_unit_id else { return Ok(None) };
                run(city.clone(), act(Action::Acknowledge)).await?;
                let mut i = act(Action::Dispatch);
                i.to_unit_id = Some(county_unit);
                run(city.clone(), i).await?;
                Ok(Some(sim.hours(1.0, 20.0)))
            }
            Stage::DispatchedCounty | Stage::ReturnedCounty => {
                let Some(cu) = county_user(case.county_unit_id) else { return Ok(None) };
                if stage == Stage::DispatchedCounty {
                    run(cu.clone(), act(Action::Acknowledge)).await?;
                }
                // Township by routing, else the county's ecology bureau branch.
                let mut target = None;
                if let Some(t) = &case.township_code
                    && let Some(u) = directory::unit_by_code(&self.store, &unit_code_town(t)).await?
                    && u.parent_id == Some(cu.unit.id)
                    && stage != Stage::ReturnedCounty
                {
                    target = Some(u.id);
                }
                if target.is_none() {
                    let county_code = cu.unit.region_code.clone().unwrap_or_default();
                    target = directory::unit_by_code(
                        &self.store,
                        &unit_code_dept(ducha_domain::unit::DepartmentKind::Ecology, &county_code),
                    )
                    .await?
                    .map(|u| u.id);
                }
                let mut i = act(Action::Dispatch);
                i.to_unit_id = target;
                run(cu, i).await?;
                Ok(Some(sim.hours(1.0, 18.0)))
            }
            _ => {
                let handler = handler_user(case.handler_unit_id);
                let county = county_user(case.county_unit_id);
                match (stage, handler, county) {
                    (Stage::DispatchedHandler, Some(h), _) => {
                        if sim.rng.random_bool(0.04) {
                            let mut i = act(Action::Return);
                            i.reason = Some("经现场核实，该点位不属本辖区，请重新交办".into());
                            run(h, i).await?;
                            return Ok(Some(sim.hours(2.0, 20.0)));
                        }
                        run(h, act(Action::Acknowledge)).await?;
                        Ok(Some(sim.hours(0.5, 6.0)))
                    }
                    (Stage::Acknowledged, Some(h), _) => {
                        run(h, act(Action::StartInvestigation)).await?;
                        Ok(Some(sim.hours(6.0, 40.0)))
                    }
                    (Stage::Investigating, Some(h), _) => {
                        let roll: f64 = sim.rng.random();
                        let finding = if roll < 0.68 {
                            Finding::True
                        } else if roll < 0.88 {
                            Finding::PartlyTrue
                        } else {
                            Finding::False
                        };
                        let today = to_cst(sim_app.clock.now()).date_naive();
                        let scheduled = sim.rng.random_bool(0.25);
                        let report = demo_report(
                            case,
                            finding,
                            &h.unit.name,
                            today,
                            scheduled,
                            sim.rng.random_range(15..45),
                        );
                        sim_app.save_report(&h, case.id, &report, None).await?;
                        run(h, act(Action::RecordFinding)).await?;
                        Ok(Some(sim.hours(1.0, 10.0)))
                    }
                    (Stage::Investigated, Some(h), _) => {
                        if case.finding.as_deref() == Some("不属实") {
                            run(h, act(Action::SubmitReport)).await?;
                        } else {
                            run(h, act(Action::StartRectification)).await?;
                        }
                        Ok(Some(sim.hours(8.0, 72.0)))
                    }
                    (Stage::Rectifying, Some(h), _) => {
                        run(h, act(Action::SubmitReport)).await?;
                        Ok(Some(sim.hours(4.0, 40.0)))
                    }
                    (Stage::AwaitingVerification, _, Some(c)) => {
                        let roll: f64 = sim.rng.random();
                        if roll < 0.08 {
                            let mut i = act(Action::RejectVerification);
                            i.reason = Some("现场复核发现整改不到位，请继续整改".into());
                            run(c, i).await?;
                            Ok(Some(sim.hours(24.0, 72.0)))
                        } else {
                            let (report, _, _) = sim_app.load_report(case.id).await?;
                            let partly = report.running_plans().count() > 0;
                            let mut i = act(if partly { Action::VerifyPartly } else { Action::VerifyClosed });
                            let settings = crate::settings::CampaignSettings::default();
                            i.onsite = Some(
                                sim.rng.random_bool(0.3)
                                    || sim_app.sampled_for_onsite(case, &settings).await?,
                            );
                            i.notes = Some("经现场复核，整改措施已落实".into());
                            run(c, i).await?;
                            Ok(None)
                        }
                    }
                    _ => Ok(None),
                }
            }
        }
    }
}

/// A named subject from the complaint text (an enterprise, site or workshop), else the place.
fn subject_of(text: &str) -> String {
    static RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"([\p{Han}]{2,10}?(?:有限公司|公司|家具厂|板材厂|砖厂|厂|作坊|加工点|加工厂|养殖场|洗车店|饭店|工地|项目|搅拌站|石料场|废品站|收购站))").ok()
    });
    let bad = ["某某", "电话", "住址", "我们", "附近", "那个", "这个", "一个", "一家", "有个", "有家"];
    RE.as_ref()
        .and_then(|re| {
            re.captures_iter(text)
                .filter_map(|c| c.get(1))
                .map(|m| m.as_str().to_owned())
                .find(|m| !bad.iter().any(|b| m.starts_with(b)))
        })
        .unwrap_or_else(|| "群众反映点位".to_owned())
}

/// A realistic handling report for a demo case, shaped by its pollution type.
fn demo_report(
    case: &ducha_store::cases::CaseRow,
    finding: Finding,
    unit: &str,
    today: chrono::NaiveDate,
    scheduled: bool,
    plan_days: i64,
) -> HandlingReport {
    let subject = subject_of(&case.redacted_text);
    let types = &case.pollution_types;
    let sansan = case.sansan.as_deref().unwrap_or("");
    let (found, measure, fix, target): (&str, MeasureKind, &str, &str) = if sansan == "散煤" {
        (
            "现场发现存在燃用散煤取暖情况",
            MeasureKind::OrderCorrection,
            "收缴散煤，协调完成清洁取暖改造",
            "散煤清零，清洁取暖设施正常使用",
        )
    } else if sansan == "散尘" || types.contains("扬尘") {
        (
            "现场存在裸土未苫盖、车辆带泥上路等扬尘问题",
            MeasureKind::OrderCorrection,
            "落实裸土苫盖、出入车辆冲洗和洒水降尘",
            "施工现场扬尘防治措施落实到位",
        )
    } else if sansan == "散乱污企业" {
        (
            "该点位无环保手续，生产过程无污染治理设施",
            MeasureKind::Penalty,
            "拆除生产设备，清理原料和产品",
            "散乱污点位取缔到位，不再反弹",
        )
    } else if types.contains("水") {
        (
            "现场发现存在污水未经处理排放情况",
            MeasureKind::DeadlineRectification,
            "封堵排污口，清理沟渠淤积",
            "污水不再直排，沟渠水体无黑臭",
        )
    } else if types.contains("噪声") {
        (
            "夜间施工噪声扰民情况属实",
            MeasureKind::OrderCorrection,
            "停止夜间施工，调整作业时间",
            "不再夜间施工扰民",
        )
    } else if types.contains("固废") {
        (
            "现场堆放有建筑垃圾和生活垃圾",
            MeasureKind::OrderCorrection,
            "清运堆存垃圾，设置禁倒标识",
            "垃圾清运完毕，不再乱堆乱倒",
        )
    } else {
        (
            "现场存在群众反映的环境问题",
            MeasureKind::OrderCorrection,
            "落实污染防治措施",
            "群众反映问题整改到位",
        )
    };
    let mut r = HandlingReport {
        facts: if finding == Finding::False {
            format!("经{unit}工作人员现场核查，{subject}未发现群众反映的问题，周边群众走访亦无异常。")
        } else {
            format!("经{unit}工作人员现场核查，{subject}{found}。")
        },
        issues: vec![IssueFinding { issue: String::new(), finding, facts: String::new() }],
        investigated_on: Some(today),
        ..HandlingReport::default()
    };
    if finding.is_substantiated() {
        r.subjects.push(Subject { name: subject.clone(), ..Subject::default() });
        r.measures.push(Measure {
            kind: MeasureKind::OrderCorrection,
            description: format!("责令{subject}立即整改"),
            fine_yuan: None,
            shutdown: None,
        });
        if measure == MeasureKind::Penalty {
            r.measures.push(Measure {
                kind: MeasureKind::Penalty,
                description: "依法立案查处".into(),
                fine_yuan: Some(20_000),
                shutdown: None,
            });
        }
        r.rectifications.push(Rectification::Immediate { done: format!("已{fix}"), done_on: Some(today) });
        if scheduled || measure == MeasureKind::DeadlineRectification {
            r.rectifications.push(Rectification::Scheduled(RectificationPlan {
                target: target.to_owned(),
                measures: fix.to_owned(),
                due: Some(today + Duration::days(plan_days)),
                responsible_unit: unit.to_owned(),
                completed_on: None,
            }));
        }
        r.closure_target = target.to_owned();
    }
    r
}
