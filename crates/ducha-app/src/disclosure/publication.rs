//! The publication workflow of a column's batch disclosure: draft, correction, review, publication
//! (its SM3 content hash into the audit chain), discard, and the staff's reads of the versions.

use ducha_domain::disclosure::{self, ColumnRef, PubStatus, PubStep};
use ducha_domain::time::from_millis;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::batches::{self, BatchRow};
use ducha_store::cases::{self, CaseFilter, Scope};
use ducha_store::directory::CampaignRow;
use ducha_store::disclosure::{self as store, DisclosureRow, NewDisclosure};

use super::{
    DisclosureDoc, DisclosureView, IdentityHit, StaffBatch, VersionInfoStaff, info_of, parse_doc, view_of,
};
use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

fn audit_public(
    now: i64,
    user: &CurrentUser,
    action: &str,
    id: i64,
    detail: serde_json::Value,
) -> AuditEntry {
    user.audit(now, action, "disclosure", id, detail)
}

impl App {
    fn encode(doc: &DisclosureDoc) -> Result<(String, String)> {
        let content = serde_json::to_string(doc).map_err(|e| AppError::internal(e.to_string()))?;
        let hash = disclosure::content_hash(&content);
        Ok((content, hash))
    }

    async fn batch_of_campaign(&self, campaign: &CampaignRow, batch_id: i64) -> Result<BatchRow> {
        batches::get(&self.store, batch_id)
            .await?
            .filter(|b| b.campaign_id == campaign.id)
            .ok_or_else(|| AppError::not_found("batch_not_found", "未找到该交办批次"))
    }

