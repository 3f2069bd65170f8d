//! The confidential discipline channel (R6): anyone reports the inspection team's own conduct; only
//! the provincial office reads the reports, and every read is audited.

use ducha_domain::discipline::{DisciplineReport, may_read_discipline};
use ducha_store::audit::{self, AuditEntry};
use ducha_store::followup;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisciplineView {
    pub id: i64,
    pub at: i64,
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    pub status: String,
}

impl App {
    /// Anyone (staff or public) may report the inspection team's own conduct. Returns the report id.
    pub async fn submit_discipline_report(&self, mut report: DisciplineReport) -> Result<i64> {
        report.received_at = self.clock.now();
        report.validate()?;
        let contact = report.contact.take();
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let json = serde_json::to_string(&report).map_err(|e| AppError::internal(e.to_string()))?;
        let id = followup::insert_discipline(&mut tx, self.cipher.as_ref(), now, &json, contact.as_deref())
            .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                at_ms: now,
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: "督察纪律监督渠道".into(),
                action: "discipline.received".into(),
                entity_type: "discipline".into(),
                entity_id: id.to_string(),
                detail: serde_json::json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Only the provincial office reads discipline reports; every read is audited.
    pub async fn discipline_reports(&self, user: &CurrentUser) -> Result<Vec<DisciplineView>> {
        if !may_read_discipline(user.role) {
            return Err(AppError::forbidden("督察纪律问题反映仅省督察办可查看"));
        }
        let rows = followup::discipline_reports(&self.store).await?;
        let mut tx = self.store.begin().await?;
        audit::append(
            &mut tx,
            &user.audit(
                self.now_ms(),
                "discipline.read",
                "discipline",
                "list",
                serde_json::json!({ "count": rows.len() }),
            ),
        )
        .await?;
        tx.commit().await?;
        // A discipline report exists to name the team member concerned: names stay, contact data of
        // anyone (the reporter's own phone typed into the facts, say) is hidden.
        let shield = self.shield_none().await?.keeping_names();
        Ok(rows
            .into_iter()
            .map(|r| DisciplineView {
                id: r.id,
                at: r.at,
                report: crate::queries::screen_json(
                    &shield,
                    serde_json::from_str(&r.report).unwrap_or_default(),
                ),
                status: r.status,
            })
            .collect())
    }
}
