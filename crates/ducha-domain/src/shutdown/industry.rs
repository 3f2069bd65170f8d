//! Industries and livelihood trades (R1.2): the keyword map from a subject's name to its industry
//! (`data/industries.csv`), the detector's configuration, and the second approval a shutdown in a
//! livelihood trade needs.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::handling::{HandlingReport, Measure, MeasureKind, blank, same_name};

const BUILTIN_INDUSTRIES: &str = include_str!("../../../../data/industries.csv");

/// One industry with the name keywords that identify it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndustryEntry {
    pub industry: String,
    /// The livelihood group (餐饮, 供暖, 养殖, 种植, 建材, 农贸 …) this industry belongs to, if any.
    #[serde(default)]
    pub livelihood_group: Option<String>,
    pub keywords: Vec<String>,
}

/// Keyword map from a subject's name to its industry. The longest matching keyword wins; on a tie the
/// earlier entry wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IndustryMap(pub Vec<IndustryEntry>);

impl IndustryMap {
    /// The built-in map (`data/industries.csv`: `industry,livelihood_group,keywords` with keywords
    /// separated by `|`).
    pub fn builtin() -> Self {
        Self::parse_csv(BUILTIN_INDUSTRIES)
    }

    /// Parse the CSV layout of the built-in file (header line first; blank lines and lines starting
    /// with `#` skipped).
    pub fn parse_csv(text: &str) -> Self {
        let entries = text
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|line| {
                let mut cols = line.splitn(3, ',');
                let industry = cols.next()?.trim().to_owned();
                let group = cols.next()?.trim();
                let keywords: Vec<String> = cols
                    .next()?
                    .split('|')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(String::from)
                    .collect();
                (!industry.is_empty()).then(|| IndustryEntry {
                    industry,
                    livelihood_group: (!group.is_empty()).then(|| group.to_owned()),
                    keywords,
                })
            })
            .collect();
        Self(entries)
    }

    /// The industry a subject name suggests.
    pub fn classify(&self, name: &str) -> Option<&str> {
        let mut best: Option<(usize, &str)> = None;
        for e in &self.0 {
            for k in &e.keywords {
                let len = k.chars().count();
                if name.contains(k.as_str()) && best.is_none_or(|(l, _)| len > l) {
                    best = Some((len, &e.industry));
                }
            }
        }
        best.map(|(_, i)| i)
    }

    pub fn entry(&self, industry: &str) -> Option<&IndustryEntry> {
        self.0.iter().find(|e| e.industry == industry)
    }
}

/// Configuration of the R1.2 detector and the livelihood second approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BlanketShutdownConfig {
    /// K: distinct subjects shut down in one county and one industry that raise an alert (default 3).
    pub k: usize,
    /// D: the window in calendar days, inclusive of both ends (default 3: e.g. 26th–28th).
    pub window_days: u32,
    pub industry_map: IndustryMap,
    /// Livelihood trades: an industry is one when its name or its livelihood group is listed here.
    pub livelihood_trades: BTreeSet<String>,
}

impl Default for BlanketShutdownConfig {
    fn default() -> Self {
        Self {
            k: 3,
            window_days: 3,
            industry_map: IndustryMap::builtin(),
            livelihood_trades: ["餐饮", "供暖", "养殖", "种植", "建材", "农贸"]
                .into_iter()
                .map(String::from)
                .collect(),
        }
    }
}

impl BlanketShutdownConfig {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.k < 2 {
            return Err(DomainError::invalid("k", "预警家数至少为2家"));
        }
        if self.window_days < 1 {
            return Err(DomainError::invalid("window_days", "预警时间窗口至少为1天"));
        }
        Ok(())
    }

    /// An explicit industry when given (non-empty), else the keyword map's guess from the name.
    pub fn industry_of(&self, subject_name: &str, explicit: Option<&str>) -> Option<String> {
        explicit
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .or_else(|| self.industry_map.classify(subject_name).map(String::from))
    }

    /// Whether an industry is a livelihood trade (its name or its group is in the list).
    pub fn is_livelihood(&self, industry: &str) -> bool {
        self.livelihood_trades.contains(industry)
            || self
                .industry_map
                .entry(industry)
                .and_then(|e| e.livelihood_group.as_deref())
                .is_some_and(|g| self.livelihood_trades.contains(g))
    }
}

