//! Property tests: the redactor removes every inserted identifier and is idempotent; the router,
//! classifier and redactor never panic on arbitrary UTF-8.

use std::sync::LazyLock;

use ducha_triage::{Identity, Router, classify, redact};
use proptest::prelude::*;

static ROUTER: LazyLock<Router> = LazyLock::new(Router::builtin);

fn phone() -> impl Strategy<Value = (String, String)> {
    ("1[3-9][0-9]{9}", 0..5usize).prop_map(|(d, style)| {
        let shown = match style {
            0 => format!("{} {} {}", &d[..3], &d[3..7], &d[7..]),
            1 => format!("{}-{}-{}", &d[..3], &d[3..7], &d[7..]),
            2 => d.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect(),
            3 => format!("+86{d}"),
            _ => d.clone(),
        };
        (d, shown)
    })
}

fn id_number() -> impl Strategy<Value = String> {
    ("410[0-9]{3}", 1950..2005u32, 1..13u32, 1..29u32, "[0-9]{3}").prop_map(|(area, y, m, d, seq)| {
        let body = format!("{area}{y:04}{m:02}{d:02}{seq}");
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
        let sum: u32 = body.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
        format!("{body}{}", C[(sum % 11) as usize])
    })
}

fn name() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["王", "李", "张", "刘", "陈", "赵", "孙", "周"]),
        prop::sample::select(vec!["建国", "秀英", "志强", "桂芝", "卫东", "丽", "伟", "海涛"]),
    )
        .prop_map(|(s, g)| format!("{s}{g}"))
}

/// Filler text that cannot itself contain digits (so the inserted identifiers are the only ones).
fn filler() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "村里有个塑料作坊晚上冒黑烟，",
        "反映一下，",
        "清丰县马庄桥镇",
        "，味道刺鼻。",
        "工地夜间施工噪音大",
        "",
        "请督察组尽快处理。",
        "濮阳县柳屯镇东陈庄村",
    ])
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn redacted_output_never_contains_a_marked_span(
        a in filler(), b in filler(), c in filler(),
        (digits, shown) in phone(), id in id_number(), who in name(), intro in 0..4usize,
    ) {
        let named = match intro {
            0 => format!("我叫{who}，"),
            1 => format!("举报人：{who}\n"),
            2 => format!("联系人{who} "),
            _ => format!("{who}，"),
        };
        let text = format!("{a}{named}电话{shown}{b}身份证号{id}{c}");
        let known = Identity { name: Some(who.clone()), phone: Some(digits.clone()), ..Identity::default() };
        let r = redact(&text, &known);
        prop_assert!(!r.text.contains(&shown), "{}", r.text);
        prop_assert!(!r.text.contains(&digits), "{}", r.text);
        prop_assert!(!r.text.contains(&id), "{}", r.text);
        prop_assert!(!r.text.contains(&who), "{}", r.text);
        // Nothing the record does not know about is lost from the places.
        for keep in ["马庄桥镇", "东陈庄村", "柳屯镇"] {
            if text.contains(keep) { prop_assert!(r.text.contains(keep), "{}", r.text); }
        }
        prop_assert_eq!(redact(&r.text, &known).text, r.text);
    }

    #[test]
    fn redaction_is_idempotent_on_anything(s in "\\PC*") {
        let once = redact(&s, &Identity::default());
        prop_assert_eq!(redact(&once.text, &Identity::default()).text, once.text);
    }

    #[test]
    fn triage_line_never_panics(s in "\\PC*", name in "\\PC{0,4}") {
        let mut t = ducha_triage::Triage::with_router(ROUTER.clone());
        let input = ducha_triage::TriageInput {
            id: ducha_triage::LineId::Num(1),
            text: s.clone(),
            received_at: None,
            channel: None,
            complainant: Some(ducha_triage::Complainant { name: Some(name), phone: Some(s.clone()), address: Some(s) }),
        };
        let a = t.triage_line(&input);
        let b = t.triage_line(&input);
        prop_assert!(a.dup_of.is_none());
        prop_assert_eq!(a.redacted_text, b.redacted_text);
    }

    #[test]
    fn never_panics_on_utf8(s in "\\PC*") {
        let _ = ROUTER.route(&s);
        let _ = classify(&s);
        let r = redact(&s, &Identity { name: Some(s.chars().take(3).collect()), phone: Some(s.clone()), address: Some(s.clone()), id_number: Some(s.clone()), email: Some(s.clone()), handle: Some(s.clone()) });
        for sp in r.spans {
            prop_assert!(s.is_char_boundary(sp.start) && s.is_char_boundary(sp.end));
        }
    }
}
