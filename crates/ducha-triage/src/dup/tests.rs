//! The duplicate index's behaviour on small hand-written cases: anchors and their folds, paraphrase
//! and style, sources that must not merge, primaries, packed codes, memory, and stored versions.

use super::codes::{conflicts, pack, unpack};
use super::names::core_name;
use super::*;
use crate::router::Router;
use std::sync::LazyLock;

static R: LazyLock<Router> = LazyLock::new(Router::builtin);

fn doc(text: &str) -> DupDoc {
    DupDoc::new(text, &R.route(text), &crate::classify(text))
}

/// Adds `earlier` in order and returns which one (index) `text` is reported a duplicate of.
fn dup_of(earlier: &[&str], text: &str) -> Option<u64> {
    let mut ix = DupIndex::new();
    for (i, e) in earlier.iter().enumerate() {
        let d = doc(e);
        match ix.query(&d) {
            Some(m) => ix.add_duplicate(i as u64, &d, m.id),
            None => ix.add(i as u64, &d),
        }
    }
    ix.query(&doc(text)).map(|m| m.id)
}

#[test]
fn anchors_fold_homophones() {
    assert_eq!(fold_name("鑫源"), fold_name("新源"));
    assert_eq!(core_name("濮阳市鑫源塑料制品有限公司").as_deref(), Some("鑫源"));
    assert_eq!(core_name("南乐县张果屯镇新源塑料").as_deref(), Some("新源"));
    assert_eq!(core_name("塑料"), None);
    let d = doc("濮阳市鑫源塑料制品有限公司偷排废水");
    assert_eq!(d.anchors, vec!["鑫源".to_owned()]);
}

#[test]
fn core_names_drop_places_and_positions() {
    for (raw, core) in [
        ("家小化工", None),
        ("村新龙羽绒", Some("新龙")),
        ("苗口西一村新龙羽绒", Some("新龙")),
        ("南乐县张果屯镇鑫源塑料制品有限公司", Some("鑫源")),
        ("东小铸造", None),
    ] {
        assert_eq!(core_name(raw).as_deref(), core, "{raw}");
    }
}

#[test]
fn paraphrase_and_style_are_duplicates() {
    let letter = "敬爱的督察组：濮阳县柳屯镇肖楼村村东头有一家塑料颗粒作坊，每天夜里冒黑烟，气味刺鼻，严重影响村民生活。";
    let call = "喂，你好，我想反映一下，就是柳屯镇肖楼村东头那个塑料作坊，晚上一直冒烟，味道很呛人。";
    assert_eq!(dup_of(&[letter], call), Some(0));
    let a = "南乐县张果屯镇鑫源塑料制品有限公司往河沟里偷排废水";
    let b = "张果屯镇新源塑料厂排污水，沟里的水都黑了";
    assert_eq!(dup_of(&[a], b), Some(0));
}

#[test]
fn different_sources_in_same_village_or_industry_do_not_merge() {
    // Same village, different kinds of source.
    let pig = "濮阳县柳屯镇肖楼村村东头的养猪场粪水直排，臭味很大";
    let duck = "濮阳县柳屯镇肖楼村有个鸭棚，污水乱排，臭味很大";
    assert_eq!(dup_of(&[pig], duck), None);
    // Same village, same kind, different names.
    let a = "清丰县马庄桥镇有个宏达家具厂喷漆没有环保设施，味道刺鼻";
    let b = "清丰县马庄桥镇的兴隆家具厂喷漆废气直排，味道刺鼻";
    assert_eq!(dup_of(&[a], b), None);
    // Same industry, neighbouring townships.
    let c = "南乐县韩张镇一家塑料颗粒作坊夜里冒黑烟";
    let d = "南乐县元村镇一家塑料颗粒作坊夜里冒黑烟";
    assert_eq!(dup_of(&[c], d), None);
    // Same village, opposite ends.
    let e = "范县陈庄镇王庄村村东头有个塑料作坊冒烟";
    let f = "范县陈庄镇王庄村村西头有个塑料作坊冒烟";
    assert_eq!(dup_of(&[e], f), None);
}

#[test]
fn reports_the_earliest_primary() {
    let a = "台前县产业集聚区的鑫达羽绒厂往金堤河排污水";
    let b = "台前县鑫达羽绒公司偷排废水到河里";
    let c = "台前县新达羽绒厂排放废水";
    assert_eq!(dup_of(&[a, b], c), Some(0));
}

#[test]
fn packed_codes_round_trip_and_compare() {
    for c in ["410928", "410928101", "410928101208", "410990", "OUTSIDE", "OUTSIDE:37", "OUTSIDE:371522"] {
        assert_eq!(unpack(pack(c)).as_deref(), Some(c));
    }
    assert_eq!(unpack(0), None);
    assert!(!conflicts(pack("410928"), pack("410928")));
    assert!(conflicts(pack("410928"), pack("410922")));
    assert!(!conflicts(pack("410928"), 0));
    assert!(!conflicts(pack("OUTSIDE:37"), pack("OUTSIDE:371522")));
    assert!(conflicts(pack("OUTSIDE:13"), pack("OUTSIDE:371522")));
    assert!(conflicts(pack("OUTSIDE:371521"), pack("OUTSIDE:371522")));
    assert!(conflicts(pack("OUTSIDE:371522"), pack("410928")));
}

#[test]
fn memory_grows_with_documents() {
    let mut ix = DupIndex::new();
    let before = ix.memory_bytes();
    for i in 0..100 {
        ix.add(i, &doc("濮阳县柳屯镇肖楼村村东头有一家塑料颗粒作坊冒黑烟"));
    }
    assert_eq!(ix.len(), 100);
    assert!(ix.memory_bytes() > before + 100 * std::mem::size_of::<DupDoc>());
}

#[test]
fn stored_documents_carry_their_version_and_pinned_keys() {
    let d = doc("濮阳市鑫源塑料制品有限公司偷排废水");
    assert!(d.is_current());
    assert_eq!(d.version(), DUP_DOC_VERSION);
    let json = serde_json::to_value(&d).unwrap_or_default();
    assert_eq!(json["version"], serde_json::json!(DUP_DOC_VERSION));
    // 鑫源 → "xin yuan" → the pinned FNV-1a + SplitMix64 hash (see `crate::hash`).
    assert_eq!(json["anchor_keys"], serde_json::json!([0x9CD8_BA08_FAAD_BC84_u64]));
    assert_eq!(DupDoc::from_parts("x", "410928", None, None, &[], None).county().as_deref(), Some("410928"));
}

#[test]
fn documents_of_another_version_are_never_compared() {
    let text = "濮阳县柳屯镇肖楼村村东头有一家塑料颗粒作坊冒黑烟";
    let d = doc(text);
    // A document stored before versions existed (hashed with `DefaultHasher`) has no field.
    let mut json = serde_json::to_value(&d).unwrap_or_default();
    if let Some(m) = json.as_object_mut() {
        m.remove("version");
    }
    let old: DupDoc = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(old.version(), 1);
    assert!(!old.is_current());
    assert!(pair_score(&d, &d).0 >= DUP_THRESHOLD);
    assert_eq!(pair_score(&d, &old).0, 0.0);
    let mut ix = DupIndex::new();
    ix.add(1, &old);
    assert_eq!(ix.query(&d), None);
}
