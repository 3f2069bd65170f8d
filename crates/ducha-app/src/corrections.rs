//! Staff corrections of triage (issue 3): the case page shows why triage placed and typed a case, and
//! intake operators, the team and the city office may correct it. Each changed field is kept as a
//! correction row (old and new value) and in the audit trail, and the corrected cases export as
//! labelled JSONL in the evaluation-set format, so `ducha triage --eval` can learn from them.
//!
//! The region decides who handles a case, so it can only be corrected before the case leaves the team
//! (received or returned to the team); types and the 三散 category can be corrected until it is closed.

use ducha_domain::role::Role;
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Stage;
use ducha_store::{audit, cases, directory};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

/// The corrected triage fields. A field left out (null) keeps its value; an empty string clears an
/// optional one (township, village, 三散).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageCorrectionInput {
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub pollution_types: Option<Vec<String>>,
    pub sansan: Option<String>,
    /// Why (optional, kept with the audit record).
    pub reason: Option<String>,
}

/// What changed: field, old and new value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionView {
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub at_ms: i64,
}

/// Who may correct triage: the people who triage (operators, the team) and the city office.
pub fn may_correct(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Operator | Role::Team)
        || (user.role == Role::Office && user.level == UnitLevel::City)
}

fn clean(v: &Option<String>) -> Option<Option<String>> {
    v.as_ref().map(|s| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_owned())
    })
}

