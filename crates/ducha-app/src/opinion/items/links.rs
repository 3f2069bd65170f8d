//! The desk's own links between an item and a case: link by accept number or id, unlink.

use ducha_store::audit;
use ducha_store::opinion::{self, ItemScope};

use crate::auth::CurrentUser;
use crate::opinion::{desk_scope, opinion_not_found};
use crate::{App, AppError, Result};

use super::ItemDetail;

impl App {
    /// Link an item to a case by accept number or id (the desk's own judgement).
    pub async fn link_opinion_case(&self, user: &CurrentUser, id: i64, case_key: &str) -> Result<ItemDetail> {
        let scope = desk_scope(user)?;
        if !opinion::item_in_scope(&self.store, &scope, id).await? {
            return Err(opinion_not_found());
        }
        // A case of another county answers exactly like one that does not exist.
        let not_found = || {
            AppError::invalid(
                "case",
                format!("未找到受理编号为“{}”的案件，或该案件不在本县（区）", case_key.trim()),
            )
        };
        let case = opinion::case_for_link(&self.store, case_key).await?.ok_or_else(not_found)?;
        if let ItemScope::County(c) = &scope
            && case.county_code.as_deref() != Some(c.as_str())
        {
            return Err(not_found());
        }
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let added = opinion::insert_link(
            &mut tx,
            id,
            case.id,
            0,
            "[\"舆情专员人工关联\"]",
            "manual",
            Some(user.id),
            now,
        )
        .await?;
        if !added {
            return Err(AppError::conflict("already_linked", format!("已关联案件 {}", case.accept_no)));
        }
        audit::append(
            &mut tx,
            &user.audit(
                now,
                "opinion.link",
                "opinion_item",
                id,
                serde_json::json!({ "case_id": case.id, "accept_no": case.accept_no }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.opinion_item(user, id).await
    }

    pub async fn unlink_opinion_case(&self, user: &CurrentUser, id: i64, case_id: i64) -> Result<ItemDetail> {
        let scope = desk_scope(user)?;
        if !opinion::item_in_scope(&self.store, &scope, id).await? {
            return Err(opinion_not_found());
        }
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        if !opinion::delete_link(&mut tx, id, case_id).await? {
            return Err(AppError::not_found("link_not_found", "该舆情未关联此案件"));
        }
        audit::append(
            &mut tx,
            &user.audit(now, "opinion.unlink", "opinion_item", id, serde_json::json!({ "case_id": case_id })),
        )
        .await?;
        tx.commit().await?;
        self.opinion_item(user, id).await
    }
}
