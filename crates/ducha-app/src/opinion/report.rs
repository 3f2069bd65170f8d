//! The daily analysis report (volume and trend, hot topics, sentiment by county, key items,
//! escalations and their handling) and the press-briefing export (key facts per topic from the linked
//! cases: redacted text, stage and finding only — never who complained).

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveTime};
use ducha_domain::time::{from_cst, to_cst};
use ducha_domain::workflow::Stage;
use ducha_opinion::sentiment::SentimentLabel;
use ducha_opinion::severity::Level;
use ducha_opinion::topics::{TopicInput, cluster};
use ducha_store::directory;
use ducha_store::opinion::{self, ItemFilter, ItemRow, ItemScope, LinkedCase};
use serde::Serialize;
use utoipa::ToSchema;

use super::items::ItemView;
use super::report_scope;
use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

/// Topics shown in the report and the briefing.
pub const TOP_TOPICS: usize = 10;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Volume {
    pub originals: i64,
    pub reposts: i64,
    pub negative: i64,
    pub neutral: i64,
    pub positive: i64,
    /// 重大 and 特别重大.
    pub key: i64,
    pub previous_originals: i64,
    /// Change against the day before, in percent (none when the day before had nothing).
    pub change_pct: Option<f32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayVolume {
    pub day: String,
    pub originals: i64,
    pub reposts: i64,
    pub negative: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NameCount {
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountySentiment {
    pub county_code: String,
    pub county_name: String,
    pub total: i64,
    pub negative: i64,
    pub neutral: i64,
    pub positive: i64,
    /// Share of negative items, in percent.
    pub negative_pct: f32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TopicView {
    pub label: String,
    pub keywords: Vec<String>,
    pub items: usize,
    /// Items plus their collected reposts.
    pub volume: f32,
    pub negative: usize,
    pub top_level: String,
    pub top_level_label: &'static str,
    pub counties: Vec<String>,
    pub item_ids: Vec<i64>,
    /// Accept numbers of the cases its items are linked to.
    pub linked_cases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EscalationView {
    pub item_id: i64,
    pub title: String,
    pub level_label: &'static str,
    pub escalated_at: i64,
    pub team_acknowledged_at: Option<i64>,
    pub city_acknowledged_at: Option<i64>,
    pub status_label: &'static str,
    /// The latest note on the item (what was done).
    pub latest_note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct AlertStats {
    pub sent: i64,
    pub acknowledged: i64,
    pub pending: i64,
    /// Held back by quiet hours.
    pub deferred: i64,
    /// Delivered at night by an urgent override.
    pub overridden: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DailyReport {
    pub date: String,
    pub scope_label: String,
    pub generated_at: i64,
    pub volume: Volume,
    /// The seven days up to the report's day.
    pub trend: Vec<DayVolume>,
    pub by_level: Vec<NameCount>,
    pub by_platform: Vec<NameCount>,
    pub sentiment_by_county: Vec<CountySentiment>,
    pub hot_topics: Vec<TopicView>,
    pub key_items: Vec<ItemView>,
    /// Escalations of the last seven days and how they were handled.
    pub escalations: Vec<EscalationView>,
    pub alerts: AlertStats,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BriefFact {
    pub accept_no: String,
    pub region: String,
    /// The complaint as disclosed (redacted).
    pub complaint: String,
    pub finding: Option<String>,
    pub stage_label: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BriefTopic {
    pub label: String,
    pub summary: String,
    pub facts: Vec<BriefFact>,
    /// What can be said, from the cases' stages.
    pub line: String,
}

/// Key facts for a press conference, per topic.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Briefing {
    pub date: String,
    pub scope_label: String,
    pub generated_at: i64,
    pub topics: Vec<BriefTopic>,
}

impl Briefing {
    /// Plain text, ready to paste into a briefing document.
    pub fn to_text(&self) -> String {
        let mut out = format!("新闻发布会口径参考（{}，{}）\n", self.date, self.scope_label);
        out.push_str("说明：以下事实均摘自交办案件的公开（脱敏）信息和办理进展，不含举报人信息。\n\n");
        if self.topics.is_empty() {
            out.push_str("当日无需准备口径的舆情热点。\n");
        }
        const NUMS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        for (i, t) in self.topics.iter().enumerate() {
            out.push_str(&format!("{}、关于{}\n", NUMS.get(i).copied().unwrap_or("十"), t.label));
            out.push_str(&format!("（一）舆情概况：{}\n", t.summary));
            if t.facts.is_empty() {
                out.push_str("（二）核实情况：尚未关联交办案件，建议属地尽快核实。\n");
            } else {
                out.push_str("（二）核实情况：\n");
                for f in &t.facts {
                    out.push_str(&format!(
                        "  · 受理编号 {}（{}）：{}。调查核实：{}；办理进展：{}。\n",
                        f.accept_no,
                        f.region,
                        f.complaint.trim_end_matches('。'),
                        f.finding.as_deref().unwrap_or("正在调查核实"),
                        f.stage_label
                    ));
                }
            }
            out.push_str(&format!("（三）回应要点：{}\n\n", t.line));
        }
        out
    }
}

fn day_bounds(day: NaiveDate) -> (i64, i64) {
    let start = from_cst(day.and_time(NaiveTime::MIN)).timestamp_millis();
    (start, start + 86_400_000)
}

fn parse_day(date: Option<&str>, today: NaiveDate) -> Result<NaiveDate> {
    match date.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(today),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| AppError::invalid("date", format!("日期格式应为 YYYY-MM-DD，收到“{d}”"))),
    }
}

/// An item's title (or the start of its text) through the firewall's general rules.
fn title_of(r: &ItemRow) -> String {
    let t = r.title.clone().unwrap_or_else(|| r.body.chars().take(30).collect());
    ducha_shield::Shield::none().screen(&t).into_string()
}

impl App {
    async fn scope_label(&self, scope: &ItemScope) -> Result<String> {
        Ok(match scope {
            ItemScope::County(c) => {
                directory::region(&self.store, c).await?.map(|r| r.short_name).unwrap_or_else(|| c.clone())
            }
            _ => "濮阳市".into(),
        })
    }

    async fn day_items(&self, scope: &ItemScope, day: &str) -> Result<Vec<ItemRow>> {
        let f = ItemFilter {
            day_from: Some(day.into()),
            day_to: Some(day.into()),
            include_duplicates: true,
            limit: 5000,
            ..ItemFilter::default()
        };
        Ok(opinion::list_items(&self.store, scope, &f).await?.0)
    }

    async fn topics_of(&self, originals: &[&ItemRow]) -> Result<Vec<(TopicView, Vec<LinkedCase>)>> {
        let inputs: Vec<TopicInput> = originals
            .iter()
            .filter(|r| r.relevant != 0)
            .map(|r| TopicInput {
                id: r.id,
                title: title_of(r),
                keywords: serde_json::from_str(&r.keywords).unwrap_or_default(),
                county_code: r.county_code.clone(),
                sentiment: SentimentLabel::parse(&r.sentiment).unwrap_or(SentimentLabel::Neutral),
                level: Level::parse(&r.level).unwrap_or(Level::Low),
                weight: 1.0 + r.dup_count as f32,
            })
            .collect();
        let ids: Vec<i64> = inputs.iter().map(|i| i.id).collect();
        let mut links: HashMap<i64, Vec<LinkedCase>> = HashMap::new();
        for (item, l) in opinion::linked_cases_of(&self.store, &ids).await? {
            links.entry(item).or_default().push(l);
        }
        let mut out = Vec::new();
        for t in cluster(&inputs).into_iter().take(TOP_TOPICS) {
            let mut cases: Vec<LinkedCase> = Vec::new();
            for id in &t.item_ids {
                for l in links.get(id).into_iter().flatten() {
                    if !cases.iter().any(|c| c.case_id == l.case_id) {
                        cases.push(l.clone());
                    }
                }
            }
            let mut counties = Vec::new();
            for c in &t.counties {
                counties.push(self.region_label_of([Some(c), None, None]).await?);
            }
            out.push((
                TopicView {
                    items: t.item_ids.len(),
                    label: t.label,
                    keywords: t.keywords,
                    volume: t.volume,
                    negative: t.negative,
                    top_level: t.top_level.code().into(),
                    top_level_label: t.top_level.label(),
                    counties,
                    item_ids: t.item_ids,
                    linked_cases: cases.iter().map(|c| c.accept_no.clone()).collect(),
                },
                cases,
            ));
        }
        Ok(out)
    }

    /// The daily analysis report of `date` (`YYYY-MM-DD`, Beijing time; today by default).
    pub async fn opinion_daily_report(&self, user: &CurrentUser, date: Option<&str>) -> Result<DailyReport> {
        let scope = report_scope(user)?;
        let now = self.clock.now();
        let day = parse_day(date, to_cst(now).date_naive())?;
        let ds = day.format("%Y-%m-%d").to_string();
        let rows = self.day_items(&scope, &ds).await?;
        let originals: Vec<&ItemRow> = rows.iter().filter(|r| r.dup_of.is_none()).collect();
        let count = |f: &dyn Fn(&ItemRow) -> bool| originals.iter().filter(|r| f(r)).count() as i64;
        let week_from = (day - Duration::days(6)).format("%Y-%m-%d").to_string();
        let volumes = opinion::day_volumes(&self.store, &scope, &week_from, &ds).await?;
        let mut trend = Vec::new();
        for d in 0..7 {
            let dd = (day - Duration::days(6 - d)).format("%Y-%m-%d").to_string();
            let v = volumes.iter().find(|v| v.0 == dd);
            trend.push(DayVolume {
                day: dd,
                originals: v.map(|v| v.1).unwrap_or(0),
                reposts: v.map(|v| v.2).unwrap_or(0),
                negative: v.map(|v| v.3).unwrap_or(0),
            });
        }
        let previous = trend.get(5).map(|d| d.originals).unwrap_or(0);
        let originals_n = originals.len() as i64;
        let volume = Volume {
            originals: originals_n,
            reposts: (rows.len() - originals.len()) as i64,
            negative: count(&|r| r.sentiment == "negative"),
            neutral: count(&|r| r.sentiment == "neutral"),
            positive: count(&|r| r.sentiment == "positive"),
            key: count(&|r| Level::parse(&r.level).is_some_and(Level::is_key)),
            previous_originals: previous,
            change_pct: (previous > 0).then(|| (originals_n - previous) as f32 * 100.0 / previous as f32),
        };
        let by_level = Level::ALL
            .iter()
            .rev()
            .map(|l| NameCount { name: l.label().into(), count: count(&|r| r.level == l.code()) })
            .collect();
        let mut platforms: BTreeMap<String, i64> = BTreeMap::new();
        for r in &rows {
            *platforms.entry(r.platform.clone().unwrap_or_else(|| "其他".into())).or_default() += 1;
        }
        let mut by_platform: Vec<NameCount> =
            platforms.into_iter().map(|(name, count)| NameCount { name, count }).collect();
        by_platform.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));

        let mut per_county: BTreeMap<String, [i64; 3]> = BTreeMap::new();
        for r in &originals {
            let c = r.county_code.clone().unwrap_or_else(|| "UNKNOWN".into());
            let e = per_county.entry(c).or_default();
            match r.sentiment.as_str() {
                "negative" => e[0] += 1,
                "positive" => e[2] += 1,
                _ => e[1] += 1,
            }
        }
        let mut sentiment_by_county = Vec::new();
        for (code, [neg, neu, pos]) in per_county {
            let total = neg + neu + pos;
            let county_name = match code.as_str() {
                "UNKNOWN" => "未能定位".to_owned(),
                "OUTSIDE" => "濮阳市外".to_owned(),
                c => self.region_label_of([Some(c), None, None]).await?,
            };
            sentiment_by_county.push(CountySentiment {
                county_code: code,
                county_name,
                total,
                negative: neg,
                neutral: neu,
                positive: pos,
                negative_pct: if total > 0 { neg as f32 * 100.0 / total as f32 } else { 0.0 },
            });
        }
        sentiment_by_county.sort_by(|a, b| b.total.cmp(&a.total).then(a.county_code.cmp(&b.county_code)));

        let hot_topics = self.topics_of(&originals).await?.into_iter().map(|(t, _)| t).collect();
        let mut key_items = Vec::new();
        for r in originals.iter().filter(|r| Level::parse(&r.level).is_some_and(Level::is_key)).take(30) {
            key_items.push(self.item_view(user, (*r).clone()).await?);
        }

        let (day_start, day_end) = day_bounds(day);
        let mut by_item: BTreeMap<i64, (i64, Option<i64>, Option<i64>)> = BTreeMap::new();
        for a in opinion::escalations(&self.store, day_start - 6 * 86_400_000, day_end).await? {
            let e = by_item.entry(a.item_id).or_insert((a.created_at, None, None));
            e.0 = e.0.min(a.created_at);
            if a.kind == "escalation" {
                e.1 = a.acknowledged_at;
            } else {
                e.2 = a.acknowledged_at;
            }
        }
        let mut escalations = Vec::new();
        for (item_id, (at, team_ack, city_ack)) in by_item.into_iter().rev() {
            if !opinion::item_in_scope(&self.store, &scope, item_id).await? {
                continue;
            }
            let Some(r) = opinion::item(&self.store, item_id).await? else { continue };
            let latest_note = opinion::notes(&self.store, item_id)
                .await?
                .pop()
                .map(|n| ducha_shield::Shield::none().screen(&n.body).into_string());
            escalations.push(EscalationView {
                item_id,
                title: title_of(&r),
                level_label: Level::parse(&r.level).unwrap_or(Level::Low).label(),
                escalated_at: at,
                team_acknowledged_at: team_ack,
                city_acknowledged_at: city_ack,
                status_label: ducha_opinion::ItemStatus::parse(&r.status).map(|s| s.label()).unwrap_or("—"),
                latest_note,
            });
        }
        escalations.sort_by_key(|e| std::cmp::Reverse(e.escalated_at));

        let mut alerts = AlertStats::default();
        for r in &originals {
            for a in
                opinion::alerts_for_item(&self.store, r.id).await?.into_iter().filter(|a| a.kind == "alert")
            {
                alerts.sent += 1;
                alerts.acknowledged += i64::from(a.acknowledged_at.is_some());
                alerts.pending += i64::from(a.acknowledged_at.is_none());
                alerts.deferred += a.deferred;
                alerts.overridden += i64::from(a.override_reason.is_some());
            }
        }
        Ok(DailyReport {
            date: ds,
            scope_label: self.scope_label(&scope).await?,
            generated_at: now.timestamp_millis(),
            volume,
            trend,
            by_level,
            by_platform,
            sentiment_by_county,
            hot_topics,
            key_items,
            escalations,
            alerts,
        })
    }

    /// Key facts per hot topic of `date` for a press conference, from the linked cases: accept number,
    /// region, the redacted complaint, the finding and the stage. Never the complainant, never the
    /// original text.
    pub async fn opinion_briefing(&self, user: &CurrentUser, date: Option<&str>) -> Result<Briefing> {
        let scope = report_scope(user)?;
        let now = self.clock.now();
        let day = parse_day(date, to_cst(now).date_naive())?;
        let ds = day.format("%Y-%m-%d").to_string();
        let rows = self.day_items(&scope, &ds).await?;
        let originals: Vec<&ItemRow> = rows.iter().filter(|r| r.dup_of.is_none()).collect();
        let mut topics = Vec::new();
        for (t, cases) in self.topics_of(&originals).await? {
            // A press line is prepared for what people actually talk about: topics with a negative or key item.
            if t.negative == 0 && !Level::parse(&t.top_level).is_some_and(Level::is_key) {
                continue;
            }
            let mut facts = Vec::new();
            for c in &cases {
                let stage = c.stage;
                facts.push(BriefFact {
                    accept_no: c.accept_no.clone(),
                    region: self
                        .region_label_of([c.county_code.as_deref(), c.township_code.as_deref(), None])
                        .await?,
                    complaint: self
                        .screen_for_case(c.case_id, &c.redacted_text)
                        .await?
                        .as_str()
                        .chars()
                        .take(120)
                        .collect(),
                    finding: c.finding.clone(),
                    stage_label: stage.label(),
                });
            }
            let closed =
                cases.iter().filter(|c| matches!(c.stage, Stage::Closed | Stage::PartlyClosed)).count();
            let line = if cases.is_empty() {
                "相关情况正在核实，核实后及时向社会公布。".to_owned()
            } else if closed == cases.len() {
                format!("相关{}件交办案件已办结，可通报调查核实结论和整改结果，并欢迎群众监督。", cases.len())
            } else {
                format!(
                    "相关{}件交办案件中已办结{closed}件，其余正在依法调查处理，可通报已采取的措施和办理时限，坚持依法依规、精准整改，不搞“一刀切”。",
                    cases.len()
                )
            };
            let counties = if t.counties.is_empty() {
                String::new()
            } else {
                format!("，主要涉及{}", t.counties.join("、"))
            };
            topics.push(BriefTopic {
                summary: format!(
                    "当日相关信息{}条（含转载约{}条），其中负面{}条，最高等级为{}{counties}。关键词：{}。",
                    t.items,
                    (t.volume - t.items as f32).max(0.0).round() as i64,
                    t.negative,
                    t.top_level_label,
                    t.keywords.join("、")
                ),
                label: t.label,
                facts,
                line,
            });
        }
        Ok(Briefing {
            date: ds,
            scope_label: self.scope_label(&scope).await?,
            generated_at: now.timestamp_millis(),
            topics,
        })
    }
}
