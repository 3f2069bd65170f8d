//! The severity of an item, from signals a person can check (R3): casualty or health words, mass-incident
//! words, repeated complaints about an unresolved case, criticism of the inspection or of a 一刀切
//! shutdown, and the outlet's reach and engagement.
//!
//! The level follows one written policy (the same as the labelled set's, `crates/ducha-app/eval/README.md`),
//! first rule that applies:
//! 1. 特别重大 (critical) — a casualty (death, poisoning, injury) or a mass incident (gathering, blockade,
//!    petition) is reported;
//! 2. 一般 (low) — the item is not about Puyang's environment or the inspection (placed outside with no
//!    local place named, or no environmental matter at all);
//! 3. 重大 (high) — harm to health is reported; or the item is negative and widely spread ([`HIGH_REACH`]);
//!    or negative about a case that was already reported again;
//! 4. 较大 (medium) — any other negative item;
//! 5. 一般 (low) — neutral or positive items, whatever their reach.
//!
//! The score ranks items within a level; every point of it is traceable to a signal and the words or
//! numbers behind it, and the rule that set the level is named.

use serde::{Deserialize, Serialize};

use crate::lexicon::{Kind, Lexicon, SIGNAL_CODES};
use crate::sentiment::{Hit, Sentiment, SentimentLabel};

/// Severity levels (舆情等级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::Critical];

    pub fn code(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// The usual Chinese grading of opinion events.
    pub fn label(self) -> &'static str {
        match self {
            Level::Low => "一般",
            Level::Medium => "较大",
            Level::High => "重大",
            Level::Critical => "特别重大",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.code() == s.trim() || l.label() == s.trim())
    }

    /// 0..=3.
    pub fn rank(self) -> i32 {
        self as i32
    }

    /// Key items go to the inspection team (R3).
    pub fn is_key(self) -> bool {
        self >= Level::High
    }
}

/// Widely spread: at least this many followers, reposts, comments or likes (a national outlet, or
/// reposts collected by the desk, count too).
pub const HIGH_REACH: (i64, i64, i64, i64) = (100_000, 1_000, 500, 5_000);
/// Reposts collected by the desk that make an item widely spread.
pub const HIGH_REACH_REPOSTS_SEEN: i64 = 3;

/// Whether an item is widely spread.
pub fn high_reach(reach: &Reach) -> bool {
    let (f, r, c, l) = HIGH_REACH;
    reach.followers >= f
        || reach.reposts >= r
        || reach.comments >= c
        || reach.likes >= l
        || reach.outlet_tier >= 3
        || reach.reposts_seen >= HIGH_REACH_REPOSTS_SEEN
}

/// Points for the first word of each text signal, in [`SIGNAL_CODES`] order; each further distinct
/// word of the same signal adds a quarter, up to one and a half times.
pub const SIGNAL_POINTS: [f32; 7] = [
    45.0, // casualty
    18.0, // health
    15.0, // harm
    35.0, // mass_incident
    15.0, // repeat_unresolved
    18.0, // inspection_criticism
    28.0, // blanket_shutdown
];

/// One reason for the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// Stable code: a lexicon signal, or `linked_open_case`, `case_repeated`, `reach`, `engagement`,
    /// `reposts`, `strong_negative`, `off_topic`.
    pub code: String,
    /// Plain Chinese.
    pub label: String,
    pub points: f32,
    /// The words or figures behind it.
    pub evidence: Vec<String>,
}

/// Reach and engagement of the item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    /// 3 national, 2 provincial, 1 local outlet, 0 other accounts.
    pub outlet_tier: u8,
    pub reposts: i64,
    pub comments: i64,
    pub likes: i64,
    pub views: i64,
    pub followers: i64,
    /// Near-identical reposts of this item already collected.
    pub reposts_seen: i64,
}

/// What the app knows about the item beyond its text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// The item is linked to a case still being handled.
    pub linked_open_case: bool,
    /// The most times a linked open case was reported again (its repeat count).
    pub case_repeat_count: i64,
    /// Near-identical reposts of this item already collected.
    pub reposts_seen: i64,
}

/// The score, its level and every reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub score: f32,
    pub level: Level,
    pub signals: Vec<Signal>,
    /// The rule of the policy that set the level, in plain Chinese.
    pub rule: Option<String>,
}

