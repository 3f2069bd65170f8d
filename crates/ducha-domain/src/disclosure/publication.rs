//! R2.2 publication: the draft → reviewed → published workflow, corrections as new versions with a
//! note, and the SM3 content hash of what was published.

use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

use crate::DomainError;

/// The content hash of a published disclosure: SM3 (GM/T 0004) over its stored JSON, hex.
pub fn content_hash(content: &str) -> String {
    hex_lower(&Sm3::digest(content.as_bytes()))
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The shortest correction note accepted, in characters.
pub const MIN_NOTE_CHARS: usize = 5;

/// A correction (a new version of a published disclosure) must say what changed and why.
pub fn check_correction_note(note: &str) -> Result<(), DomainError> {
    if note.trim().chars().count() < MIN_NOTE_CHARS {
        return Err(DomainError::invalid(
            "note",
            format!("更正须写明更正说明（至少{MIN_NOTE_CHARS}个字），公开页面将显示该说明"),
        ));
    }
    Ok(())
}

/// Where a disclosure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PubStatus {
    Draft,
    Reviewed,
    Published,
}

impl PubStatus {
    pub fn code(self) -> &'static str {
        match self {
            PubStatus::Draft => "draft",
            PubStatus::Reviewed => "reviewed",
            PubStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "draft" => Ok(PubStatus::Draft),
            "reviewed" => Ok(PubStatus::Reviewed),
            "published" => Ok(PubStatus::Published),
            other => Err(DomainError::invalid("status", format!("未知的公开状态“{other}”"))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PubStatus::Draft => "草稿",
            PubStatus::Reviewed => "已审核",
            PubStatus::Published => "已发布",
        }
    }
}

/// A step of the publication workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PubStep {
    /// Re-render the draft from current data.
    Refresh,
    Review,
    Publish,
}

/// The publication workflow: draft → reviewed → published; a refresh sends a reviewed draft back to
/// draft (what was reviewed is no longer what would be published); a published version never changes
/// (a correction is a new version). Code `disclosure_step_refused`.
pub fn publication_step(from: PubStatus, step: PubStep) -> Result<PubStatus, DomainError> {
    use PubStatus::*;
    use PubStep::*;
    match (from, step) {
        (Draft | Reviewed, Refresh) => Ok(Draft),
        (Draft, Review) => Ok(Reviewed),
        (Reviewed, Publish) => Ok(Published),
        (Draft, Publish) => {
            Err(DomainError::new("disclosure_step_refused", "草稿须先审核，审核通过后才能发布")
                .with_details(["审核"]))
        }
        (Reviewed, Review) => {
            Err(DomainError::new("disclosure_step_refused", "该版本已审核，可直接发布或重新生成草稿")
                .with_details(["发布", "重新生成"]))
        }
        (Published, _) => Err(DomainError::new(
            "disclosure_step_refused",
            "已发布的版本不可修改；如需更正，请发布更正版本并写明更正说明",
        )
        .with_details(["更正"])),
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r2_2_publication_workflow_table() {
        use PubStatus::*;
        use PubStep::*;
        let table = [
            (Draft, Refresh, Some(Draft)),
            (Draft, Review, Some(Reviewed)),
            (Draft, Publish, None),
            (Reviewed, Refresh, Some(Draft)),
            (Reviewed, Review, None),
            (Reviewed, Publish, Some(Published)),
            (Published, Refresh, None),
            (Published, Review, None),
            (Published, Publish, None),
        ];
        for (from, step, expect) in table {
            let got = publication_step(from, step);
            assert_eq!(got.as_ref().ok().copied(), expect, "{from:?} {step:?}");
            if let Err(e) = got {
                assert_eq!(e.code, "disclosure_step_refused");
                assert!(!e.details.is_empty());
            }
        }
        assert!(check_correction_note("改").is_err());
        assert!(check_correction_note("第3件处理情况录入有误，已更正罚款金额").is_ok());
        for s in [Draft, Reviewed, Published] {
            assert_eq!(PubStatus::parse(s.code()).ok(), Some(s));
        }
        // The content hash is SM3: the standard test vector "abc" (GB/T 32905 A.1).
        assert_eq!(content_hash("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }
}
