//! R2.2 the standard table: its two layouts and columns, and [`PublicCase`], the one shape in which a
//! complaint reaches the public.

use chrono::{DateTime, Utc};
use ducha_shield::{Screened, Shield};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::accountability::PublicAccountability;
use crate::closure::ClosureState;
use crate::handling::{
    Finding, HandlingReport, MeasureKind, render_closure_target, render_finding, render_handling,
    render_investigation,
};
use crate::workflow::Stage;

/// Which standard table a campaign discloses with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Layout {
    /// 2023 layout: 问题类型 and 办结目标.
    #[default]
    #[serde(rename = "2023")]
    Y2023,
    /// Older rounds: 污染类型, no 办结目标.
    #[serde(rename = "legacy")]
    Legacy,
}

impl Layout {
    pub fn code(self) -> &'static str {
        match self {
            Layout::Y2023 => "2023",
            Layout::Legacy => "legacy",
        }
    }

    /// The campaign setting `disclosure_layout` ("2023" | "legacy"); absent means 2023.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim() {
            "" | "2023" => Ok(Layout::Y2023),
            "legacy" | "old" | "旧版" => Ok(Layout::Legacy),
            other => Err(DomainError::invalid(
                "disclosure_layout",
                format!("未知的公开表格式“{other}”（应为 2023 或 legacy）"),
            )),
        }
    }

    /// The columns in table order.
    pub fn columns(self) -> &'static [Column] {
        use Column::*;
        match self {
            Layout::Y2023 => &[
                Seq,
                AcceptNo,
                Summary,
                Region,
                ProblemType,
                Investigation,
                Finding,
                ClosureTarget,
                Handling,
                Closure,
                Accountability,
            ],
            Layout::Legacy => &[
                Seq,
                AcceptNo,
                Summary,
                Region,
                PollutionType,
                Investigation,
                Finding,
                Handling,
                Closure,
                Accountability,
            ],
        }
    }

    pub fn headers(self) -> Vec<&'static str> {
        self.columns().iter().map(|c| c.header()).collect()
    }
}

/// One column of the standard table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Seq,
    AcceptNo,
    Summary,
    Region,
    ProblemType,
    PollutionType,
    Investigation,
    Finding,
    ClosureTarget,
    Handling,
    Closure,
    Accountability,
}

impl Column {
    pub fn header(self) -> &'static str {
        match self {
            Column::Seq => "序号",
            Column::AcceptNo => "受理编号",
            Column::Summary => "交办问题基本情况",
            Column::Region => "行政区域",
            Column::ProblemType => "问题类型",
            Column::PollutionType => "污染类型",
            Column::Investigation => "调查核实情况",
            Column::Finding => "是否属实",
            Column::ClosureTarget => "办结目标",
            Column::Handling => "处理和整改情况",
            Column::Closure => "是否办结",
            Column::Accountability => "责任人被处理情况",
        }
    }

    /// The key used in JSON exports.
    pub fn key(self) -> &'static str {
        match self {
            Column::Seq => "seq",
            Column::AcceptNo => "accept_no",
            Column::Summary => "summary",
            Column::Region => "region",
            Column::ProblemType => "problem_type",
            Column::PollutionType => "pollution_type",
            Column::Investigation => "investigation",
            Column::Finding => "finding",
            Column::ClosureTarget => "closure_target",
            Column::Handling => "handling",
            Column::Closure => "closure",
            Column::Accountability => "accountability",
        }
    }

    /// Long text columns (wrapped and wide in exports).
    pub fn is_long(self) -> bool {
        matches!(self, Column::Summary | Column::Investigation | Column::Handling | Column::Accountability)
    }
}

/// What the store knows about a case that may be disclosed — and nothing else. The app fills it from
/// the case row's routing and its REDACTED text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub accept_no: String,
    /// The redacted complaint text.
    pub redacted_text: String,
    pub county_code: Option<String>,
    pub county_name: String,
    pub township_name: String,
    pub village_name: String,
    pub pollution_types: Vec<String>,
    pub sansan: Option<String>,
    pub stage: Stage,
    /// The finding recorded in the workflow, when there is no handling report yet.
    pub finding: Option<Finding>,
    pub received_at: DateTime<Utc>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The county-level office responsible (Open311 `agency_responsible`).
    pub agency: String,
}

