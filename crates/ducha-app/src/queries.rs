//! What users read: case lists and case pages, always within the user's jurisdiction.

use ducha_domain::workflow::{Action, Stage, allowed_actions};
use ducha_shield::{Screened, Shield};
use ducha_store::audit::{self, AuditRecord};
use ducha_store::cases::{self, AssignmentRow, CaseFilter, CaseRow, ComplainantIdentity};
use ducha_store::directory::{self, CampaignRow, UnitRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

/// A case as staff see it. `original_text` is present only for roles that may read the
/// complainant's identity; everyone else works from the text through the identity firewall.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseView {
    pub id: i64,
    pub accept_no: String,
    pub channel: String,
    pub received_at: i64,
    /// The complaint through the identity firewall (with the case's own identity).
    #[schema(value_type = String)]
    pub text: Screened,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_text: Option<String>,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub region_label: String,
    pub pollution_types: Vec<String>,
    pub sansan: Option<String>,
    #[schema(value_type = Object)]
    pub triage: serde_json::Value,
    pub dup_of: Option<i64>,
    pub repeat_count: i64,
    #[schema(value_type = String)]
    pub stage: Stage,
    pub stage_label: &'static str,
    pub batch_id: Option<i64>,
    pub county_unit_id: Option<i64>,
    pub handler_unit_id: Option<i64>,
    pub due_at: Option<i64>,
    pub finding: Option<String>,
    pub has_identity: bool,
    pub version: i64,
    /// What this user could do next.
    #[schema(value_type = Vec<String>)]
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseDetail {
    pub case: CaseView,
    pub assignments: Vec<AssignmentView>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub row: AssignmentRow,
    pub unit_name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub label: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

fn split_types(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// Human label for an audit action code.
pub fn history_label(action: &str, detail: &serde_json::Value) -> String {
    match action {
        "case.intake" => "受理登记".into(),
        "case.transition" => {
            let a = detail.get("action").and_then(|v| v.as_str()).and_then(|c| Action::parse(c).ok());
            a.map(|a| a.label().to_owned()).unwrap_or_else(|| "状态变更".into())
        }
        "case.triage_correction" => "更正分拣结果".into(),
        "case.report_redacted" => "隐去办理报告中的举报人信息".into(),
        "identity.read" => "查看举报人信息".into(),
        other => other.to_owned(),
    }
}

impl App {
    pub(crate) async fn region_label(&self, c: &CaseRow) -> Result<String> {
        let codes: Vec<&str> = [&c.county_code, &c.township_code, &c.village_code]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let found = directory::places(&self.store, &codes).await?;
        Ok(region_label(&codes, &found))
    }

    pub(crate) async fn view(&self, user: &CurrentUser, c: CaseRow) -> Result<CaseView> {
        let region_label = self.region_label(&c).await?;
        let shield = self.shield(c.id).await?;
        view_labelled(user, c, region_label, &shield)
    }

    /// The campaign in force, or a clear error if none was set up.
    pub async fn campaign(&self) -> Result<CampaignRow> {
        directory::current_campaign(&self.store, &self.today_cst()).await?.ok_or_else(no_campaign)
    }

    /// A case the user may see, or `case_not_found` (the same answer whether it does not exist or is
    /// outside the user's jurisdiction).
    pub async fn visible_case(&self, user: &CurrentUser, id: i64) -> Result<CaseRow> {
        if !cases::in_scope(&self.store, user.scope(), id).await? {
            return Err(AppError::case_not_found());
        }
        cases::get(&self.store, id).await?.ok_or_else(AppError::case_not_found)
    }

    pub async fn list_cases(
        &self,
        user: &CurrentUser,
        mut f: CaseFilter,
        page: i64,
        per_page: i64,
    ) -> Result<CasePage> {
        let per_page = per_page.clamp(1, 200);
        let page = page.max(1);
        f.limit = per_page;
        // Saturating: an absurd page number is an empty page, not an overflow.
        f.offset = (page - 1).saturating_mul(per_page);
        if f.campaign_id.is_none() {
            f.campaign_id = Some(self.campaign().await?.id);
        }
        let (rows, total) = cases::list(&self.store, user.scope(), &f).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let shields = self.shields(&ids).await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let region_label = self.region_label(&r).await?;
            let shield = shields.get(&r.id).cloned().unwrap_or_default();
            items.push(view_labelled(user, r, region_label, &shield)?);
        }
        Ok(CasePage { items, total, page, per_page })
    }

    pub async fn case_view(&self, user: &CurrentUser, id: i64) -> Result<CaseView> {
        let c = self.visible_case(user, id).await?;
        self.view(user, c).await
    }

    pub async fn case_detail(&self, user: &CurrentUser, id: i64) -> Result<CaseDetail> {
        let c = self.visible_case(user, id).await?;
        let shield = self.shield(id).await?;
        let region_label = self.region_label(&c).await?;
        let case = view_labelled(user, c, region_label, &shield)?;
        let mut assignments = Vec::new();
        for mut a in cases::assignments(&self.store, id).await? {
            let unit_name =
                directory::unit(&self.store, a.unit_id).await?.map(|u| u.name).unwrap_or_default();
            // Reasons are typed by staff: through the firewall like every text a role may see.
            a.return_reason = a.return_reason.map(|r| shield.screen(&r).into_string());
            a.override_reason = a.override_reason.map(|r| shield.screen(&r).into_string());
            assignments.push(AssignmentView { row: a, unit_name });
        }
        let history = self.case_history_rows(user, id, &shield).await?;
        Ok(CaseDetail { case, assignments, history })
    }

    async fn case_history_rows(
        &self,
        user: &CurrentUser,
        id: i64,
        shield: &Shield,
    ) -> Result<Vec<HistoryEntry>> {
        let rows: Vec<AuditRecord> = audit::for_entity(&self.store, "case", &id.to_string()).await?;
        Ok(rows
            .into_iter()
            // Identity reads are themselves confidential: only identity-reading roles see who looked.
            .filter(|r| r.action != "identity.read" || user.can_read_identity())
            .map(|r| {
                let detail: serde_json::Value =
                    serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null);
                // Reasons, comments and notes in the chain (older records were written before the
                // firewall) are screened on the way out.
                let detail = screen_json(shield, detail);
                HistoryEntry {
                    seq: r.seq,
                    at: r.at,
                    label: history_label(&r.action, &detail),
                    actor: r.actor_name,
                    action: r.action,
                    detail,
                }
            })
            .collect())
    }

    pub async fn case_history(&self, user: &CurrentUser, id: i64) -> Result<Vec<HistoryEntry>> {
        self.visible_case(user, id).await?;
        let shield = self.shield(id).await?;
        self.case_history_rows(user, id, &shield).await
    }

    /// Read who complained. Only intake operators and the team may; every read is audited before the
    /// data is returned.
    pub async fn read_identity(&self, user: &CurrentUser, id: i64) -> Result<Option<ComplainantIdentity>> {
        Ok(self.read_identity_with_comments(user, id).await?.0)
    }

    /// [`Self::read_identity`], with what the complainant typed in callbacks as typed (sealed like the
    /// identity: everyone else reads it through the firewall): `(callback id, original)`. One audited
    /// read covers both.
    pub async fn read_identity_with_comments(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<(Option<ComplainantIdentity>, Vec<(i64, String)>)> {
        if !user.can_read_identity() {
            return Err(AppError::forbidden(
                "您的角色无权查看举报人信息（仅热线接线员和督察组可查看，且每次查看均留痕）",
            ));
        }
        let c = self.visible_case(user, id).await?;
        let Some(cipher) = &self.cipher else {
            return Err(AppError::conflict("no_key", "未配置 SM4 密钥，无法解密举报人信息"));
        };
        let mut tx = self.store.begin().await?;
        ducha_store::audit::append(
            &mut tx,
            &user.audit(
                self.now_ms(),
                "identity.read",
                "case",
                c.id,
                serde_json::json!({ "accept_no": c.accept_no }),
            ),
        )
        .await?;
        tx.commit().await?;
        let mut comments = Vec::new();
        for cb in ducha_store::followup::callbacks(&self.store, id).await? {
            if let Some(original) =
                ducha_store::followup::callback_original(&self.store, cipher, cb.id).await?
            {
                comments.push((cb.id, original));
            }
        }
        Ok((cases::identity(&self.store, cipher, id).await?, comments))
    }

    pub async fn units(&self) -> Result<Vec<UnitRow>> {
        Ok(directory::units(&self.store).await?)
    }

    /// Units the user could dispatch a case to next (children of their unit at the next level).
    pub async fn dispatch_targets(&self, user: &CurrentUser) -> Result<Vec<UnitRow>> {
        let Some(levels) = user.level.dispatches_to() else { return Ok(Vec::new()) };
        let children = directory::child_units(&self.store, user.unit.id).await?;
        Ok(children.into_iter().filter(|u| levels.contains(&u.level)).collect())
    }
}

/// Every string inside a JSON value through the firewall (audit details, triage evidence), screened
/// together in one pass.
pub fn screen_json(shield: &Shield, mut v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    fn leaves<'a>(v: &'a mut Value, out: &mut Vec<&'a mut String>) {
        match v {
            Value::String(s) => out.push(s),
            Value::Array(a) => a.iter_mut().for_each(|x| leaves(x, out)),
            Value::Object(o) => o.values_mut().for_each(|x| leaves(x, out)),
            _ => {}
        }
    }
    let mut strings = Vec::new();
    leaves(&mut v, &mut strings);
    let texts: Vec<String> = strings.iter().map(|s| s.to_string()).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    for (slot, screened) in strings.into_iter().zip(shield.screen_many(&refs)) {
        *slot = screened.into_string();
    }
    v
}

/// A case as a user sees it, with its region label already known and its firewall at hand.
pub(crate) fn view_labelled(
    user: &CurrentUser,
    c: CaseRow,
    region_label: String,
    shield: &Shield,
) -> Result<CaseView> {
    let text = shield.screen(&c.redacted_text);
    view_with_text(user, c, region_label, text, Some(shield))
}

/// [`view_labelled`] with the text already through the firewall; the triage evidence is screened with
/// `shield` for roles that may not read identities (an identity reader's view may pass `None`).
pub(crate) fn view_with_text(
    user: &CurrentUser,
    c: CaseRow,
    region_label: String,
    text: Screened,
    shield: Option<&Shield>,
) -> Result<CaseView> {
    let stage = c.stage;
    Ok(CaseView {
        id: c.id,
        accept_no: c.accept_no,
        channel: c.channel,
        received_at: c.received_at,
        text,
        original_text: user.can_read_identity().then_some(c.original_text),
        county_code: c.county_code,
        township_code: c.township_code,
        village_code: c.village_code,
        region_label,
        pollution_types: split_types(&c.pollution_types),
        sansan: c.sansan,
        // The deciding words: an identity reader sees the original text anyway; everyone else reads
        // them through the firewall.
        triage: {
            let v = serde_json::from_str(&c.triage).unwrap_or(serde_json::Value::Null);
            match shield {
                Some(s) if !user.can_read_identity() => screen_json(s, v),
                _ if user.can_read_identity() => v,
                _ => screen_json(&Shield::none(), v),
            }
        },
        dup_of: c.dup_of,
        repeat_count: c.repeat_count,
        stage,
        stage_label: stage.label(),
        batch_id: c.batch_id,
        county_unit_id: c.county_unit_id,
        handler_unit_id: c.handler_unit_id,
        due_at: c.due_at,
        finding: c.finding,
        has_identity: c.has_identity != 0,
        version: c.version,
        actions: allowed_actions(stage, user.actor()),
    })
}

/// "County Township Village" from the short names of the codes found, in the order given; 待定 when
/// none is known.
pub(crate) fn region_label(codes: &[&str], found: &[directory::Place]) -> String {
    let parts: Vec<&str> = codes
        .iter()
        .filter_map(|c| found.iter().find(|p| p.code == *c).map(|p| p.short_name.as_str()))
        .collect();
    if parts.is_empty() { "待定".into() } else { parts.join(" ") }
}

/// No campaign has been set up yet.
pub(crate) fn no_campaign() -> AppError {
    AppError::not_found("no_campaign", "尚未建立督察任务，请先运行 ducha demo 或导入督察配置")
}
