//! R2.1 the entry announcement (督察组进驻公告) and its TV crawl.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::campaign::AnsweringHours;
use crate::handling::date_cn;

/// 督察组进驻公告.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub campaign_name: String,
    pub team_name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub hotlines: Vec<String>,
    pub postal_box: String,
    pub hours: AnsweringHours,
    /// Where the team is stationed: `濮阳市` (city column) or the county's name.
    pub place: String,
}

impl Announcement {
    /// The prominent announcement's paragraphs.
    pub fn paragraphs(&self) -> Vec<String> {
        vec![
            format!(
                "根据工作安排，{}于{}至{}进驻{}开展{}。",
                self.team_name,
                date_cn(self.start),
                date_cn(self.end),
                self.place,
                self.campaign_name
            ),
            format!(
                "督察进驻期间（{}至{}）设立专门值班电话：{}，接听时间为{}；设立专门邮政信箱：{}。",
                date_cn(self.start),
                date_cn(self.end),
                self.hotlines.join("、"),
                self.hours.label(),
                self.postal_box
            ),
            "督察组主要受理生态环境保护方面的来电来信举报，其他不属于受理范围的信访问题将按规定转交被督察地方和有关部门处理。"
                .to_owned(),
            "举报人的个人信息依法予以保密。".to_owned(),
        ]
    }

    /// R2.1 the TV crawl: one line, everything a viewer needs.
    pub fn crawl_text(&self) -> String {
        format!(
            "【督察公告】{}于{}至{}进驻{}开展督察。举报电话：{}（{}）；邮政信箱：{}。",
            self.team_name,
            date_cn(self.start),
            date_cn(self.end),
            self.place,
            self.hotlines.join("、"),
            self.hours.label(),
            self.postal_box
        )
    }
}
#[cfg(test)]
mod tests {
    use crate::disclosure::fixtures::announcement;

    #[test]
    fn r2_1_announcement_and_crawl_carry_period_hotline_box_hours() {
        let a = announcement();
        let crawl = a.crawl_text();
        assert_eq!(
            crawl,
            "【督察公告】省第三督察组于2019年11月25日至2019年12月25日进驻濮阳县开展督察。\
             举报电话：0393-8991369、0393-8991370（每日8时至20时）；邮政信箱：濮阳市A001号邮政信箱。"
        );
        assert!(!crawl.contains('\n'));
        let text = a.paragraphs().join("");
        for must in [
            "2019年11月25日",
            "2019年12月25日",
            "0393-8991370",
            "每日8时至20时",
            "濮阳市A001号邮政信箱",
            "保密",
        ] {
            assert!(text.contains(must), "{must}");
        }
        let mut other = a.clone();
        other.hours.end = chrono::NaiveTime::from_hms_opt(21, 30, 0).unwrap();
        assert!(other.crawl_text().contains("每日8时至21时30分"));
    }
}
