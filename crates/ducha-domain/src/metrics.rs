//! R5.4 outcome metrics: work is judged by problems actually solved and by the public's evaluation,
//! never by traces. The input, [`CaseOutcome`], holds plain per-case facts and has no field for
//! photos, attachments or documents, so no metric can count them.
//!
//! Definitions (each rate is a fraction in 0..=1, undefined when its denominator is 0; `now` is the
//! moment the metrics are computed for):
//!
//! - **response rate (响应率)** = responded / response-eligible. A case is *responded* when it was
//!   acknowledged (签收) within `response_hours` of `assigned_at` (the moment it reached the unit,
//!   i.e. after quiet hours). It is *response-eligible* when it was acknowledged, or its response
//!   window has ended by `now` (a fresh case still inside its window is not counted either way).
//! - **resolution rate (解决率)** = closed / outcome-eligible. *Closed* is 已办结 (阶段性办结 is not yet
//!   resolved; a 不属实 case closed on its facts is resolved). *Outcome-eligible*: 已办结 or 阶段性办结,
//!   or still open with its due time passed by `now` (open cases not yet due are not counted).
//! - **on-time rate (按期办结率)** = on-time / outcome-eligible, *on time* meaning 已办结 or 阶段性办结
//!   with `closed_at` at or before `due_at` (the due time after any approved extension). A closed case
//!   without `closed_at` is not on time.
//! - **satisfaction rate (满意率)** = (满意 + 0.9 × 基本满意) / valid callbacks, where the valid callbacks
//!   are, per case, its latest answered callback (not reached / declined do not count, and a case
//!   called back twice counts once, with its latest answer).
//! - **repeat-complaint rate (重复举报率)** = cases with a repeat complaint after closing / cases
//!   closed or partly closed. Lower is better; it is reported, not part of the composite.
//! - **composite** = Σ wᵢ·rateᵢ / Σ wᵢ over response, resolution and satisfaction (default weights
//!   0.1 / 0.5 / 0.4), the sum taken over the rates that are defined; undefined when none is.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::callback::{CallbackResult, Satisfaction};
use crate::closure::ClosureState;
use crate::handling::Finding;

/// The weight of a 基本满意 answer in the satisfaction rate.
pub const BASICALLY_SATISFIED_WEIGHT: f64 = 0.9;

/// One callback as the metrics see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackFact {
    pub at: DateTime<Utc>,
    pub result: CallbackResult,
}

impl From<&crate::callback::Callback> for CallbackFact {
    fn from(c: &crate::callback::Callback) -> Self {
        Self { at: c.at, result: c.result }
    }
}

/// The plain facts of one case that outcome metrics use — and nothing else. There is deliberately no
/// field for photos, attachments, documents or any other trace of work (R5.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOutcome {
    pub case_id: String,
    /// The handling unit.
    pub unit: String,
    pub county_code: String,
    pub campaign: String,
    /// When the case reached the handling unit (the clock start, after quiet hours).
    pub assigned_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The due time for the handling result, after any approved extension.
    pub due_at: DateTime<Utc>,
    pub finding: Option<Finding>,
    pub closure: ClosureState,
    /// When the case was (first) closed or partly closed.
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub callbacks: Vec<CallbackFact>,
    /// Repeat complaints about the same source received after the case was closed.
    #[serde(default)]
    pub repeat_complaints: u32,
}

/// Composite weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompositeWeights {
    pub response: f64,
    pub resolution: f64,
    pub satisfaction: f64,
}

