//! Callbacks (回访): after closing, the complainant is asked whether they are satisfied. A 不满意
//! answer sends the case back to the county for review.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// 满意度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// 满意.
    Satisfied,
    /// 基本满意.
    BasicallySatisfied,
    /// 不满意.
    Dissatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] =
        [Satisfaction::Satisfied, Satisfaction::BasicallySatisfied, Satisfaction::Dissatisfied];

    pub fn code(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::BasicallySatisfied => "basically_satisfied",
            Satisfaction::Dissatisfied => "dissatisfied",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::BasicallySatisfied => "基本满意",
            Satisfaction::Dissatisfied => "不满意",
        }
    }

    /// Accepts the code or the Chinese label (the public form posts either).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        Self::ALL.into_iter().find(|x| x.code() == s || x.label() == s).ok_or_else(|| {
            DomainError::invalid("satisfaction", format!("未知的满意度“{s}”（应为满意、基本满意或不满意）"))
        })
    }
}

/// How the callback was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackChannel {
    /// An operator phoned.
    Phone,
    /// The complainant answered the public form reached by a signed link.
    WebForm,
    /// 上门回访.
    Visit,
}

/// What came of the attempt. Only `Answered` is a valid callback for the satisfaction rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum CallbackResult {
    Answered {
        satisfaction: Satisfaction,
    },
    /// 无法联系 (no answer, wrong number, the complainant left no contact).
    NotReached,
    /// 拒绝评价.
    Declined,
}

/// One callback on one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callback {
    pub case_id: String,
    pub at: DateTime<Utc>,
    pub channel: CallbackChannel,
    pub result: CallbackResult,
    /// What the complainant said.
    #[serde(default)]
    pub comment: String,
}

impl Callback {
    /// The satisfaction, when the callback counts (the complainant answered).
    pub fn satisfaction(&self) -> Option<Satisfaction> {
        match self.result {
            CallbackResult::Answered { satisfaction } => Some(satisfaction),
            CallbackResult::NotReached | CallbackResult::Declined => None,
        }
    }

    /// A callback names its case; the result type leaves nothing else to get wrong.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.case_id.trim().is_empty() {
            return Err(DomainError::invalid("case_id", "回访未关联案件"));
        }
        Ok(())
    }
}

/// A 不满意 answer reopens the case for review by the county.
pub fn callback_requires_review(cb: &Callback) -> bool {
    cb.satisfaction() == Some(Satisfaction::Dissatisfied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r5_4_only_dissatisfied_answers_require_review() {
        let at = crate::time::from_millis(1_575_000_000_000);
        let cb = |result| Callback {
            case_id: "D3HA201911250011".into(),
            at,
            channel: CallbackChannel::Phone,
            result,
            comment: String::new(),
        };
        let table = [
            (CallbackResult::Answered { satisfaction: Satisfaction::Satisfied }, false, Some("满意")),
            (
                CallbackResult::Answered { satisfaction: Satisfaction::BasicallySatisfied },
                false,
                Some("基本满意"),
            ),
            (CallbackResult::Answered { satisfaction: Satisfaction::Dissatisfied }, true, Some("不满意")),
            (CallbackResult::NotReached, false, None),
            (CallbackResult::Declined, false, None),
        ];
        for (result, review, label) in table {
            let c = cb(result);
            assert_eq!(callback_requires_review(&c), review, "{result:?}");
            assert_eq!(c.satisfaction().map(Satisfaction::label), label);
            assert!(c.validate().is_ok());
        }
        let json =
            serde_json::to_string(&cb(CallbackResult::Answered { satisfaction: Satisfaction::Dissatisfied }))
                .unwrap();
        assert!(json.contains(r#""result":"answered","satisfaction":"dissatisfied""#), "{json}");
        for s in Satisfaction::ALL {
            assert_eq!(Satisfaction::parse(s.label()).ok(), Some(s));
            assert_eq!(Satisfaction::parse(s.code()).ok(), Some(s));
        }
        assert!(Satisfaction::parse("还行").is_err());
        let mut bad = cb(CallbackResult::Declined);
        bad.case_id = " ".into();
        assert!(bad.validate().is_err());
    }
}