/// One disclosed case: exactly the standard table's cells plus the routing labels and counts the
/// summary, feeds and Open311 need. No field can hold who complained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCase {
    /// 序号 (1-based within its table).
    pub seq: u32,
    /// 受理编号.
    pub accept_no: String,
    /// 交办问题基本情况: the redacted complaint text, through the identity firewall.
    pub summary: Screened,
    /// 行政区域, e.g. `濮阳县 柳屯镇 西街村`.
    pub region: String,
    pub county_code: Option<String>,
    pub county_name: String,
    pub township_name: String,
    /// 问题类型 / 污染类型 cell, e.g. `大气、噪声（散乱污企业）`.
    pub problem_type: String,
    pub pollution_types: Vec<String>,
    pub sansan: Option<String>,
    /// 调查核实情况 (typed by the handler: through the identity firewall).
    pub investigation: Screened,
    /// 是否属实: 属实 / 部分属实 / 不属实 / 调查核实中.
    pub finding: String,
    /// 办结目标.
    pub closure_target: Screened,
    /// 处理和整改情况.
    pub handling: Screened,
    /// 是否办结.
    pub closure: ClosureState,
    /// 责任人被处理情况.
    pub accountability: String,
    /// The kinds of measure taken (for the batch totals).
    pub measures: Vec<MeasureKind>,
    /// Fines imposed, in yuan.
    pub fine_yuan: u64,
    /// Linked to an accountability record marked typical.
    pub typical: bool,
    pub received_at: DateTime<Utc>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The responsible county-level office.
    pub agency: String,
}

/// `大气、噪声（散乱污企业）`; `待核定` when nothing is known.
pub fn problem_type_cell(types: &[String], sansan: Option<&str>) -> String {
    let mut s = types.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("、");
    if let Some(ss) = sansan.map(str::trim).filter(|s| !s.is_empty()) {
        if s.is_empty() {
            s = ss.to_owned();
        } else {
            s.push_str(&format!("（{ss}）"));
        }
    }
    if s.is_empty() { "待核定".to_owned() } else { s }
}

impl PublicCase {
    /// Render one case for the public: the routing labels, the redacted text, and the handling report's
    /// disclosure columns (or "being investigated" wording before there is a report). `accountability` is
    /// the public view of the records linked to this case.
    pub fn build(
        seq: u32,
        facts: &CaseFacts,
        report: Option<&HandlingReport>,
        accountability: &PublicAccountability,
        shield: &Shield,
    ) -> PublicCase {
        let empty = HandlingReport::default();
        let r = report.unwrap_or(&empty);
        let finding = match r.finding() {
            Some(_) => render_finding(r).to_owned(),
            None => facts.finding.map(|f| f.label().to_owned()).unwrap_or_else(|| "调查核实中".to_owned()),
        };
        let investigation = if report.is_some() {
            render_investigation(r)
        } else {
            match facts.finding {
                Some(f) => format!("经调查核实，反映问题{}。", f.label()),
                None => "正在调查核实。".to_owned(),
            }
        };
        let handling = match (report, facts.finding) {
            (Some(r), _) => render_handling(r),
            (None, Some(Finding::False)) => "反映问题不属实，不涉及整改。".to_owned(),
            (None, _) => "正在办理中。".to_owned(),
        };
        let mut measures: Vec<MeasureKind> = r.measures.iter().map(|m| m.kind).collect();
        measures.sort();
        measures.dedup();
        let fine_yuan = r.measures.iter().filter_map(|m| m.fine_yuan).sum();
        let region = [&facts.county_name, &facts.township_name, &facts.village_name]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        PublicCase {
            seq,
            accept_no: facts.accept_no.clone(),
            summary: shield.screen(facts.redacted_text.trim()),
            region: if region.is_empty() { "待核定".to_owned() } else { region },
            county_code: facts.county_code.clone(),
            county_name: facts.county_name.clone(),
            township_name: facts.township_name.clone(),
            problem_type: problem_type_cell(&facts.pollution_types, facts.sansan.as_deref()),
            pollution_types: facts.pollution_types.clone(),
            sansan: facts.sansan.clone(),
            investigation: shield.screen(&investigation),
            finding,
            closure_target: match render_closure_target(r) {
                t if t.is_empty() => Screened::fixed("—"),
                t => shield.screen(&t),
            },
            handling: shield.screen(&handling),
            closure: ClosureState::from_stage(facts.stage),
            accountability: accountability.cell(),
            measures,
            fine_yuan,
            typical: !accountability.typical.is_empty(),
            received_at: facts.received_at,
            assigned_at: facts.assigned_at,
            updated_at: facts.updated_at,
            agency: facts.agency.clone(),
        }
    }

    /// The text of one table cell.
    pub fn cell(&self, c: Column) -> String {
        match c {
            Column::Seq => self.seq.to_string(),
            Column::AcceptNo => self.accept_no.clone(),
            Column::Summary => self.summary.to_string(),
            Column::Region => self.region.clone(),
            Column::ProblemType | Column::PollutionType => self.problem_type.clone(),
            Column::Investigation => self.investigation.to_string(),
            Column::Finding => self.finding.clone(),
            Column::ClosureTarget => self.closure_target.to_string(),
            Column::Handling => self.handling.to_string(),
            Column::Closure => self.closure.label().to_owned(),
            Column::Accountability => self.accountability.clone(),
        }
    }

