//! Feed sources of the opinion desk: add, list, change, re-enable.

use ducha_store::audit;
use ducha_store::opinion::{self, ItemScope, NewSource, PollRow, SourcePatch, SourceRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::desk_scope;
use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

pub const DEFAULT_INTERVAL_SECS: i64 = 900;
pub const MIN_INTERVAL_SECS: i64 = 60;
pub const MAX_INTERVAL_SECS: i64 = 7 * 86_400;

/// A new source as the desk enters it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SourceInput {
    pub name: String,
    /// The feed's address (RSS, Atom or JSON Feed), http or https.
    pub url: String,
    #[serde(default)]
    pub outlet: Option<String>,
    /// County-level code the source covers; a county desk's sources are always its county's.
    #[serde(default)]
    pub county_code: Option<String>,
    /// Seconds between polls (60 … 604800; default 900).
    #[serde(default)]
    pub interval_secs: Option<i64>,
}

/// A change to a source.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SourceUpdate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub outlet: Option<String>,
    #[serde(default)]
    pub interval_secs: Option<i64>,
    /// `true` re-enables (and clears a failing flag: polled at once), `false` stops polling.
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// A source as the desk sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub row: SourceRow,
    pub status_label: &'static str,
    #[schema(value_type = Vec<Object>)]
    pub recent_polls: Vec<PollRow>,
}

pub fn status_label(s: &SourceRow) -> &'static str {
    match (s.enabled, s.status.as_str()) {
        (0, _) => "已停用",
        (_, "failing") => "连续失败，已暂停（重新启用后恢复）",
        (_, "error") => "上次失败，退避重试中",
        (_, "ok") => "正常",
        _ => "待首次采集",
    }
}

fn check_interval(v: Option<i64>) -> Result<i64> {
    let v = v.unwrap_or(DEFAULT_INTERVAL_SECS);
    if !(MIN_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(&v) {
        return Err(AppError::invalid(
            "interval_secs",
            format!("采集间隔应在{MIN_INTERVAL_SECS}秒到{}天之间", MAX_INTERVAL_SECS / 86_400),
        ));
    }
    Ok(v)
}

fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

impl App {
    async fn view_source(&self, row: SourceRow) -> Result<SourceView> {
        let recent_polls = opinion::recent_polls(&self.store, row.id, 10).await?;
        Ok(SourceView { status_label: status_label(&row), row, recent_polls })
    }

    /// The sources a desk sees: a county desk its county's and the city-wide ones, the city desk all.
    pub async fn list_sources(&self, user: &CurrentUser) -> Result<Vec<SourceView>> {
        let scope = desk_scope(user)?;
        let mut out = Vec::new();
        for s in opinion::sources(&self.store, None).await? {
            let visible = match &scope {
                ItemScope::County(c) => {
                    s.county_code.is_none() || s.county_code.as_deref() == Some(c.as_str())
                }
                _ => true,
            };
            if visible {
                out.push(self.view_source(s).await?);
            }
        }
        Ok(out)
    }

    /// A source the desk may change (a county desk only its own county's).
    async fn own_source(&self, user: &CurrentUser, id: i64) -> Result<SourceRow> {
        let scope = desk_scope(user)?;
        let s = opinion::source(&self.store, id)
            .await?
            .ok_or_else(|| AppError::not_found("source_not_found", "未找到该订阅源"))?;
        if let ItemScope::County(c) = &scope
            && s.county_code.as_deref() != Some(c.as_str())
        {
            return Err(AppError::not_found(
                "source_not_found",
                "未找到该订阅源，或该订阅源不属于本县（区）",
            ));
        }
        Ok(s)
    }

    pub async fn create_source(&self, user: &CurrentUser, input: &SourceInput) -> Result<SourceView> {
        let scope = desk_scope(user)?;
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(AppError::invalid("name", "请填写订阅源名称（最长60字）"));
        }
        let url = ducha_opinion::normalise::canonical_url(&input.url)
            .ok_or_else(|| AppError::invalid("url", "订阅源地址应为 http:// 或 https:// 开头的网址"))?;
        let interval = check_interval(input.interval_secs)?;
        let county = match (&scope, trimmed(&input.county_code)) {
            (ItemScope::County(c), Some(given)) if &given != c => {
                return Err(AppError::invalid("county_code", "县（区）舆情专员只能添加本县（区）的订阅源"));
            }
            (ItemScope::County(c), _) => Some(c.clone()),
            (_, Some(given)) => {
                if ducha_store::directory::region(&self.store, &given)
                    .await?
                    .is_none_or(|r| r.level != ducha_domain::region::RegionLevel::County)
                {
                    return Err(AppError::invalid("county_code", format!("县（区）代码“{given}”不存在")));
                }
                Some(given)
            }
            (_, None) => None,
        };
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = opinion::insert_source(
            &mut tx,
            &NewSource {
                name: name.to_owned(),
                url: url.clone(),
                outlet: trimmed(&input.outlet),
                county_code: county.clone(),
                interval_secs: interval,
                created_by: Some(user.id),
                now,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &user.audit(now, "opinion.source_create", "opinion_source", id, serde_json::json!({ "name": name, "url": url, "county_code": county, "interval_secs": interval })),
        )
        .await?;
        tx.commit().await?;
        let row =
            opinion::source(&self.store, id).await?.ok_or_else(|| AppError::internal("source vanished"))?;
        self.view_source(row).await
    }

    pub async fn update_source(
        &self,
        user: &CurrentUser,
        id: i64,
        input: &SourceUpdate,
    ) -> Result<SourceView> {
        let before = self.own_source(user, id).await?;
        let mut patch = SourcePatch::default();
        if let Some(n) = &input.name {
            let n = n.trim();
            if n.is_empty() || n.chars().count() > 60 {
                return Err(AppError::invalid("name", "请填写订阅源名称（最长60字）"));
            }
            patch.name = Some(n.to_owned());
        }
        if input.outlet.is_some() {
            patch.outlet = Some(trimmed(&input.outlet));
        }
        if input.interval_secs.is_some() {
            patch.interval_secs = Some(check_interval(input.interval_secs)?);
        }
        let now = self.now_ms();
        if let Some(e) = input.enabled {
            patch.enabled = Some(e);
            if e && (before.enabled == 0 || before.status == "failing") {
                patch.reset_at = Some(now);
            }
        }
        let mut tx = self.store.begin().await?;
        opinion::update_source(&mut tx, id, &patch, now).await?;
        let action = match input.enabled {
            Some(true) if before.status == "failing" || before.enabled == 0 => "opinion.source_enable",
            Some(false) => "opinion.source_disable",
            _ => "opinion.source_update",
        };
        audit::append(
            &mut tx,
            &user.audit(
                now,
                action,
                "opinion_source",
                id,
                serde_json::json!({ "name": patch.name, "interval_secs": patch.interval_secs, "enabled": input.enabled, "was": before.status }),
            ),
        )
        .await?;
        tx.commit().await?;
        let row =
            opinion::source(&self.store, id).await?.ok_or_else(|| AppError::internal("source vanished"))?;
        self.view_source(row).await
    }

    /// Poll one of the desk's sources now (whatever its schedule, unless it is stopped).
    pub async fn poll_source_now(&self, user: &CurrentUser, id: i64) -> Result<super::poll::SourcePoll> {
        let s = self.own_source(user, id).await?;
        if s.enabled == 0 || s.status == "failing" {
            return Err(AppError::conflict("source_stopped", "该订阅源已停用或因连续失败暂停，请先重新启用"));
        }
        let opts = self.poll_options().await?;
        self.poll_one(&s, &opts).await
    }
}
