//! `ducha demo`'s public-opinion desk: a few feed sources, a day and a half of realistic posts (with
//! reposts), and the desk at work — items assessed, townships alerted, key items escalated to the
//! team with a copy to the city office, some acknowledged and handled — all through the real use cases.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::Duration;
use ducha_opinion::record;
use ducha_store::directory;

use super::ingest::Origin;
use super::items::{AckInput, ItemActInput};
use super::sources::{SourceInput, SourceUpdate};
use crate::auth::{CurrentUser, NewUserInput};
use crate::demo::DEMO_PASSWORD;
use crate::{App, AppError, Result};

const ITEMS: &str = include_str!("../../../../data/opinion/demo.jsonl");

impl App {
    async fn demo_user(&self, username: &str) -> Result<CurrentUser> {
        let row = directory::user_by_name(&self.store, username)
            .await?
            .ok_or_else(|| AppError::internal(format!("demo user {username} missing")))?;
        self.load_user(row.id).await
    }

    /// Seed the opinion desk on top of [`App::seed_demo`]; returns a printable summary.
    pub async fn seed_opinion_demo(&self) -> Result<String> {
        let city_desk = self.demo_user("yuqing").await?;
        self.create_user(
            None,
            &NewUserInput {
                username: "yuqing-py".into(),
                display_name: "孙丽（濮阳县舆情专员）".into(),
                password: DEMO_PASSWORD.into(),
                unit_code: crate::directory::unit_code_county("410928"),
                role: "opinion".into(),
            },
        )
        .await?;

        // Sources are shown but stopped: the demo fetches nothing from outside.
        for (name, url, outlet, county) in [
            ("大河报·濮阳频道", "https://news.example.cn/puyang/rss.xml", "大河报", None),
            ("濮阳网·新闻", "https://www.example.cn/puyang/news/atom.xml", "濮阳网", None),
            ("濮阳县融媒体中心", "https://pyx.example.cn/feed.json", "濮阳县融媒体中心", Some("410928")),
        ] {
            let s = self
                .create_source(
                    &city_desk,
                    &SourceInput {
                        name: name.into(),
                        url: url.into(),
                        outlet: Some(outlet.into()),
                        county_code: county.map(Into::into),
                        interval_secs: Some(900),
                    },
                )
                .await?;
            self.update_source(
                &city_desk,
                s.row.id,
                &SourceUpdate { enabled: Some(false), ..SourceUpdate::default() },
            )
            .await?;
        }

        // The posts, oldest first, so reposts come after what they repost.
        let now = self.clock.now();
        let mut lines: Vec<(i64, serde_json::Value)> = ITEMS
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| (v.get("hours_ago").and_then(|h| h.as_i64()).unwrap_or(0), v))
            .collect();
        lines.sort_by_key(|l| std::cmp::Reverse(l.0));
        let mut keys: HashMap<String, i64> = HashMap::new();
        let (mut stored, mut reposts) = (0, 0);
        for (i, (hours, v)) in lines.into_iter().enumerate() {
            let mut raw =
                record::from_json(&v, i + 1).map_err(|e| AppError::internal(format!("demo item: {e}")))?;
            raw.published_at = Some(now - Duration::hours(hours) - Duration::minutes((i as i64 * 7) % 50));
            let r = self.ingest(Some(&city_desk), Origin::Import, None, vec![raw]).await?;
            stored += r.new_items.len();
            reposts += r.near_duplicates.len();
            if let (Some(k), Some(id)) = (v.get("key").and_then(|k| k.as_str()), r.new_items.first()) {
                keys.insert(k.to_owned(), *id);
            }
        }

        // The desk at work.
        let team = self.demo_user("duchazu").await?;
        let city = self.demo_user("shiban").await?;
        let act = |action: &str, note: &str| ItemActInput {
            action: action.into(),
            note: (!note.is_empty()).then(|| note.to_owned()),
            ..ItemActInput::default()
        };
        let id = |k: &str| {
            keys.get(k).copied().ok_or_else(|| AppError::internal(format!("demo item {k} missing")))
        };
        let mut log = Vec::new();

