//! R2.2 batch statistics and the text summary (the batch disclosure's "文字" part): counts by area, type,
//! finding, closure and measure, fines in 万元.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::accountability_doc::PublicAccountabilityDoc;
use super::table::PublicCase;
use crate::closure::ClosureState;
use crate::handling::{MeasureKind, date_cn};

/// The column a disclosure belongs to: a county-level unit's, or the city's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRef {
    /// County-level region code; None for the city column.
    pub county_code: Option<String>,
    /// `濮阳县` or `濮阳市`.
    pub name: String,
}

impl ColumnRef {
    pub fn is_city(&self) -> bool {
        self.county_code.is_none()
    }

    /// `city` or the county code: the stored column code.
    pub fn code(&self) -> String {
        self.county_code.clone().unwrap_or_else(|| "city".to_owned())
    }

    /// `我县` / `我区` / `我市`, as local media write.
    pub fn we(&self) -> String {
        if self.is_city() {
            return "我市".to_owned();
        }
        let last = self.name.chars().last().unwrap_or('县');
        match last {
            '区' => "我区".to_owned(),
            '市' => "我市".to_owned(),
            '县' => "我县".to_owned(),
            _ => self.name.clone(),
        }
    }
}

/// Counts over a set of disclosed cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub total: usize,
    /// By county (city column) or by township (county column), largest first.
    pub by_area: Vec<(String, usize)>,
    /// By pollution type, largest first.
    pub by_type: Vec<(String, usize)>,
    pub found_true: usize,
    pub found_partly: usize,
    pub found_false: usize,
    pub investigating: usize,
    pub closed: usize,
    pub partly_closed: usize,
    pub open: usize,
    /// Cases with each measure kind (one case counts one 家 per kind).
    pub measures: BTreeMap<MeasureKind, usize>,
    pub fine_yuan: u64,
}

/// The pollution types in the order the design lists them (ties in counts keep this order).
pub const TYPE_ORDER: [&str; 8] = ["大气", "水", "土壤", "噪声", "固废", "生态", "辐射", "其他"];

fn ranked(map: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

impl Stats {
    pub fn of(rows: &[PublicCase], by_county: bool) -> Stats {
        let mut s = Stats { total: rows.len(), ..Stats::default() };
        let mut area: BTreeMap<String, usize> = BTreeMap::new();
        let mut types: BTreeMap<String, usize> = BTreeMap::new();
        for r in rows {
            let a = if by_county { &r.county_name } else { &r.township_name };
            let a = if a.trim().is_empty() { "待核定".to_owned() } else { a.clone() };
            *area.entry(a).or_default() += 1;
            if r.pollution_types.is_empty() {
                *types.entry("待核定".into()).or_default() += 1;
            }
            for t in &r.pollution_types {
                *types.entry(t.clone()).or_default() += 1;
            }
            match r.finding.as_str() {
                "属实" => s.found_true += 1,
                "部分属实" => s.found_partly += 1,
                "不属实" => s.found_false += 1,
                _ => s.investigating += 1,
            }
            match r.closure {
                ClosureState::Closed => s.closed += 1,
                ClosureState::PartlyClosed => s.partly_closed += 1,
                ClosureState::Open => s.open += 1,
            }
            for m in &r.measures {
                *s.measures.entry(*m).or_default() += 1;
            }
            s.fine_yuan += r.fine_yuan;
        }
        s.by_area = ranked(area);
        let order = |t: &str| TYPE_ORDER.iter().position(|x| *x == t).unwrap_or(TYPE_ORDER.len());
        let mut by_type: Vec<(String, usize)> = types.into_iter().collect();
        by_type.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| order(&a.0).cmp(&order(&b.0))).then_with(|| a.0.cmp(&b.0))
        });
        s.by_type = by_type;
        s
    }

    pub fn measure(&self, k: MeasureKind) -> usize {
        self.measures.get(&k).copied().unwrap_or(0)
    }

    /// `责令改正6家、立案处罚3家、罚款12.5万元、关停取缔1家`, then any other measures; `None` when no
    /// measure was taken.
    pub fn measures_text(&self) -> Option<String> {
        let mut parts = Vec::new();
        let main = [MeasureKind::OrderCorrection, MeasureKind::Penalty];
        for k in main {
            parts.push(format!("{}{}家", k.label(), self.measure(k)));
        }
        parts.push(format!("罚款{}", wan_cn(self.fine_yuan)));
        parts.push(format!("{}{}家", MeasureKind::CloseBan.label(), self.measure(MeasureKind::CloseBan)));
        let others: Vec<String> = self
            .measures
            .iter()
            .filter(|(k, n)| {
                **n > 0
                    && !matches!(
                        k,
                        MeasureKind::OrderCorrection | MeasureKind::Penalty | MeasureKind::CloseBan
                    )
            })
            .map(|(k, n)| format!("{}{}家", k.label(), n))
            .collect();
        if self.measures.values().all(|n| *n == 0) && self.fine_yuan == 0 {
            return None;
        }
        let mut s = parts.join("、");
        if !others.is_empty() {
            s.push_str(&format!("，另{}", others.join("、")));
        }
        Some(s)
    }
}

/// A sum of fines in 万元 as disclosures write it: `12.5万元`, `0.8万元`, `0万元`.
pub fn wan_cn(yuan: u64) -> String {
    let wan = yuan / 10_000;
    let rest = yuan % 10_000;
    if rest == 0 {
        format!("{wan}万元")
    } else {
        let frac = format!("{rest:04}");
        format!("{wan}.{}万元", frac.trim_end_matches('0'))
    }
}

pub(super) fn counts_text(items: &[(String, usize)], unit: &str) -> String {
    items.iter().map(|(k, n)| format!("{k}{n}{unit}")).collect::<Vec<_>>().join("、")
}