    /// One table row in `layout`'s column order.
    pub fn cells(&self, layout: Layout) -> Vec<String> {
        layout.columns().iter().map(|c| self.cell(*c)).collect()
    }

    /// Whether an investigation finding exists.
    pub fn investigated(&self) -> bool {
        matches!(self.finding.as_str(), "属实" | "部分属实" | "不属实")
    }
}
#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::disclosure::fixtures::{facts, none, rows};

    #[test]
    fn r2_2_layout_columns_2023_and_legacy() {
        let table: &[(Layout, &[&str])] = &[
            (
                Layout::Y2023,
                &[
                    "序号",
                    "受理编号",
                    "交办问题基本情况",
                    "行政区域",
                    "问题类型",
                    "调查核实情况",
                    "是否属实",
                    "办结目标",
                    "处理和整改情况",
                    "是否办结",
                    "责任人被处理情况",
                ],
            ),
            (
                Layout::Legacy,
                &[
                    "序号",
                    "受理编号",
                    "交办问题基本情况",
                    "行政区域",
                    "污染类型",
                    "调查核实情况",
                    "是否属实",
                    "处理和整改情况",
                    "是否办结",
                    "责任人被处理情况",
                ],
            ),
        ];
        for (layout, headers) in table {
            assert_eq!(layout.headers(), headers.to_vec(), "{layout:?}");
            assert_eq!(rows()[0].cells(*layout).len(), headers.len());
        }
        for (s, expect) in [
            ("2023", Some(Layout::Y2023)),
            ("", Some(Layout::Y2023)),
            ("legacy", Some(Layout::Legacy)),
            ("2019", None),
        ] {
            assert_eq!(Layout::parse(s).ok(), expect, "{s}");
        }
        assert_eq!(serde_json::to_string(&Layout::Legacy).unwrap(), "\"legacy\"");
    }

    #[test]
    fn r2_2_public_case_field_set_has_no_identity() {
        let json = serde_json::to_value(&rows()[0]).unwrap();
        let keys: BTreeSet<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        let expect: BTreeSet<&str> = [
            "seq",
            "accept_no",
            "summary",
            "region",
            "county_code",
            "county_name",
            "township_name",
            "problem_type",
            "pollution_types",
            "sansan",
            "investigation",
            "finding",
            "closure_target",
            "handling",
            "closure",
            "accountability",
            "measures",
            "fine_yuan",
            "typical",
            "received_at",
            "assigned_at",
            "updated_at",
            "agency",
        ]
        .into_iter()
        .collect();
        assert_eq!(keys, expect, "a new field on the public type must be reviewed for privacy");
        for forbidden in ["name", "phone", "address", "id_number", "complainant", "original_text", "identity"]
        {
            assert!(!keys.contains(forbidden), "{forbidden}");
        }
    }

    #[test]
    fn r2_2_cells_render_from_report_or_progress() {
        let r = rows();
        let table: &[(usize, Column, &str)] = &[
            (0, Column::Seq, "1"),
            (0, Column::Region, "清丰县 韩村镇"),
            (0, Column::ProblemType, "大气（散乱污企业）"),
            (1, Column::ProblemType, "大气、噪声（散乱污企业）"),
            (0, Column::Finding, "属实"),
            (1, Column::Finding, "部分属实"),
            (2, Column::Finding, "调查核实中"),
            (2, Column::Investigation, "正在调查核实。"),
            (2, Column::Handling, "正在办理中。"),
            (2, Column::ClosureTarget, "—"),
            (0, Column::ClosureTarget, "VOCs治理设施建成并验收"),
            (0, Column::Closure, "阶段性办结"),
            (1, Column::Closure, "已办结"),
            (2, Column::Closure, "未办结"),
            (0, Column::Accountability, "无"),
        ];
        for (i, col, expect) in table {
            assert_eq!(r[*i].cell(*col), *expect, "row {i} {col:?}");
        }
        assert!(r[0].cell(Column::Handling).contains("罚款2.5万元"), "{}", r[0].handling);
        // A workflow finding without a report still shows.
        let mut f = facts("D1", "濮阳县", "柳屯镇", &[], Stage::Investigated);
        f.finding = Some(Finding::False);
        let c = PublicCase::build(1, &f, None, &none(), &Shield::none());
        assert_eq!((c.finding.as_str(), c.handling.as_str()), ("不属实", "反映问题不属实，不涉及整改。"));
        assert_eq!(c.problem_type, "散乱污企业");
        f.sansan = None;
        assert_eq!(PublicCase::build(1, &f, None, &none(), &Shield::none()).problem_type, "待核定");
    }
}
