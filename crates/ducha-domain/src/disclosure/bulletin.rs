//! R2.3 the prime-time TV news script: what was assigned and handled, progress and results, typical
//! cases and the public's reaction.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::accountability_doc::PublicAccountabilityDoc;
use super::announcement::Announcement;
use super::statistics::{BatchRef, ColumnRef, Stats, counts_text};
use super::table::PublicCase;
use crate::closure::ClosureState;
use crate::handling::{MeasureKind, date_cn};

/// 群众反映: what callbacks (回访) said, and how many repeat complaints came in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicReaction {
    pub satisfied: usize,
    pub basically_satisfied: usize,
    pub unsatisfied: usize,
    pub repeat_complaints: usize,
}

impl PublicReaction {
    pub fn text(&self) -> String {
        let total = self.satisfied + self.basically_satisfied + self.unsatisfied;
        let mut s = if total == 0 {
            "对已办结案件的回访正在进行中。".to_owned()
        } else {
            let mut s = format!(
                "对已办结案件回访群众{total}人次，其中满意{}人次、基本满意{}人次、不满意{}人次",
                self.satisfied, self.basically_satisfied, self.unsatisfied
            );
            if self.unsatisfied > 0 {
                s.push_str("，对群众不满意的案件已重新核查办理");
            }
            s.push('。');
            s
        };
        if self.repeat_complaints > 0 {
            s.push_str(&format!("同一问题重复举报{}件次，均已并入原案件一并办理。", self.repeat_complaints));
        }
        s
    }
}

/// Representative cases for the news, best first: cases linked to typical accountability, then the
/// cases with the firmest lawful measures (关停取缔, 立案处罚 by fine, then any measure), closed before open.
pub fn pick_typical(rows: &[PublicCase], n: usize) -> Vec<&PublicCase> {
    let weight = |r: &PublicCase| {
        let firm = if r.measures.contains(&MeasureKind::CloseBan) {
            3
        } else if r.measures.contains(&MeasureKind::Penalty) {
            2
        } else if r.measures.is_empty() {
            0
        } else {
            1
        };
        let closed = match r.closure {
            ClosureState::Closed => 2,
            ClosureState::PartlyClosed => 1,
            ClosureState::Open => 0,
        };
        (r.typical, firm, r.fine_yuan, closed)
    };
    let mut picked: Vec<&PublicCase> =
        rows.iter().filter(|r| r.typical || (!r.measures.is_empty() && r.investigated())).collect();
    picked.sort_by(|a, b| weight(b).cmp(&weight(a)).then_with(|| a.accept_no.cmp(&b.accept_no)));
    picked.truncate(n);
    picked
}

fn first_sentence(s: &str, max_chars: usize) -> String {
    let end = s.find('。').map(|i| i + '。'.len_utf8()).unwrap_or(s.len());
    let first = &s[..end];
    if first.chars().count() <= max_chars {
        first.to_owned()
    } else {
        let mut t: String = first.chars().take(max_chars).collect();
        t.push('…');
        t
    }
}

/// What a TV bulletin covers: one batch, or the whole inspection up to a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulletinScope {
    Batch(BatchRef),
    Day { campaign_name: String, team_name: String, day: NaiveDate, batches: usize },
}

