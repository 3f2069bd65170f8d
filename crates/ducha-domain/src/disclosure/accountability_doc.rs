//! R2.4 accountability as stored in a published disclosure: counts by level and kind always, names only
//! for typical records.

use serde::{Deserialize, Serialize};

use crate::accountability::PublicAccountability;

/// A count with its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelCount {
    pub label: String,
    pub count: usize,
}

/// The public accountability of a disclosure, frozen at publication: counts by level and kind always,
/// and the typical cases' texts (the only place a name appears).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccountabilityDoc {
    pub people: usize,
    pub records: usize,
    pub by_level: Vec<LabelCount>,
    pub by_kind: Vec<LabelCount>,
    /// `对…给予…`, one per typical record.
    pub typical: Vec<String>,
    pub text: String,
}

impl From<&PublicAccountability> for PublicAccountabilityDoc {
    fn from(p: &PublicAccountability) -> Self {
        PublicAccountabilityDoc {
            people: p.people,
            records: p.records,
            by_level: p
                .by_level
                .iter()
                .map(|c| LabelCount { label: c.label.into(), count: c.count })
                .collect(),
            by_kind: p.by_kind.iter().map(|c| LabelCount { label: c.label.into(), count: c.count }).collect(),
            typical: p.typical.iter().map(|t| t.text().to_owned()).collect(),
            text: p.text(),
        }
    }
}

impl PublicAccountabilityDoc {
    /// Several disclosures' accountability added up (people are counted per disclosure).
    pub fn sum<'a>(docs: impl IntoIterator<Item = &'a PublicAccountabilityDoc>) -> PublicAccountabilityDoc {
        let mut out = PublicAccountabilityDoc::default();
        let add = |into: &mut Vec<LabelCount>, from: &[LabelCount]| {
            for c in from {
                match into.iter_mut().find(|x| x.label == c.label) {
                    Some(x) => x.count += c.count,
                    None => into.push(c.clone()),
                }
            }
        };
        for d in docs {
            out.people += d.people;
            out.records += d.records;
            add(&mut out.by_level, &d.by_level);
            add(&mut out.by_kind, &d.by_kind);
            for t in &d.typical {
                if !out.typical.contains(t) {
                    out.typical.push(t.clone());
                }
            }
        }
        out.text = accountability_text(&out);
        out
    }
}

fn accountability_text(d: &PublicAccountabilityDoc) -> String {
    if d.people == 0 {
        return "暂无问责情况。".to_owned();
    }
    let levels: Vec<String> =
        d.by_level.iter().filter(|c| c.count > 0).map(|c| format!("{}{}人", c.label, c.count)).collect();
    let kinds: Vec<String> =
        d.by_kind.iter().filter(|c| c.count > 0).map(|c| format!("{}{}人次", c.label, c.count)).collect();
    let mut s = format!("问责{}人（{}），其中{}。", d.people, levels.join("、"), kinds.join("、"));
    if !d.typical.is_empty() {
        s.push_str(&format!("典型问责案例：{}。", d.typical.join("；")));
    }
    s
}
#[cfg(test)]
mod tests {
    use ducha_shield::Shield;

    use super::*;
    use crate::accountability::AccountabilitySummary;
    use crate::disclosure::fixtures::{facts, record};
    use crate::disclosure::table::PublicCase;
    use crate::workflow::Stage;

    #[test]
    fn r2_4_accountability_doc_names_only_typical_and_sums() {
        let view = AccountabilitySummary::new([record("张三", true), record("李四", false)]).public_view();
        let doc = PublicAccountabilityDoc::from(&view);
        let json = serde_json::to_string(&doc).unwrap();
        assert!(json.contains("张三") && !json.contains("李四"), "{json}");
        assert_eq!((doc.people, doc.records), (2, 2));
        let total = PublicAccountabilityDoc::sum([&doc, &doc]);
        assert_eq!((total.people, total.records, total.typical.len()), (4, 4, 1));
        assert_eq!(total.by_level.iter().find(|c| c.label == "乡科级").unwrap().count, 4);
        assert!(
            total.text.starts_with("问责4人（乡科级4人），其中诫勉谈话4人次。典型问责案例"),
            "{}",
            total.text
        );
        assert_eq!(PublicAccountabilityDoc::sum([]).text, "暂无问责情况。");
        // A case linked to a typical record is typical and its cell names the person.
        let c = PublicCase::build(
            1,
            &facts("D1", "清丰县", "韩村镇", &["大气"], Stage::Closed),
            None,
            &view,
            &Shield::none(),
        );
        assert!(c.typical && c.accountability.contains("张三") && !c.accountability.contains("李四"));
    }
}