        let fx = id("fanxian")?;
        self.opinion_act(
            &city_desk,
            fx,
            &ItemActInput {
                level: Some("critical".into()), ..act("assess", "涉及人员伤亡，立即核实")
            },
        )
        .await?;
        self.opinion_act(&city_desk, fx, &act("escalate", "已通知范县攻坚办和应急部门核实，建议督察组关注"))
            .await?;
        for a in self.opinion_item(&city_desk, fx).await?.alerts {
            let who = if a.kind == "escalation" { &team } else { &city };
            let note = if a.kind == "escalation" {
                "已收悉，请范县一小时内报告核实情况"
            } else {
                "已收悉，市攻坚办跟踪督办"
            };
            self.acknowledge_opinion_alert(who, a.id, &AckInput { note: Some(note.into()) }).await?;
        }
        log.push("范县化工厂泄漏：特别重大，已报送督察组并抄送市攻坚办，均已签收");

        let nl = id("nanle")?;
        self.opinion_act(&city_desk, nl, &act("assess", "出现群体性事件苗头，传播面广")).await?;
        self.opinion_act(&city_desk, nl, &act("alert", "请元村镇立即到场核实、疏导群众")).await?;
        self.opinion_act(&city_desk, nl, &act("escalate", "已向元村镇预警，建议督察组关注")).await?;
        log.push("南乐县养猪场直排：已向元村镇预警并报送督察组");

        let lt = id("liutun")?;
        self.opinion_act(&city_desk, lt, &act("assess", "反复举报，关联交办案件，需属地回应")).await?;
        self.opinion_act(&city_desk, lt, &act("alert", "")).await?;
        let liutun = self.demo_user("liutun").await?;
        let delivered = self.my_opinion_alerts(&liutun).await?;
        if let Some(a) = delivered.into_iter().find(|a| a.item_id == lt) {
            self.acknowledge_opinion_alert(
                &liutun,
                a.id,
                &AckInput { note: Some("已到现场核查，作坊已断电查封".into()) },
            )
            .await?;
            self.opinion_act(
                &city_desk,
                lt,
                &act("handle", "属地已查封该作坊，相关交办案件正在办理，已在评论区回应"),
            )
            .await?;
            log.push("柳屯镇塑料颗粒作坊：已预警，柳屯镇签收反馈，已处置");
        } else {
            log.push("柳屯镇塑料颗粒作坊：已预警（夜间静默，次日8:00送达柳屯镇）");
        }

        let tq = id("taiqian")?;
        self.opinion_act(
            &city_desk,
            tq,
            &ItemActInput {
                level: Some("high".into()), ..act("assess", "反映砖厂一刀切关停，涉及群众生计")
            },
        )
        .await?;
        self.opinion_act(
            &city_desk,
            tq,
            &act("escalate", "已要求台前县核实是否存在一刀切关停，按标准分类处置"),
        )
        .await?;
        log.push("台前县反映一刀切关停：已报送督察组（待签收）");

        let yc = id("yuecun")?;
        self.opinion_act(&city_desk, yc, &act("assess", "")).await?;
        self.opinion_act(&city_desk, yc, &act("alert", "")).await?;
        self.opinion_act(&city_desk, id("qingfeng")?, &act("assess", "已有交办案件，关注整改进展")).await?;
        self.opinion_act(&city_desk, id("irrelevant")?, &act("handle", "与督察和生态环境无关，无需处置"))
            .await?;

        let mut out = String::new();
        let _ = writeln!(
            out,
            "舆情演示数据：{stored} 条原创信息、{reposts} 条转载，3 个订阅源（演示中已停用，不访问外网）。"
        );
        for l in log {
            let _ = writeln!(out, "  · {l}");
        }
        let _ = writeln!(
            out,
            "  舆情专员账号：yuqing（市级，全市）、yuqing-py（濮阳县），密码同上；入口 /yuqing/"
        );
        Ok(out)
    }
}