impl Default for CompositeWeights {
    fn default() -> Self {
        Self { response: 0.1, resolution: 0.5, satisfaction: 0.4 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricsConfig {
    /// Hours after `assigned_at` within which an acknowledgement counts as a response (default 24).
    pub response_hours: u32,
    pub weights: CompositeWeights,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self { response_hours: 24, weights: CompositeWeights::default() }
    }
}

impl MetricsConfig {
    pub fn validate(&self) -> Result<(), DomainError> {
        let w = self.weights;
        let all = [w.response, w.resolution, w.satisfaction];
        if all.iter().any(|x| !x.is_finite() || *x < 0.0) || all.iter().sum::<f64>() <= 0.0 {
            return Err(DomainError::invalid("weights", "综合评价权重须为非负数，且合计大于0"));
        }
        if self.response_hours == 0 {
            return Err(DomainError::invalid("response_hours", "响应时限须大于0小时"));
        }
        Ok(())
    }
}

/// A count over a count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    pub num: u32,
    pub den: u32,
}

impl Ratio {
    pub fn value(self) -> Option<f64> {
        (self.den > 0).then(|| f64::from(self.num) / f64::from(self.den))
    }

    fn add(&mut self, eligible: bool, hit: bool) {
        if eligible {
            self.den += 1;
            if hit {
                self.num += 1;
            }
        }
    }
}

/// The latest answers, one per case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SatisfactionTally {
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub dissatisfied: u32,
}

impl SatisfactionTally {
    pub fn valid(self) -> u32 {
        self.satisfied + self.basically_satisfied + self.dissatisfied
    }

    /// (满意 + 0.9 × 基本满意) / valid callbacks.
    pub fn rate(self) -> Option<f64> {
        let valid = self.valid();
        (valid > 0).then(|| {
            (f64::from(self.satisfied) + BASICALLY_SATISFIED_WEIGHT * f64::from(self.basically_satisfied))
                / f64::from(valid)
        })
    }

    fn add(&mut self, s: Satisfaction) {
        match s {
            Satisfaction::Satisfied => self.satisfied += 1,
            Satisfaction::BasicallySatisfied => self.basically_satisfied += 1,
            Satisfaction::Dissatisfied => self.dissatisfied += 1,
        }
    }
}

/// The metrics of one scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeMetrics {
    pub cases: u32,
    pub response: Ratio,
    pub resolution: Ratio,
    pub on_time: Ratio,
    pub repeat: Ratio,
    pub satisfaction: SatisfactionTally,
    pub composite: Option<f64>,
}

impl OutcomeMetrics {
    pub fn response_rate(&self) -> Option<f64> {
        self.response.value()
    }
    pub fn resolution_rate(&self) -> Option<f64> {
        self.resolution.value()
    }
    pub fn on_time_rate(&self) -> Option<f64> {
        self.on_time.value()
    }
    pub fn repeat_rate(&self) -> Option<f64> {
        self.repeat.value()
    }
    pub fn satisfaction_rate(&self) -> Option<f64> {
        self.satisfaction.rate()
    }
}

/// The latest answered callback's satisfaction, if any.
fn latest_answer(callbacks: &[CallbackFact]) -> Option<Satisfaction> {
    callbacks
        .iter()
        .filter_map(|c| match c.result {
            CallbackResult::Answered { satisfaction } => Some((c.at, satisfaction)),
            _ => None,
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, s)| s)
}

/// R5.4 metrics of the given cases (see the module doc for every definition).
pub fn outcome_metrics<'a>(
    outcomes: impl IntoIterator<Item = &'a CaseOutcome>,
    now: DateTime<Utc>,
    cfg: &MetricsConfig,
) -> OutcomeMetrics {
    let window = Duration::hours(i64::from(cfg.response_hours));
    let mut m = OutcomeMetrics {
        cases: 0,
        response: Ratio::default(),
        resolution: Ratio::default(),
        on_time: Ratio::default(),
        repeat: Ratio::default(),
        satisfaction: SatisfactionTally::default(),
        composite: None,
    };
    for o in outcomes {
        m.cases += 1;
        let deadline = o.assigned_at + window;
        m.response.add(
            o.acknowledged_at.is_some() || now >= deadline,
            o.acknowledged_at.is_some_and(|a| a <= deadline),
        );
        let finished = matches!(o.closure, ClosureState::Closed | ClosureState::PartlyClosed);
        let outcome_eligible = finished || now >= o.due_at;
        m.resolution.add(outcome_eligible, o.closure == ClosureState::Closed);
        m.on_time.add(outcome_eligible, finished && o.closed_at.is_some_and(|c| c <= o.due_at));
        m.repeat.add(finished, o.repeat_complaints > 0);
        if let Some(s) = latest_answer(&o.callbacks) {
            m.satisfaction.add(s);
        }
    }
    let w = cfg.weights;
    let parts = [
        (w.response, m.response.value()),
        (w.resolution, m.resolution.value()),
        (w.satisfaction, m.satisfaction.rate()),
    ];
    let (num, den) = parts
        .iter()
        .filter_map(|(w, v)| v.map(|v| (w * v, *w)))
        .fold((0.0, 0.0), |(n, d), (wv, w)| (n + wv, d + w));
    m.composite = (den > 0.0).then(|| num / den);
    m
}