impl App {
    /// Apply a correction; returns the fields that changed (none if the values were already so).
    pub async fn correct_triage(
        &self,
        user: &CurrentUser,
        case_id: i64,
        input: &TriageCorrectionInput,
    ) -> Result<Vec<CorrectionView>> {
        if !may_correct(user) {
            return Err(AppError::forbidden("只有接线员、督察组和市攻坚办可以更正分拣结果"));
        }
        let current = self.visible_case(user, case_id).await?;
        if matches!(current.stage, Stage::Closed | Stage::PartlyClosed) {
            return Err(AppError::conflict("triage_case_closed", "案件已办结，分拣结果不再更正"));
        }
        let reason = input.reason.as_deref().map(str::trim).unwrap_or("");
        if reason.chars().count() > 500 {
            return Err(AppError::invalid("reason", "更正理由不能超过500字"));
        }
        // The reason goes into the case history every role reads: through the case's firewall.
        let reason_screened = self.screen_for_case(case_id, reason).await?;

        // Validate every given value before anything is written.
        let county = match clean(&input.county_code) {
            Some(None) => return Err(AppError::invalid("county_code", "县（区）不能为空")),
            other => other.flatten(),
        };
        let township = clean(&input.township_code);
        let village = clean(&input.village_code);
        for (field, code) in [
            ("county_code", county.as_ref()),
            ("township_code", township.as_ref().and_then(|t| t.as_ref())),
            ("village_code", village.as_ref().and_then(|v| v.as_ref())),
        ] {
            if let Some(c) = code
                && c != "OUTSIDE"
                && directory::region(&self.store, c).await?.is_none()
            {
                return Err(AppError::invalid(field, format!("区划代码“{c}”不存在")));
            }
        }
        let new_county = county.clone().or(current.county_code.clone());
        // A lower level left out follows the level above it: a new county clears the township, a new
        // township clears the village (they could not belong to the new place).
        let new_township = match township.clone() {
            Some(t) => t,
            None if new_county != current.county_code => None,
            None => current.township_code.clone(),
        };
        let new_village = match village.clone() {
            Some(v) => v,
            None if new_township != current.township_code => None,
            None => current.village_code.clone(),
        };
        if let (Some(c), Some(t)) = (&new_county, &new_township)
            && c != "OUTSIDE"
            && !t.starts_with(c.as_str())
        {
            return Err(AppError::invalid("township_code", "乡镇（街道）不在所选县（区）内"));
        }
        if let (Some(t), Some(v)) = (&new_township, &new_village)
            && !v.starts_with(t.as_str())
        {
            return Err(AppError::invalid("village_code", "村（社区）不在所选乡镇（街道）内"));
        }
        let types = match &input.pollution_types {
            Some(t) => {
                if t.is_empty() {
                    return Err(AppError::invalid("pollution_types", "至少选择一种污染类型"));
                }
                let mut out: Vec<&str> = Vec::new();
                for x in t {
                    let x = x.trim();
                    if !crate::triage::POLLUTION_TYPES.contains(&x) {
                        return Err(AppError::invalid("pollution_types", format!("未知的污染类型“{x}”")));
                    }
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
                // Canonical order, so the same set compares equal.
                out.sort_by_key(|x| crate::triage::POLLUTION_TYPES.iter().position(|p| p == x));
                Some(out.join(","))
            }
            None => None,
        };
        let sansan = clean(&input.sansan);
        if let Some(Some(s)) = &sansan
            && !crate::triage::SANSAN.contains(&s.as_str())
        {
            return Err(AppError::invalid("sansan", format!("未知的三散类别“{s}”")));
        }

        let region_changes = new_county != current.county_code
            || new_township != current.township_code
            || new_village != current.village_code;
        if region_changes && !matches!(current.stage, Stage::Received | Stage::ReturnedTeam) {
            return Err(AppError::conflict(
                "triage_region_locked",
                "案件已交办，行政区域不能在此更正；请由承办单位退回督察组后再更正并重新交办",
            ));
        }

        let mut changes: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
        if new_county != current.county_code {
            changes.push(("county_code", current.county_code.clone(), new_county.clone()));
        }
        if new_township != current.township_code {
            changes.push(("township_code", current.township_code.clone(), new_township.clone()));
        }
        if new_village != current.village_code {
            changes.push(("village_code", current.village_code.clone(), new_village.clone()));
        }
        if let Some(t) = &types
            && *t != current.pollution_types
        {
            changes.push(("pollution_types", Some(current.pollution_types.clone()), Some(t.clone())));
        }
        if let Some(s) = &sansan
            && *s != current.sansan
        {
            changes.push(("sansan", current.sansan.clone(), s.clone()));
        }
        if changes.is_empty() {
            return Ok(Vec::new());
        }

        let now_ms = self.now_ms();
        let mut tx = self.store.begin().await?;
        let row = cases::get_for_update(&mut tx, case_id).await?.ok_or_else(AppError::case_not_found)?;
        let mut patch = cases::CasePatch::default();
        for (field, _, new) in &changes {
            match *field {
                "county_code" => {
                    patch.county_code = Some(new.clone());
                    let unit = match new {
                        Some(c) => directory::county_unit_for_region(&self.store, c).await?.map(|u| u.id),
                        None => None,
                    };
                    patch.county_unit_id = Some(unit);
                }
                "township_code" => patch.township_code = Some(new.clone()),
                "village_code" => patch.village_code = Some(new.clone()),
                "pollution_types" => patch.pollution_types = new.clone(),
                _ => patch.sansan = Some(new.clone()),
            }
        }
        cases::update(&mut tx, case_id, row.version, &patch, now_ms).await?;
        for (field, old, new) in &changes {
            cases::insert_triage_correction(
                &mut tx,
                case_id,
                field,
                old.as_deref(),
                new.as_deref(),
                user.id,
                now_ms,
            )
            .await?;
        }
        let detail = serde_json::json!({
            "changes": changes.iter().map(|(f, o, n)| serde_json::json!({ "field": f, "old": o, "new": n })).collect::<Vec<_>>(),
            "reason": reason_screened.as_str(),
        });
        audit::append(&mut tx, &user.audit(now_ms, "case.triage_corrected", "case", case_id, detail)).await?;
        tx.commit().await?;
        Ok(changes
            .into_iter()
            .map(|(f, o, n)| CorrectionView {
                field: f.to_owned(),
                old_value: o,
                new_value: n,
                at_ms: now_ms,
            })
            .collect())
    }

    /// The corrections of one case, for its page.
    pub async fn triage_corrections(&self, user: &CurrentUser, case_id: i64) -> Result<Vec<CorrectionView>> {
        self.visible_case(user, case_id).await?;
        Ok(cases::triage_corrections(&self.store, case_id)
            .await?
            .into_iter()
            .map(|r| CorrectionView {
                field: r.field,
                old_value: r.old_value,
                new_value: r.new_value,
                at_ms: r.at,
            })
            .collect())
    }

    /// Every corrected case as one labelled JSONL line in the evaluation-set format (the redacted text
    /// and the labels as corrected): data for `ducha triage --eval`. Team and city office only.
    pub async fn corrections_jsonl(&self, user: &CurrentUser) -> Result<String> {
        if !(user.role == Role::Team || (user.role == Role::Office && user.level == UnitLevel::City)) {
            return Err(AppError::forbidden("只有督察组和市攻坚办可以导出更正数据"));
        }
        let mut out = String::new();
        for id in cases::corrected_case_ids(&self.store).await? {
            let Some(c) = cases::get(&self.store, id).await? else { continue };
            let fields: Vec<String> =
                cases::triage_corrections(&self.store, id).await?.into_iter().map(|r| r.field).collect();
            let mut fields_unique: Vec<String> = Vec::new();
            for f in fields {
                if !fields_unique.contains(&f) {
                    fields_unique.push(f);
                }
            }
            let line = serde_json::json!({
                "id": c.accept_no,
                "text": self.screen_for_case(c.id, &c.redacted_text).await?.as_str(),
                "channel": c.channel,
                "expected": {
                    "county_code": c.county_code.clone().unwrap_or_else(|| "UNKNOWN".into()),
                    "township_code": c.township_code,
                    "village_code": c.village_code,
                    "pollution_types": c.pollution_types.split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
                    "sansan": c.sansan,
                    "note": format!("人工更正：{}", fields_unique.join("、")),
                },
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
        Ok(out)
    }
}