/// R2.3 a prime-time news script: 导语, cases assigned and handled, progress and results, typical cases,
/// public reaction, and the hotline at the end.
pub fn tv_bulletin(
    scope: &BulletinScope,
    column: &ColumnRef,
    announcement: &Announcement,
    rows: &[PublicCase],
    accountability: &PublicAccountabilityDoc,
    reaction: &PublicReaction,
) -> String {
    let s = Stats::of(rows, column.is_city());
    let (title, lead) = match scope {
        BulletinScope::Batch(b) => (
            format!("{}边督边改情况电视报道稿（第{}批）", column.name, b.number),
            format!(
                "{}，{}向{}交办第{}批群众信访举报件{}件。",
                b.assigned_on.map(date_cn).unwrap_or_else(|| date_cn(b.answering_date)),
                b.team_name,
                column.we(),
                b.number,
                s.total
            ),
        ),
        BulletinScope::Day { campaign_name, team_name, day, batches } => (
            format!("{}边督边改情况电视报道稿（{}）", column.name, date_cn(*day)),
            format!(
                "{}进驻以来，截至{}，{}共向{}交办{}批群众信访举报件{}件。",
                campaign_name,
                date_cn(*day),
                team_name,
                column.we(),
                batches,
                s.total
            ),
        ),
    };
    let mut out = String::new();
    out.push_str(&title);
    out.push_str("\n\n【导语】\n");
    out.push_str(&format!(
        "{}{}坚持边督边改，对交办件逐件调查核实、依法依规处理，严禁“一刀切”。\n",
        lead,
        column.we()
    ));
    out.push_str("\n【交办和办理情况】\n");
    if s.total == 0 {
        out.push_str("本期暂无交办件。\n");
    } else {
        let area = if column.is_city() { "从区域看" } else { "从乡镇（街道）看" };
        out.push_str(&format!(
            "{area}，{}；从问题类型看，{}。",
            counts_text(&s.by_area, "件"),
            counts_text(&s.by_type, "件")
        ));
        let investigated = s.found_true + s.found_partly + s.found_false;
        out.push_str(&format!(
            "目前已调查核实{investigated}件，其中属实{}件、部分属实{}件、不属实{}件。\n",
            s.found_true, s.found_partly, s.found_false
        ));
    }
    out.push_str("\n【进展和成效】\n");
    out.push_str(&format!(
        "已办结{}件、阶段性办结{}件，其余{}件正在抓紧办理。",
        s.closed, s.partly_closed, s.open
    ));
    if let Some(m) = s.measures_text() {
        out.push_str(&format!("共{m}。"));
    }
    out.push_str(&accountability.text);
    out.push('\n');
    out.push_str("\n【典型案例】\n");
    let typical = pick_typical(rows, 3);
    if typical.is_empty() {
        out.push_str("典型案例将在调查处理完成后报道。\n");
    } else {
        for (i, t) in typical.iter().enumerate() {
            out.push_str(&format!(
                "{}. {}群众反映：{}调查核实：{}处理情况：{}\n",
                i + 1,
                t.region,
                first_sentence(t.summary.as_str(), 80),
                first_sentence(t.investigation.as_str(), 80),
                t.handling
            ));
        }
        for t in &accountability.typical {
            out.push_str(&format!("问责：{t}。\n"));
        }
    }
    out.push_str("\n【群众反映】\n");
    out.push_str(&reaction.text());
    out.push('\n');
    out.push_str("\n【结束语】\n");
    out.push_str(&format!(
        "督察期间，群众可拨打举报电话{}（{}），或写信至{}反映生态环境问题。\n",
        announcement.hotlines.join("、"),
        announcement.hours.label(),
        announcement.postal_box
    ));
    out
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::accountability::AccountabilitySummary;
    use crate::disclosure::fixtures::{announcement, batch, city, d, record, rows};

    #[test]
    fn r2_3_tv_bulletin_sections_and_content() {
        let acc =
            PublicAccountabilityDoc::from(&AccountabilitySummary::new([record("张三", true)]).public_view());
        let reaction =
            PublicReaction { satisfied: 5, basically_satisfied: 2, unsatisfied: 1, repeat_complaints: 3 };
        let tv =
            tv_bulletin(&BulletinScope::Batch(batch()), &city(), &announcement(), &rows(), &acc, &reaction);
        let sections = [
            "【导语】",
            "【交办和办理情况】",
            "【进展和成效】",
            "【典型案例】",
            "【群众反映】",
            "【结束语】",
        ];
        let mut last = 0;
        for s in sections {
            let i = tv.find(s).unwrap_or_else(|| panic!("{s} missing:\n{tv}"));
            assert!(i > last, "{s} out of order");
            last = i;
        }
        assert!(tv.starts_with("濮阳市边督边改情况电视报道稿（第2批）"));
        assert!(tv.contains("交办第2批群众信访举报件3件"));
        assert!(tv.contains("已办结1件、阶段性办结1件，其余1件正在抓紧办理"));
        assert!(tv.contains("关停取缔1家"));
        assert!(tv.contains("满意5人次、基本满意2人次、不满意1人次"));
        assert!(tv.contains("重复举报3件次"));
        assert!(tv.contains("问责：对清丰县韩村镇人民政府副镇长张三给予诫勉谈话"));
        assert!(tv.contains("0393-8991369") && tv.contains("每日8时至20时"));
        // The 关停取缔 case is the first typical case.
        let first = tv.split("【典型案例】\n").nth(1).unwrap().lines().next().unwrap();
        assert!(first.starts_with("1. 濮阳县 柳屯镇"), "{first}");
        let day = BulletinScope::Day {
            campaign_name: "专项督察".into(),
            team_name: "省第三督察组".into(),
            day: d(2019, 11, 30),
            batches: 4,
        };
        let tv = tv_bulletin(
            &day,
            &city(),
            &announcement(),
            &[],
            &PublicAccountabilityDoc::default(),
            &PublicReaction::default(),
        );
        assert!(tv.contains("截至2019年11月30日，省第三督察组共向我市交办4批群众信访举报件0件"), "{tv}");
        assert!(tv.contains("本期暂无交办件") && tv.contains("回访正在进行中"));
    }

    #[test]
    fn r2_3_typical_case_ranking() {
        let mut r = rows();
        assert_eq!(
            pick_typical(&r, 5).iter().map(|c| c.seq).collect::<Vec<_>>(),
            vec![2, 1],
            "关停取缔 first, then penalties; not-yet-investigated cases never"
        );
        r[0].typical = true;
        assert_eq!(pick_typical(&r, 1)[0].seq, 1, "typical accountability first");
        assert!(pick_typical(&r[2..], 3).is_empty());
    }
}
