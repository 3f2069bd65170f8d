//! R2.5 the short text for WeChat / Weibo.

use super::statistics::{BatchRef, ColumnRef, Stats, wan_cn};
use super::table::PublicCase;
use crate::handling::MeasureKind;

/// The longest short text, in characters, without the link (a Weibo post shows 140 characters before
/// folding, and counts a link as a short fixed length).
pub const SOCIAL_MAX_CHARS: usize = 120;

/// R2.5 a ready-to-post short text for one batch, with its link.
pub fn social_text(batch: &BatchRef, column: &ColumnRef, rows: &[PublicCase], link: &str) -> String {
    let s = Stats::of(rows, column.is_city());
    let mut text = format!(
        "【边督边改】{}第{}批交办件办理情况公开：督察组交办{}件，已办结{}件、阶段性办结{}件",
        column.name, batch.number, s.total, s.closed, s.partly_closed
    );
    let mut extra = Vec::new();
    if s.measure(MeasureKind::OrderCorrection) > 0 {
        extra.push(format!("责令改正{}家", s.measure(MeasureKind::OrderCorrection)));
    }
    if s.measure(MeasureKind::Penalty) > 0 {
        extra.push(format!("立案处罚{}家、罚款{}", s.measure(MeasureKind::Penalty), wan_cn(s.fine_yuan)));
    }
    if s.measure(MeasureKind::CloseBan) > 0 {
        extra.push(format!("关停取缔{}家", s.measure(MeasureKind::CloseBan)));
    }
    for e in extra {
        if text.chars().count() + e.chars().count() + 1 > SOCIAL_MAX_CHARS - 8 {
            break;
        }
        text.push('；');
        text.push_str(&e);
    }
    text.push_str("。详情：");
    format!("{text}{link}")
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::fixtures::{batch, city, rows};

    #[test]
    fn r2_5_social_text_is_short_and_links() {
        let link = "https://example.gov.cn/gongkai/batch/2/";
        let t = social_text(&batch(), &city(), &rows(), link);
        assert!(t.ends_with(link));
        let body = t.trim_end_matches(link);
        assert!(body.chars().count() <= SOCIAL_MAX_CHARS, "{} chars: {body}", body.chars().count());
        assert_eq!(
            body,
            "【边督边改】濮阳市第2批交办件办理情况公开：督察组交办3件，已办结1件、阶段性办结1件；责令改正2家；立案处罚2家、罚款12.5万元；关停取缔1家。详情："
        );
        let long = ColumnRef {
            county_code: Some("410990".into()),
            name: "濮阳市城乡一体化示范区（示范区管委会）".repeat(2),
        };
        let t = social_text(&batch(), &long, &rows(), link);
        assert!(t.trim_end_matches(link).chars().count() <= SOCIAL_MAX_CHARS, "{t}");
    }
}
