//! The recipients' side: alerts, escalations and copies delivered to a unit, and their acknowledgement.

use ducha_domain::role::Role;
use ducha_store::audit;
use ducha_store::opinion::{self, NoteRow};

use crate::auth::CurrentUser;
use crate::opinion::read_scope;
use crate::{App, AppError, Result};

use super::{AckInput, AlertView, trimmed};

impl App {
    /// Alerts, escalations and copies delivered to the user's unit (quiet hours respected).
    pub async fn my_opinion_alerts(&self, user: &CurrentUser) -> Result<Vec<AlertView>> {
        read_scope(user)?;
        let mut out = Vec::new();
        for a in opinion::alerts_for_unit(&self.store, user.unit.id, self.now_ms(), 200).await? {
            out.push(self.alert_view(a).await?);
        }
        Ok(out)
    }

    /// Acknowledge an alert (township), an escalation (team) or a copy (city office).
    pub async fn acknowledge_opinion_alert(
        &self,
        user: &CurrentUser,
        alert_id: i64,
        input: &AckInput,
    ) -> Result<AlertView> {
        let now = self.now_ms();
        let not_found = || AppError::not_found("alert_not_found", "未找到该预警，或该预警不是发给本单位的");
        let mut tx = self.store.begin().await?;
        let a = opinion::alert_for_update(&mut tx, alert_id).await?.ok_or_else(not_found)?;
        if a.unit_id != user.unit.id || a.deliver_after > now {
            return Err(not_found());
        }
        let role_ok = match a.kind.as_str() {
            "alert" => user.role == Role::Handler,
            "escalation" => user.role == Role::Team,
            "copy" => user.role == Role::Office,
            _ => false,
        };
        if !role_ok {
            return Err(AppError::forbidden("您的角色不能签收此项"));
        }
        let note = trimmed(&input.note);
        if !opinion::acknowledge_alert(&mut tx, alert_id, user.id, now, note.as_deref()).await? {
            return Err(AppError::conflict("already_acknowledged", "已签收，无需重复签收"));
        }
        if let Some(n) = &note {
            opinion::insert_note(
                &mut tx,
                &NoteRow {
                    id: 0,
                    item_id: a.item_id,
                    at: now,
                    user_id: Some(user.id),
                    author_name: format!("{}（{}）", user.display_name, user.unit.name),
                    action: "acknowledge".into(),
                    body: n.clone(),
                },
            )
            .await?;
        }
        audit::append(
            &mut tx,
            &user.audit(
                now,
                "opinion.acknowledge",
                "opinion_item",
                a.item_id,
                serde_json::json!({ "alert_id": alert_id, "kind": a.kind, "note": note }),
            ),
        )
        .await?;
        tx.commit().await?;
        let row = opinion::alerts_for_item(&self.store, a.item_id)
            .await?
            .into_iter()
            .find(|x| x.id == alert_id)
            .ok_or_else(not_found)?;
        self.alert_view(row).await
    }
}