/// R1.2: a shutdown-type measure on a subject in a livelihood trade needs a second approval.
pub fn requires_second_approval(
    kind: MeasureKind,
    subject_name: &str,
    explicit_industry: Option<&str>,
    cfg: &BlanketShutdownConfig,
) -> bool {
    kind.is_shutdown_type()
        && cfg.industry_of(subject_name, explicit_industry).is_some_and(|i| cfg.is_livelihood(&i))
}

/// R1.2: where [`requires_second_approval`] holds for the measure's subject (industry from the report's
/// subject record or the name), the measure must carry a second approval with an approver who is
/// neither the person who ordered it (`ordered_by`) nor of the ordering unit (`ordering_unit`), and a
/// written opinion. Code `r1_2_livelihood_needs_second_approval`.
pub fn check_second_approval(
    report: &HandlingReport,
    measure: &Measure,
    ordered_by: &str,
    ordering_unit: &str,
    cfg: &BlanketShutdownConfig,
) -> Result<(), DomainError> {
    let Some(terms) = &measure.shutdown else {
        return Ok(());
    };
    let explicit = report.subject(&terms.subject).and_then(|s| s.industry.as_deref());
    if !requires_second_approval(measure.kind, &terms.subject, explicit, cfg) {
        return Ok(());
    }
    let industry = cfg.industry_of(&terms.subject, explicit).unwrap_or_default();
    let mut missing = Vec::new();
    match &terms.second_approval {
        None => missing.push("第二级审批".to_owned()),
        Some(a) => {
            if blank(&a.approver) || blank(&a.unit) {
                missing.push("审批人及其单位".to_owned());
            }
            if same_name(&a.approver, ordered_by) {
                missing.push("由决定停产以外的人员审批（审批人与决定人相同）".to_owned());
            }
            if same_name(&a.unit, ordering_unit) {
                missing.push("由决定停产以外的单位审批（审批单位与决定单位相同）".to_owned());
            }
            if blank(&a.opinion) {
                missing.push("审批意见".to_owned());
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(DomainError::new(
        "r1_2_livelihood_needs_second_approval",
        format!(
            "“{}”属于涉及民生的{}行业，对其采取“{}”须妥善处理、分类施策，并经第二级审批。还缺少：{}。",
            terms.subject.trim(),
            industry,
            measure.kind.label(),
            missing.join("；")
        ),
    )
    .with_field("second_approval")
    .with_details(missing))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handling::tests::{d, lawful_terms, painting_workshop, shutdown};
    use crate::handling::{SecondApproval, Subject};

    #[test]
    fn r1_2_industry_from_field_or_keywords() {
        let cfg = BlanketShutdownConfig::default();
        let table: &[(&str, Option<&str>, Option<&str>)] = &[
            ("清丰县韩村镇某家具厂", None, Some("家具制造")),
            ("南乐县某木业家具厂", None, Some("家具制造")),
            ("某板材加工厂", None, Some("木材加工")),
            ("张某喷漆作坊", None, Some("表面涂装")),
            ("某铸造厂", None, Some("铸造")),
            ("红星砖厂", None, Some("砖瓦")),
            ("某石材加工点", None, Some("石材加工")),
            ("老王烧烤", None, Some("餐饮")),
            ("城关镇某饭店", None, Some("餐饮")),
            ("某生猪养殖场", None, Some("畜禽养殖")),
            ("某小区燃煤锅炉", None, Some("供热")),
            ("某混凝土搅拌站", None, Some("水泥制品")),
            ("某某有限公司", None, None),
            ("某某有限公司", Some("塑料制品"), Some("塑料制品")),
            ("某家具厂", Some("  "), Some("家具制造")),
        ];
        for (name, explicit, expect) in table {
            assert_eq!(cfg.industry_of(name, *explicit).as_deref(), *expect, "{name}");
        }
    }

    #[test]
    fn r1_2_livelihood_trades_need_second_approval() {
        let cfg = BlanketShutdownConfig::default();
        let table: &[(MeasureKind, &str, Option<&str>, bool)] = &[
            (MeasureKind::SuspendBusiness, "老王烧烤", None, true),
            (MeasureKind::PowerCut, "某小区燃煤锅炉", None, true),
            (MeasureKind::CloseBan, "某生猪养殖场", None, true),
            (MeasureKind::SuspendProduction, "红星砖厂", None, true),
            (MeasureKind::SuspendProduction, "某某有限公司", Some("餐饮"), true),
            (MeasureKind::SuspendProduction, "清丰县某家具厂", None, false),
            (MeasureKind::OrderCorrection, "老王烧烤", None, false),
            (MeasureKind::Penalty, "某小区燃煤锅炉", None, false),
        ];
        for (kind, name, explicit, expect) in table {
            assert_eq!(requires_second_approval(*kind, name, *explicit, &cfg), *expect, "{kind:?} {name}");
        }
        // The list is configuration: without 建材 a brickworks needs no second approval.
        let mut cfg2 = cfg.clone();
        cfg2.livelihood_trades.remove("建材");
        assert!(!requires_second_approval(MeasureKind::SuspendProduction, "红星砖厂", None, &cfg2));
    }

    #[test]
    fn r1_2_check_second_approval() {
        let cfg = BlanketShutdownConfig::default();
        let mut r = painting_workshop();
        r.subjects.push(Subject { name: "老王烧烤".into(), ..Default::default() });
        let at = crate::time::from_cst(d(2019, 11, 27).and_hms_opt(10, 0, 0).unwrap());
        let approval = |approver: &str, unit: &str, opinion: &str| SecondApproval {
            approver: approver.into(),
            unit: unit.into(),
            opinion: opinion.into(),
            at,
        };
        let ok = approval("李四", "清丰县污染防治攻坚办", "油烟直排且拒不整改，同意停业整顿至净化器安装验收");
        let table: Vec<(Option<SecondApproval>, Option<&str>)> = vec![
            (Some(ok.clone()), None),
            (None, Some("第二级审批")),
            (Some(approval("张三", "清丰县污染防治攻坚办", "同意")), Some("审批人与决定人相同")),
            (Some(approval("李四", "城关镇人民政府", "同意")), Some("审批单位与决定单位相同")),
            (Some(approval("李四", "清丰县污染防治攻坚办", " ")), Some("审批意见")),
        ];
        for (sa, missing) in table {
            let mut t = lawful_terms("老王烧烤");
            t.second_approval = sa;
            let m = shutdown(MeasureKind::SuspendBusiness, Some(t));
            match (check_second_approval(&r, &m, "张三", "城关镇人民政府", &cfg), missing) {
                (Ok(()), None) => {}
                (Err(e), Some(w)) => {
                    assert_eq!(e.code, "r1_2_livelihood_needs_second_approval");
                    assert!(e.message.contains(w) && e.message.contains("餐饮"), "{}", e.message);
                }
                (got, want) => panic!("got {got:?}, wanted missing {want:?}"),
            }
        }
        // A furniture workshop is not a livelihood trade: no second approval needed.
        let m = shutdown(MeasureKind::SuspendProduction, Some(lawful_terms("清丰县某家具厂")));
        assert!(check_second_approval(&r, &m, "张三", "城关镇人民政府", &cfg).is_ok());
    }

    #[test]
    fn r1_2_builtin_industry_file_is_well_formed() {
        let map = IndustryMap::builtin();
        assert!(map.0.len() >= 15);
        let mut seen = BTreeSet::new();
        for e in &map.0 {
            assert!(seen.insert(e.industry.clone()), "duplicate industry {}", e.industry);
            assert!(!e.keywords.is_empty(), "{} has keywords", e.industry);
        }
        let groups: BTreeSet<&str> = map.0.iter().filter_map(|e| e.livelihood_group.as_deref()).collect();
        for g in &BlanketShutdownConfig::default().livelihood_trades {
            assert!(groups.contains(g.as_str()), "livelihood trade {g} has industries");
        }
    }
}
