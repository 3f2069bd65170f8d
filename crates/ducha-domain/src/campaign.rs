//! The campaign (督察): one inspection round in one area.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Daily answering hours of the hotline, also the window of one batch's intake (default 08:00–20:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnsweringHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for AnsweringHours {
    fn default() -> Self {
        Self {
            start: NaiveTime::from_hms_opt(8, 0, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(20, 0, 0).expect("valid time"),
        }
    }
}

impl AnsweringHours {
    /// `每日8时至20时` as the notice writes it.
    pub fn label(&self) -> String {
        use chrono::Timelike;
        let part = |t: NaiveTime| {
            if t.minute() == 0 {
                format!("{}时", t.hour())
            } else {
                format!("{}时{}分", t.hour(), t.minute())
            }
        };
        format!("每日{}至{}", part(self.start), part(self.end))
    }
}

/// What a campaign must have before it can run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignSpec {
    pub name: String,
    pub team_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub hotlines: Vec<String>,
    pub postal_box: String,
    pub hours: AnsweringHours,
    /// Round number, e.g. `3` for the third round; used in accept numbers.
    pub round: u32,
    /// Province letters for accept numbers, e.g. `HA` for Henan.
    pub province_letters: String,
    /// County-level region codes covered.
    pub regions: Vec<String>,
}

impl CampaignSpec {
    /// Check everything a person could get wrong, naming the field.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::invalid("name", "督察名称不能为空"));
        }
        if self.team_name.trim().is_empty() {
            return Err(DomainError::invalid("team_name", "督察组名称不能为空"));
        }
        if self.end_date < self.start_date {
            return Err(DomainError::invalid("end_date", "进驻结束日期不能早于开始日期"));
        }
        if self.hotlines.is_empty() || self.hotlines.iter().any(|h| h.trim().is_empty()) {
            return Err(DomainError::invalid("hotlines", "至少需要一个举报电话"));
        }
        if self.hours.end <= self.hours.start {
            return Err(DomainError::invalid("hours", "接听结束时间应晚于开始时间"));
        }
        if self.round == 0 || self.round > 99 {
            return Err(DomainError::invalid("round", "督察轮次应为1至99"));
        }
        let letters = self.province_letters.as_str();
        if letters.len() != 2 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(DomainError::invalid("province_letters", "省份字母应为两个大写字母，如 HA"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> CampaignSpec {
        CampaignSpec {
            name: "河南省“三散”污染治理专项督察".into(),
            team_name: "省第三督察组".into(),
            start_date: NaiveDate::from_ymd_opt(2019, 11, 25).expect("date"),
            end_date: NaiveDate::from_ymd_opt(2019, 12, 25).expect("date"),
            hotlines: vec!["0393-12369".into()],
            postal_box: "濮阳市A001号邮政信箱".into(),
            hours: AnsweringHours::default(),
            round: 3,
            province_letters: "HA".into(),
            regions: vec!["410928".into()],
        }
    }

    #[test]
    fn campaign_validation() {
        assert!(spec().validate().is_ok());
        assert_eq!(AnsweringHours::default().label(), "每日8时至20时");
        let cases: Vec<(fn(&mut CampaignSpec), &str)> = vec![
            (|s| s.name = " ".into(), "name"),
            (|s| s.end_date = NaiveDate::from_ymd_opt(2019, 1, 1).expect("date"), "end_date"),
            (|s| s.hotlines.clear(), "hotlines"),
            (|s| s.province_letters = "ha".into(), "province_letters"),
            (|s| s.round = 0, "round"),
            (|s| std::mem::swap(&mut s.hours.start, &mut s.hours.end), "hours"),
        ];
        for (mutate, field) in cases {
            let mut s = spec();
            mutate(&mut s);
            assert_eq!(s.validate().unwrap_err().field.as_deref(), Some(field));
        }
    }
}