    /// Draft (or re-render the current draft of) the user's column for one batch.
    pub async fn draft_disclosure(&self, user: &CurrentUser, batch_id: i64) -> Result<DisclosureView> {
        let column = self.column_of(user).await?;
        let campaign = self.campaign().await?;
        let batch = self.batch_of_campaign(&campaign, batch_id).await?;
        let existing = store::versions(&self.store, batch.id, &column.code()).await?;
        let (doc, _, mut hits) = self.render_disclosure(&campaign, &batch, &column).await?;
        if let Some(latest) = existing.first().filter(|l| l.status != PubStatus::Published.code()) {
            // A correction draft keeps its note, and the note's findings.
            let shield = self.shield_none().await?;
            hits.extend(
                shield.findings(&latest.note).into_iter().map(|f| IdentityHit::of(None, "", "更正说明", f)),
            );
        }
        let hits_json = serde_json::to_string(&hits).map_err(|e| AppError::internal(e.to_string()))?;
        let (content, hash) = Self::encode(&doc)?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = match existing.first() {
            Some(latest) if latest.status != PubStatus::Published.code() => {
                disclosure::publication_step(PubStatus::parse(&latest.status)?, PubStep::Refresh)?;
                store::refresh(&mut tx, latest.id, doc.layout.code(), &content, &hash, &hits_json, now)
                    .await?;
                latest.id
            }
            Some(_) => {
                return Err(AppError::conflict(
                    "disclosure_already_published",
                    "该批次已发布；如需更正或更新办理进展，请发布更正版本并写明更正说明",
                ));
            }
            None => {
                let (id, _) = store::insert_draft(
                    &mut tx,
                    &NewDisclosure {
                        campaign_id: campaign.id,
                        batch_id: batch.id,
                        column_code: column.code(),
                        layout: doc.layout.code().into(),
                        content,
                        content_hash: hash.clone(),
                        note: String::new(),
                        created_at: now,
                        created_by: Some(user.id),
                        identity_hits: hits_json.clone(),
                    },
                )
                .await?;
                id
            }
        };
        audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.draft",
                id,
                serde_json::json!({ "batch": batch.number, "column": column.code(), "content_hash": hash, "rows": doc.rows.len(), "identity_hits": hits.len() }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.disclosure_for_staff(user, id).await
    }

    /// Start a correction: a new draft version of a published batch disclosure, with the note the public
    /// will see.
    pub async fn correct_disclosure(
        &self,
        user: &CurrentUser,
        batch_id: i64,
        note: &str,
    ) -> Result<DisclosureView> {
        disclosure::check_correction_note(note)?;
        let column = self.column_of(user).await?;
        let campaign = self.campaign().await?;
        let batch = self.batch_of_campaign(&campaign, batch_id).await?;
        let existing = store::versions(&self.store, batch.id, &column.code()).await?;
        match existing.first() {
            Some(l) if l.status == PubStatus::Published.code() => {}
            Some(_) => {
                return Err(AppError::conflict(
                    "disclosure_unpublished_version_exists",
                    "该批次已有未发布的版本，请先审核发布或修改该版本",
                ));
            }
            None => {
                return Err(AppError::conflict(
                    "disclosure_not_published",
                    "该批次尚未发布，无需更正，请直接生成草稿",
                ));
            }
        }
        let (doc, _, mut hits) = self.render_disclosure(&campaign, &batch, &column).await?;
        // The note is public: it is kept firewalled, and what the firewall hid in it is listed.
        let shield = self.shield_none().await?;
        hits.extend(
            shield.findings(note.trim()).into_iter().map(|f| IdentityHit::of(None, "", "更正说明", f)),
        );
        let note = shield.screen(note.trim());
        let note = note.as_str();
        let hits_json = serde_json::to_string(&hits).map_err(|e| AppError::internal(e.to_string()))?;
        let (content, hash) = Self::encode(&doc)?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let (id, version) = store::insert_draft(
            &mut tx,
            &NewDisclosure {
                campaign_id: campaign.id,
                batch_id: batch.id,
                column_code: column.code(),
                layout: doc.layout.code().into(),
                content,
                content_hash: hash.clone(),
                note: note.trim().to_owned(),
                created_at: now,
                created_by: Some(user.id),
                identity_hits: hits_json,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.correct",
                id,
                serde_json::json!({ "batch": batch.number, "column": column.code(), "version": version, "note": note.trim(), "content_hash": hash }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.disclosure_for_staff(user, id).await
    }

    async fn own_version(
        &self,
        tx: &mut ducha_store::Tx,
        user: &CurrentUser,
        id: i64,
    ) -> Result<(DisclosureRow, ColumnRef)> {
        let column = self.column_of(user).await?;
        let row =
            store::get_for_update(tx, id).await?.filter(|r| r.column_code == column.code()).ok_or_else(
                || AppError::not_found("disclosure_not_found", "未找到该公开版本，或不属于本单位专栏"),
            )?;
        Ok((row, column))
    }

    /// R2 publication four-eyes: where the campaign has the rule, whoever drafted a version — created
    /// it, or re-generated its content later (a refresh or a correction, as the audit trail records) —
    /// may neither review nor publish it (`step` names the refused act in the message).
    async fn check_four_eyes(&self, row: &DisclosureRow, user: &CurrentUser, step: &str) -> Result<()> {
        let Some(campaign) = ducha_store::directory::campaign(&self.store, row.campaign_id).await? else {
            return Ok(());
        };
        if !crate::settings::CampaignSettings::of(&campaign).four_eyes() {
            return Ok(());
        }
        let drafted = row.created_by == Some(user.id)
            || audit::for_entity(&self.store, "disclosure", &row.id.to_string()).await?.iter().any(|r| {
                r.actor_user_id == Some(user.id)
                    && matches!(r.action.as_str(), "disclosure.draft" | "disclosure.correct")
            });
        if drafted {
            return Err(AppError::new(
                crate::error::ErrorKind::Rule,
                "four_eyes_drafter",
                format!(
                    "本版本由您起草。按本轮督察的公开信息双人把关规则，起草人不能{step}，请由本单位其他工作人员{step}"
                ),
            ));
        }
        Ok(())
    }

    /// Mark a draft reviewed (审核). What was reviewed is exactly what will be published: a later
    /// refresh sends it back to draft.
    pub async fn review_disclosure(&self, user: &CurrentUser, id: i64) -> Result<DisclosureView> {
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let (row, column) = self.own_version(&mut tx, user, id).await?;
        disclosure::publication_step(PubStatus::parse(&row.status)?, PubStep::Review)?;
        self.check_four_eyes(&row, user, "审核").await?;
        store::mark_reviewed(&mut tx, id, user.id, now).await?;
        audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.review",
                id,
                serde_json::json!({ "column": column.code(), "version": row.version, "content_hash": row.content_hash }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.disclosure_for_staff(user, id).await
    }

    /// Publish a reviewed version: the content hash goes into the audit trail in the same transaction and
    /// the row becomes immutable.
    pub async fn publish_disclosure(&self, user: &CurrentUser, id: i64) -> Result<DisclosureView> {
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let (row, column) = self.own_version(&mut tx, user, id).await?;
        disclosure::publication_step(PubStatus::parse(&row.status)?, PubStep::Publish)?;
        self.check_four_eyes(&row, user, "发布").await?;
        let hits: Vec<IdentityHit> = serde_json::from_str(&row.identity_hits).unwrap_or_default();
        if !hits.is_empty() {
            return Err(AppError::conflict(
                "identity_in_disclosure",
                format!(
                    "本版本的办理报告或更正说明中有{}处疑似举报人信息（已在公开内容中隐去），请先由填报单位修改后重新生成草稿，再审核发布",
                    hits.len()
                ),
            ));
        }
        // The stored content must still be what was hashed and reviewed.
        if disclosure::content_hash(&row.content) != row.content_hash {
            return Err(AppError::internal(format!("disclosure {id}: content does not match its hash")));
        }
        let doc = parse_doc(&row)?;
        let mut case_ids = Vec::with_capacity(doc.rows.len());
        for r in &doc.rows {
            if let Some(c) = cases::get_by_accept_no(&self.store, &r.accept_no).await? {
                case_ids.push(c.id);
            }
        }
        let seq = audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.publish",
                id,
                serde_json::json!({
                    "batch": doc.batch.number,
                    "column": column.code(),
                    "version": row.version,
                    "content_hash": row.content_hash,
                    "hash_algorithm": "SM3",
                    "rows": doc.rows.len(),
                    "note": row.note,
                }),
            ),
        )
        .await?;
        store::mark_published(&mut tx, id, user.id, now, seq, &case_ids).await?;
        tx.commit().await?;
        self.disclosure_for_staff(user, id).await
    }

    /// Throw away an unpublished version.
    pub async fn discard_disclosure(&self, user: &CurrentUser, id: i64) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let (row, column) = self.own_version(&mut tx, user, id).await?;
        if row.status == PubStatus::Published.code()
            && let Err(e) = disclosure::publication_step(PubStatus::Published, PubStep::Refresh)
        {
            return Err(e.into());
        }
        store::discard(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.discard",
                id,
                serde_json::json!({ "column": column.code(), "version": row.version }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One version of the user's column (any status).
    pub async fn disclosure_for_staff(&self, user: &CurrentUser, id: i64) -> Result<DisclosureView> {
        let column = self.column_of(user).await?;
        let row = store::get(&self.store, id).await?.filter(|r| r.column_code == column.code()).ok_or_else(
            || AppError::not_found("disclosure_not_found", "未找到该公开版本，或不属于本单位专栏"),
        )?;
        let earlier = store::published_versions(&self.store, row.batch_id, &row.column_code)
            .await?
            .iter()
            .filter(|r| r.version < row.version)
            .map(info_of)
            .collect();
        view_of(&row, earlier)
    }

    /// The staff publication page: every batch of the campaign with the user's column's versions.
    pub async fn staff_batches(&self, user: &CurrentUser) -> Result<(ColumnRef, Vec<StaffBatch>)> {
        let column = self.column_of(user).await?;
        let campaign = self.campaign().await?;
        let all = store::all_versions(&self.store, campaign.id).await?;
        let mut out = Vec::new();
        for b in batches::list(&self.store, campaign.id).await? {
            let f = CaseFilter {
                campaign_id: Some(campaign.id),
                batch_id: Some(b.id),
                county_code: column.county_code.clone(),
                limit: 1,
                ..CaseFilter::default()
            };
            let (_, n) = cases::list(&self.store, Scope::All, &f).await?;
            let versions: Vec<VersionInfoStaff> = all
                .iter()
                .filter(|r| r.batch_id == b.id && r.column_code == column.code())
                .rev()
                .map(|r| {
                    Ok(VersionInfoStaff {
                        id: r.id,
                        version: r.version,
                        status: PubStatus::parse(&r.status)?,
                        note: ducha_shield::Shield::none().screen(&r.note).into_string(),
                        content_hash: r.content_hash.clone(),
                        updated_at: from_millis(r.updated_at),
                        identity_hits: serde_json::from_str(&r.identity_hits).unwrap_or_default(),
                    })
                })
                .collect::<Result<_>>()?;
            if n == 0 && versions.is_empty() {
                continue;
            }
            out.push(StaffBatch {
                batch_id: b.id,
                number: b.number,
                answering_date: b.answering_date.clone(),
                cases: n.max(0) as usize,
                versions,
            });
        }
        out.reverse();
        Ok((column, out))
    }
}