/// Scores an item. `hits` is the lexicon scan of its text, `relevant` whether it is about Puyang's
/// environment or the inspection at all.
pub fn assess(
    lx: &Lexicon,
    hits: &[Hit],
    sentiment: &Sentiment,
    reach: &Reach,
    ctx: &Context,
    relevant: bool,
) -> Assessment {
    let mut signals = Vec::new();
    let mut per: Vec<Vec<String>> = vec![Vec::new(); SIGNAL_CODES.len()];
    for h in hits.iter().filter(|h| !h.negated && !h.muted) {
        for k in &h.kinds {
            if let Kind::Signal(i) = k
                && !per[*i].contains(&h.word)
            {
                per[*i].push(h.word.clone());
            }
        }
    }
    for (i, words) in per.iter().enumerate() {
        if words.is_empty() {
            continue;
        }
        let factor = (1.0 + 0.25 * (words.len() as f32 - 1.0)).min(1.5);
        signals.push(Signal {
            code: SIGNAL_CODES[i].into(),
            label: lx.signal_labels[i].clone(),
            points: SIGNAL_POINTS[i] * factor,
            evidence: words.clone(),
        });
    }
    let casualty = relevant && !per[0].is_empty();
    let mass = relevant && !per[3].is_empty();
    let raises_problem = !signals.is_empty() || sentiment.label == SentimentLabel::Negative;

    if ctx.linked_open_case {
        signals.push(Signal {
            code: "linked_open_case".into(),
            label: "涉及正在办理的交办案件".into(),
            points: 8.0,
            evidence: Vec::new(),
        });
    }
    if ctx.case_repeat_count > 0 {
        signals.push(Signal {
            code: "case_repeated".into(),
            label: "所涉案件已被重复举报".into(),
            points: (6.0 + 4.0 * ctx.case_repeat_count as f32).min(18.0),
            evidence: vec![format!("重复举报{}次", ctx.case_repeat_count)],
        });
    }

    // Reach counts in full only for a post that raises a problem; news travelling far is no risk.
    let damp = if raises_problem { 1.0 } else { 0.3 };
    let tier_points = [0.0, 6.0, 12.0, 18.0][usize::from(reach.outlet_tier.min(3))];
    if tier_points > 0.0 {
        let which = ["", "本地媒体", "省级媒体", "中央媒体"][usize::from(reach.outlet_tier.min(3))];
        signals.push(Signal {
            code: "reach".into(),
            label: format!("{which}发布"),
            points: tier_points * damp,
            evidence: Vec::new(),
        });
    }
    let engagement = reach.reposts as f64 * 2.0
        + reach.comments as f64 * 2.0
        + reach.likes as f64 * 0.5
        + reach.views as f64 / 200.0
        + reach.followers as f64 / 2000.0;
    if engagement >= 1.0 {
        let points = (5.0 * (1.0 + engagement).log10()).min(20.0) as f32;
        let mut evidence = Vec::new();
        for (n, what) in [
            (reach.reposts, "转发"),
            (reach.comments, "评论"),
            (reach.likes, "点赞"),
            (reach.views, "阅读"),
            (reach.followers, "粉丝"),
        ] {
            if n > 0 {
                evidence.push(format!("{what}{n}"));
            }
        }
        signals.push(Signal {
            code: "engagement".into(),
            label: "传播互动量".into(),
            points: points * damp,
            evidence,
        });
    }
    let seen = reach.reposts_seen.max(ctx.reposts_seen);
    if seen > 0 {
        signals.push(Signal {
            code: "reposts".into(),
            label: "被多个账号转载".into(),
            points: (5.0 * seen as f32).min(20.0) * damp,
            evidence: vec![format!("已采集到转载{seen}条")],
        });
    }
    if sentiment.score <= -0.5 {
        signals.push(Signal {
            code: "strong_negative".into(),
            label: "情绪强烈负面".into(),
            points: 5.0,
            evidence: sentiment.negative.iter().take(5).cloned().collect(),
        });
    }
    let mut score: f32 = signals.iter().map(|s| s.points).sum();
    if !relevant {
        let cut = score * 0.6;
        score -= cut;
        signals.push(Signal {
            code: "off_topic".into(),
            label: "与生态环境和督察无关（分值打四折）".into(),
            points: -cut,
            evidence: Vec::new(),
        });
    }
    let health = relevant && !per[1].is_empty();
    let wide = high_reach(&Reach { reposts_seen: seen, ..*reach });
    let negative = sentiment.label == SentimentLabel::Negative;
    let (level, rule) = if !relevant {
        (Level::Low, "与濮阳的生态环境和督察无关")
    } else if casualty {
        (Level::Critical, "涉及人员伤亡")
    } else if mass {
        (Level::Critical, "出现群体性事件苗头")
    } else if health {
        (Level::High, "涉及群众健康受损")
    } else if negative && wide {
        (Level::High, "负面且传播面广")
    } else if negative && ctx.case_repeat_count > 0 {
        (Level::High, "负面，且所涉交办案件已被重复举报")
    } else if negative {
        (Level::Medium, "负面信息")
    } else {
        (Level::Low, "中性或正面信息")
    };
    let rule = Some(format!("{rule}，定为{}", level.label()));
    Assessment { score, level, signals, rule }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentiment::{scan, sentiment};

    fn level(text: &str, reach: Reach, ctx: Context) -> (Level, Vec<String>) {
        let lx = Lexicon::builtin().unwrap();
        let hits = scan(&lx, text);
        let s = sentiment(&hits);
        let a = assess(&lx, &hits, &s, &reach, &ctx, true);
        (a.level, a.signals.into_iter().map(|s| s.code).collect())
    }

    #[test]
    fn r3_severity_table() {
        let none = Reach::default();
        let big = Reach { outlet_tier: 3, reposts: 5000, comments: 2000, ..Reach::default() };
        let rows: Vec<(&str, Reach, Context, Level, &[&str])> = vec![
            ("化工厂泄漏，两名工人中毒送医抢救", none, Context::default(), Level::Critical, &["casualty"]),
            ("经核查未造成人员伤亡，现场没有异味", none, Context::default(), Level::Low, &[]),
            (
                "几十名村民聚集在厂门口拉横幅，要求关停",
                none,
                Context::default(),
                Level::Critical,
                &["mass_incident"],
            ),
            (
                "几十名村民聚集在厂门口拉横幅",
                big,
                Context::default(),
                Level::Critical,
                &["mass_incident", "reach"],
            ),
            ("砖厂冒黑烟，附近孩子咳嗽不止", none, Context::default(), Level::High, &["health"]),
            (
                "塑料颗粒厂又开始晚上偷偷生产，举报多次一直没人管",
                none,
                Context { linked_open_case: true, case_repeat_count: 2, reposts_seen: 0 },
                Level::High,
                &["repeat_unresolved", "linked_open_case", "case_repeated"],
            ),
            (
                "督察组一走就恢复生产，整改就是走过场，糊弄群众",
                none,
                Context::default(),
                Level::Medium,
                &["inspection_criticism"],
            ),
            (
                "全镇一刀切全部关停，几百个工人失业，生计没了着落",
                none,
                Context::default(),
                Level::Medium,
                &["blanket_shutdown"],
            ),
            (
                "全镇一刀切全部关停，几百个工人失业，生计没了着落",
                big,
                Context::default(),
                Level::High,
                &["blanket_shutdown", "engagement"],
            ),
            (
                "督察组交办的问题整改到位，河水变清了，点赞！",
                big,
                Context::default(),
                Level::Low,
                &["reach", "engagement"],
            ),
            ("清丰县城关镇家具厂露天喷漆，油漆味很大", none, Context::default(), Level::Medium, &[]),
            (
                "督察组进驻期间设立举报电话，欢迎群众举报扬尘污染等问题",
                big,
                Context::default(),
                Level::Low,
                &[],
            ),
            ("小心一氧化碳中毒，别在屋里用煤炉取暖", none, Context::default(), Level::Low, &[]),
        ];
        for (text, reach, ctx, want, codes) in rows {
            let (got, signals) = level(text, reach, ctx);
            assert_eq!(got, want, "{text}: {signals:?}");
            for c in codes {
                assert!(signals.iter().any(|s| s == c), "{text}: missing {c} in {signals:?}");
            }
        }
    }

    #[test]
    fn r3_prevention_of_a_shutdown_is_not_a_shutdown() {
        let provincial = Reach { outlet_tier: 2, views: 15_000, ..Reach::default() };
        let (got, signals) = level(
            "濮阳市坚持依法依规、精准施策，能立即整改的立行立改，坚决防止“一刀切”，严禁一律关停。",
            provincial,
            Context::default(),
        );
        assert_eq!(got, Level::Low, "{signals:?}");
        assert!(!signals.iter().any(|s| s == "blanket_shutdown"), "{signals:?}");
        let (got, signals) = level("砖厂一刀切全部关停，工人失业", provincial, Context::default());
        assert!(got == Level::Medium && signals.iter().any(|s| s == "blanket_shutdown"), "{signals:?}");
    }

    #[test]
    fn r3_levels_order_and_parse() {
        assert!(Level::Critical > Level::High && Level::High.is_key() && !Level::Medium.is_key());
        for l in Level::ALL {
            assert_eq!(Level::parse(l.code()), Some(l));
            assert_eq!(Level::parse(l.label()), Some(l));
        }
        let mut r = Reach::default();
        assert!(!high_reach(&r));
        for (i, v) in [100_000, 1_000, 500, 5_000].into_iter().enumerate() {
            r = Reach::default();
            *[&mut r.followers, &mut r.reposts, &mut r.comments, &mut r.likes][i] = v;
            assert!(high_reach(&r), "{r:?}");
            *[&mut r.followers, &mut r.reposts, &mut r.comments, &mut r.likes][i] = v - 1;
            assert!(!high_reach(&r), "{r:?}");
        }
    }

    #[test]
    fn r3_off_topic_items_are_damped() {
        let lx = Lexicon::builtin().unwrap();
        let hits = scan(&lx, "球赛现场观众聚集，场面冲突");
        let s = sentiment(&hits);
        let a = assess(&lx, &hits, &s, &Reach::default(), &Context::default(), false);
        assert!(a.signals.iter().any(|s| s.code == "off_topic"));
        assert!(a.score < 40.0, "{a:?}");
        assert_eq!(a.level, Level::Low, "hard rules apply only to items about the environment");
    }
}