/// The metrics per group (unit, county, campaign, or anything else `key` picks).
pub fn outcome_metrics_by<K: Ord>(
    outcomes: &[CaseOutcome],
    key: impl Fn(&CaseOutcome) -> K,
    now: DateTime<Utc>,
    cfg: &MetricsConfig,
) -> BTreeMap<K, OutcomeMetrics> {
    let mut groups: BTreeMap<K, Vec<&CaseOutcome>> = BTreeMap::new();
    for o in outcomes {
        groups.entry(key(o)).or_default().push(o);
    }
    groups.into_iter().map(|(k, v)| (k, outcome_metrics(v, now, cfg))).collect()
}

/// A reporting period `[from, to)`, on `assigned_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Period {
    pub fn contains(&self, o: &CaseOutcome) -> bool {
        self.from <= o.assigned_at && o.assigned_at < self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handling::tests::d;

    fn t(day: u32, h: u32) -> DateTime<Utc> {
        crate::time::from_cst(d(2019, 12, day).and_hms_opt(h, 0, 0).unwrap())
    }

    fn answered(day: u32, s: Satisfaction) -> CallbackFact {
        CallbackFact { at: t(day, 10), result: CallbackResult::Answered { satisfaction: s } }
    }

    #[allow(clippy::too_many_arguments)]
    fn case(
        id: &str,
        unit: &str,
        assigned: DateTime<Utc>,
        ack: Option<DateTime<Utc>>,
        due: DateTime<Utc>,
        closure: ClosureState,
        closed: Option<DateTime<Utc>>,
        callbacks: Vec<CallbackFact>,
        repeats: u32,
    ) -> CaseOutcome {
        CaseOutcome {
            case_id: id.into(),
            unit: unit.into(),
            county_code: "410922".into(),
            campaign: "2019三散".into(),
            assigned_at: assigned,
            acknowledged_at: ack,
            due_at: due,
            finding: Some(Finding::True),
            closure,
            closed_at: closed,
            callbacks,
            repeat_complaints: repeats,
        }
    }

    /// Six cases; `now` = 12-20 12:00, response window 24 h.
    fn example() -> Vec<CaseOutcome> {
        use ClosureState::*;
        use Satisfaction::*;
        let not_reached = CallbackFact { at: t(9, 10), result: CallbackResult::NotReached };
        let mut f = case(
            "F",
            "马庄桥镇",
            t(5, 8),
            Some(t(5, 10)),
            t(12, 18),
            Closed,
            Some(t(11, 9)),
            vec![answered(13, Dissatisfied)],
            0,
        );
        f.finding = Some(Finding::False);
        vec![
            // A: acked in 1 h; closed 12-05 ≤ due 12-08; 满意.
            case(
                "A",
                "韩村镇",
                t(1, 8),
                Some(t(1, 9)),
                t(8, 18),
                Closed,
                Some(t(5, 9)),
                vec![answered(6, Satisfied)],
                0,
            ),
            // B: acked after 26 h (late); closed 12-07 on time; not reached, then 基本满意; 1 repeat.
            case(
                "B",
                "韩村镇",
                t(1, 8),
                Some(t(2, 10)),
                t(8, 18),
                Closed,
                Some(t(7, 9)),
                vec![not_reached, answered(10, BasicallySatisfied)],
                1,
            ),
            // C: acked on delivery; partly closed 12-09 10:00 ≤ due 18:00;
            //    不满意 then 基本满意 — the latest counts.
            case(
                "C",
                "韩村镇",
                t(2, 8),
                Some(t(2, 8)),
                t(9, 18),
                PartlyClosed,
                Some(t(9, 10)),
                vec![answered(10, Dissatisfied), answered(15, BasicallySatisfied)],
                0,
            ),
            // D: never acked, past due 12-10, still open.
            case("D", "马庄桥镇", t(3, 8), None, t(10, 18), Open, None, vec![], 0),
            // E: assigned 4 h ago, not acked, not due: counted nowhere.
            case("E", "马庄桥镇", t(20, 8), None, t(27, 18), Open, None, vec![], 0),
            // F: 不属实, acked in 2 h, closed 12-11 ≤ due 12-12; 不满意.
            f,
        ]
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn r5_4_hand_computed_example() {
        let m = outcome_metrics(&example(), t(20, 12), &MetricsConfig::default());
        // response:   eligible A B C D F (E still in its window) = 5; responded A C F = 3 → 3/5 = 0.6
        // resolution: eligible A B C F (finished) + D (past due) = 5; 已办结 A B F = 3 → 3/5 = 0.6
        // on time:    eligible 5; A B C F closed by due = 4 (D open past due) → 4/5 = 0.8
        // repeat:     finished A B C F = 4; B has a repeat → 1/4 = 0.25
        // satisfaction, latest answer per case: A 满意, B 基本满意, C 基本满意, F 不满意
        //             → (1 + 0.9 × 2) / 4 = 2.8 / 4 = 0.7
        // composite:  0.1 × 0.6 + 0.5 × 0.6 + 0.4 × 0.7 = 0.06 + 0.30 + 0.28 = 0.64
        assert_eq!(m.cases, 6);
        assert_eq!(m.response, Ratio { num: 3, den: 5 });
        assert_eq!(m.resolution, Ratio { num: 3, den: 5 });
        assert_eq!(m.on_time, Ratio { num: 4, den: 5 });
        assert_eq!(m.repeat, Ratio { num: 1, den: 4 });
        assert_eq!(
            m.satisfaction,
            SatisfactionTally { satisfied: 1, basically_satisfied: 2, dissatisfied: 1 }
        );
        assert!(close(m.response_rate(), 0.6));
        assert!(close(m.resolution_rate(), 0.6));
        assert!(close(m.on_time_rate(), 0.8));
        assert!(close(m.repeat_rate(), 0.25));
        assert!(close(m.satisfaction_rate(), 0.7));
        assert!(close(m.composite, 0.64), "{:?}", m.composite);
    }

    #[test]
    fn r5_4_per_unit_and_period() {
        let by_unit =
            outcome_metrics_by(&example(), |o| o.unit.clone(), t(20, 12), &MetricsConfig::default());
        let mz = &by_unit["马庄桥镇"];
        // 马庄桥镇: D E F. response: eligible D F, responded F → 1/2; resolution: eligible D F,
        // closed F → 1/2; satisfaction: F 不满意 → 0/1 = 0; composite 0.1×0.5 + 0.5×0.5 + 0.4×0 = 0.3
        assert_eq!((mz.response, mz.resolution), (Ratio { num: 1, den: 2 }, Ratio { num: 1, den: 2 }));
        assert!(close(mz.satisfaction_rate(), 0.0));
        assert!(close(mz.composite, 0.3));
        assert_eq!(by_unit["韩村镇"].cases, 3);

        let period = Period { from: t(1, 0), to: t(2, 0) };
        let cases = example();
        let m = outcome_metrics(
            cases.iter().filter(|o| period.contains(o)),
            t(20, 12),
            &MetricsConfig::default(),
        );
        assert_eq!(m.cases, 2, "A and B were assigned on 12-01");
    }

    #[test]
    fn r5_4_composite_uses_defined_rates_and_configured_weights() {
        let mut cases = example();
        for c in &mut cases {
            c.callbacks.clear();
        }
        let m = outcome_metrics(&cases, t(20, 12), &MetricsConfig::default());
        assert_eq!(m.satisfaction_rate(), None);
        // (0.1 × 0.6 + 0.5 × 0.6) / (0.1 + 0.5) = 0.36 / 0.6 = 0.6
        assert!(close(m.composite, 0.6));
        let cfg = MetricsConfig {
            weights: CompositeWeights { response: 1.0, resolution: 0.0, satisfaction: 0.0 },
            ..Default::default()
        };
        assert!(close(outcome_metrics(&example(), t(20, 12), &cfg).composite, 0.6));
        let cfg = MetricsConfig {
            weights: CompositeWeights { response: 0.0, resolution: 0.0, satisfaction: 1.0 },
            ..Default::default()
        };
        assert!(close(outcome_metrics(&example(), t(20, 12), &cfg).composite, 0.7));
        assert_eq!(outcome_metrics(&[], t(20, 12), &MetricsConfig::default()).composite, None);
        assert!(MetricsConfig::default().validate().is_ok());
        let bad = MetricsConfig {
            weights: CompositeWeights { response: -0.1, resolution: 0.5, satisfaction: 0.6 },
            ..Default::default()
        };
        assert!(bad.validate().is_err());
        let zero = MetricsConfig {
            weights: CompositeWeights { response: 0.0, resolution: 0.0, satisfaction: 0.0 },
            ..Default::default()
        };
        assert!(zero.validate().is_err());
        // A longer response window turns B's 26-hour acknowledgement into a response.
        let cfg = MetricsConfig { response_hours: 48, ..Default::default() };
        assert_eq!(outcome_metrics(&example(), t(20, 12), &cfg).response, Ratio { num: 4, den: 5 });
    }

    fn keys(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    out.push(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }

    #[test]
    fn r5_4_case_outcome_has_no_field_for_photos_attachments_or_documents() {
        let mut all = Vec::new();
        for c in example() {
            keys(&serde_json::to_value(&c).unwrap(), &mut all);
        }
        all.sort();
        all.dedup();
        // The complete list: adding any field to the metric input must come through this test.
        assert_eq!(
            all,
            vec![
                "acknowledged_at",
                "assigned_at",
                "at",
                "callbacks",
                "campaign",
                "case_id",
                "closed_at",
                "closure",
                "county_code",
                "due_at",
                "finding",
                "repeat_complaints",
                "result",
                "satisfaction",
                "unit",
            ]
        );
        for k in &all {
            for trace in
                ["photo", "image", "picture", "attach", "file", "document", "doc", "trace", "record", "video"]
            {
                assert!(!k.contains(trace), "{k} looks like a trace field");
            }
        }
    }

    #[test]
    fn r5_4_adding_attachments_changes_no_metric() {
        // The store's case JSON may carry evidence; projected onto CaseOutcome it is dropped.
        let plain = serde_json::to_value(example()).unwrap();
        let mut with_evidence = plain.clone();
        for (i, c) in with_evidence.as_array_mut().unwrap().iter_mut().enumerate() {
            let obj = c.as_object_mut().unwrap();
            let n = (i + 1) * 7;
            obj.insert("photos".into(), serde_json::json!(vec!["现场照片.jpg"; n]));
            obj.insert(
                "attachments".into(),
                serde_json::json!([{"name": "整改报告.pdf", "size": 1_048_576}]),
            );
            obj.insert("documents".into(), serde_json::json!(["会议记录.docx", "签到表.xlsx"]));
        }
        let a: Vec<CaseOutcome> = serde_json::from_value(plain).unwrap();
        let b: Vec<CaseOutcome> = serde_json::from_value(with_evidence).unwrap();
        assert_eq!(a, b);
        let cfg = MetricsConfig::default();
        assert_eq!(outcome_metrics(&a, t(20, 12), &cfg), outcome_metrics(&b, t(20, 12), &cfg));
    }
}