/// What a batch disclosure is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRef {
    pub campaign_name: String,
    pub team_name: String,
    pub number: u32,
    /// The answering day whose intake the batch holds.
    pub answering_date: NaiveDate,
    /// The day it was assigned (交办).
    pub assigned_on: Option<NaiveDate>,
}

/// R2.2 the "文字" part of a batch disclosure: cases received and assigned (by county or township and by
/// problem type), findings, closure, measures in totals and accountability by level and kind.
pub fn summary_text(
    batch: &BatchRef,
    column: &ColumnRef,
    rows: &[PublicCase],
    accountability: &PublicAccountabilityDoc,
    as_of: NaiveDate,
) -> String {
    let s = Stats::of(rows, column.is_city());
    let assigned = batch.assigned_on.map(date_cn).unwrap_or_else(|| date_cn(batch.answering_date));
    let mut out = format!(
        "{assigned}，{}向{}交办第{}批群众信访举报件{}件（{}受理）。",
        batch.team_name,
        column.we(),
        batch.number,
        s.total,
        date_cn(batch.answering_date)
    );
    if s.total == 0 {
        return out;
    }
    let area = if column.is_city() { "按县（区）分" } else { "按乡镇（街道）分" };
    out.push_str(&format!(
        "{area}：{}；按问题类型分：{}。",
        counts_text(&s.by_area, "件"),
        counts_text(&s.by_type, "件")
    ));
    out.push_str(&format!("截至{}，", date_cn(as_of)));
    let investigated = s.found_true + s.found_partly + s.found_false;
    if investigated == 0 {
        out.push_str("交办件均在调查核实中；");
    } else {
        out.push_str(&format!(
            "已调查核实{investigated}件，其中属实{}件、部分属实{}件、不属实{}件",
            s.found_true, s.found_partly, s.found_false
        ));
        if s.investigating > 0 {
            out.push_str(&format!("，{}件正在调查核实", s.investigating));
        }
        out.push('；');
    }
    out.push_str(&format!("已办结{}件、阶段性办结{}件、未办结{}件。", s.closed, s.partly_closed, s.open));
    if let Some(m) = s.measures_text() {
        out.push_str(&format!("共{m}。"));
    }
    out.push_str(&accountability.text);
    out
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::accountability::AccountabilitySummary;
    use crate::disclosure::fixtures::{batch, city, d, record, rows};

    #[test]
    fn r2_2_stats_and_measure_totals() {
        let s = Stats::of(&rows(), true);
        assert_eq!(s.total, 3);
        assert_eq!(s.by_area, vec![("濮阳县".to_owned(), 2), ("清丰县".to_owned(), 1)]);
        assert_eq!(s.by_type[0], ("大气".to_owned(), 2));
        assert_eq!((s.found_true, s.found_partly, s.found_false, s.investigating), (1, 1, 0, 1));
        assert_eq!((s.closed, s.partly_closed, s.open), (1, 1, 1));
        assert_eq!(s.fine_yuan, 125_000);
        assert_eq!(s.measures_text().unwrap(), "责令改正2家、立案处罚2家、罚款12.5万元、关停取缔1家");
        assert_eq!(Stats::of(&rows()[2..], true).measures_text(), None);
        let by_town = Stats::of(&rows(), false);
        assert_eq!(by_town.by_area.len(), 3);
        for (yuan, text) in [
            (0, "0万元"),
            (8_000, "0.8万元"),
            (125_000, "12.5万元"),
            (10_000, "1万元"),
            (12_345, "1.2345万元"),
        ] {
            assert_eq!(wan_cn(yuan), text);
        }
    }

    #[test]
    fn r2_2_summary_text_city_and_county() {
        let acc =
            PublicAccountabilityDoc::from(&AccountabilitySummary::new([record("张三", false)]).public_view());
        let text = summary_text(&batch(), &city(), &rows(), &acc, d(2019, 11, 28));
        assert_eq!(
            text,
            "2019年11月26日，省第三督察组向我市交办第2批群众信访举报件3件（2019年11月25日受理）。\
             按县（区）分：濮阳县2件、清丰县1件；按问题类型分：大气2件、水1件、噪声1件。\
             截至2019年11月28日，已调查核实2件，其中属实1件、部分属实1件、不属实0件，1件正在调查核实；\
             已办结1件、阶段性办结1件、未办结1件。共责令改正2家、立案处罚2家、罚款12.5万元、关停取缔1家。\
             问责1人（乡科级1人），其中诫勉谈话1人次。"
        );
        assert!(!text.contains("张三"), "a name only for typical records");
        let county = ColumnRef { county_code: Some("410928".into()), name: "濮阳县".into() };
        let text = summary_text(
            &batch(),
            &county,
            &rows()[1..],
            &PublicAccountabilityDoc::default(),
            d(2019, 11, 28),
        );
        assert!(text.starts_with("2019年11月26日，省第三督察组向我县交办第2批群众信访举报件2件"), "{text}");
        assert!(text.contains("按乡镇（街道）分：文留镇1件、柳屯镇1件"), "{text}");
        let empty =
            summary_text(&batch(), &county, &[], &PublicAccountabilityDoc::default(), d(2019, 11, 28));
        assert!(empty.ends_with("交办第2批群众信访举报件0件（2019年11月25日受理）。"), "{empty}");
        for (name, we) in [
            ("华龙区", "我区"),
            ("濮阳县", "我县"),
            ("濮阳市城乡一体化示范区", "我区"),
            ("濮阳经济技术开发区", "我区"),
            ("示范区管委会", "示范区管委会"),
        ] {
            assert_eq!(ColumnRef { county_code: Some("x".into()), name: name.into() }.we(), we);
        }
    }
}
