//! The disclosure columns: the city's and one per county-level office, the column a staff user
//! publishes, and a column's announcement (campaign, team, hotlines, hours).

use std::collections::HashMap;

use ducha_domain::campaign::AnsweringHours;
use ducha_domain::disclosure::{Announcement, ColumnRef};
use ducha_domain::role::Role;
use ducha_domain::unit::UnitLevel;
use ducha_store::directory::{self, CampaignRow, RegionRow};

use super::date;
use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

fn hours(c: &CampaignRow) -> AnsweringHours {
    let t = |s: &str| chrono::NaiveTime::parse_from_str(s, "%H:%M").ok();
    match (t(&c.hours_start), t(&c.hours_end)) {
        (Some(start), Some(end)) => AnsweringHours { start, end },
        _ => AnsweringHours::default(),
    }
}

impl App {
    pub(super) async fn region_name(
        &self,
        cache: &mut HashMap<String, Option<RegionRow>>,
        code: &Option<String>,
    ) -> Result<String> {
        let Some(code) = code.as_deref().filter(|c| !c.is_empty()) else { return Ok(String::new()) };
        if !cache.contains_key(code) {
            let r = directory::region(&self.store, code).await?;
            cache.insert(code.to_owned(), r);
        }
        Ok(cache.get(code).and_then(|r| r.as_ref()).map(|r| r.short_name.clone()).unwrap_or_default())
    }

    /// The column for a county-level region code, or the city's (`None`). Unknown codes are not found.
    pub async fn column(&self, county_code: Option<&str>) -> Result<ColumnRef> {
        match county_code {
            None => {
                let campaign = self.campaign().await?;
                let city = directory::unit(&self.store, campaign.city_unit_id).await?;
                let name = match city.and_then(|u| u.region_code) {
                    Some(code) => directory::region(&self.store, &code).await?.map(|r| r.short_name),
                    None => None,
                };
                Ok(ColumnRef { county_code: None, name: name.unwrap_or_else(|| "全市".into()) })
            }
            Some(code) => {
                let not_found = || AppError::not_found("column_not_found", "未找到该县（区）的公开专栏");
                if code.is_empty() || code.len() > 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(not_found());
                }
                directory::county_unit_for_region(&self.store, code).await?.ok_or_else(not_found)?;
                let r = directory::region(&self.store, code).await?.ok_or_else(not_found)?;
                Ok(ColumnRef { county_code: Some(code.to_owned()), name: r.short_name })
            }
        }
    }

    /// Every county-level column (one per county-level office).
    pub async fn county_columns(&self) -> Result<Vec<ColumnRef>> {
        let mut out = Vec::new();
        for u in directory::units(&self.store).await? {
            if u.level != UnitLevel::County {
                continue;
            }
            let Some(code) = u.region_code else { continue };
            let name = directory::region(&self.store, &code).await?.map(|r| r.short_name).unwrap_or(u.name);
            out.push(ColumnRef { county_code: Some(code), name });
        }
        out.sort_by(|a, b| a.county_code.cmp(&b.county_code));
        Ok(out)
    }

    /// The column a staff user publishes: a county office its county's, the city office the city's.
    pub async fn column_of(&self, user: &CurrentUser) -> Result<ColumnRef> {
        if user.role != Role::Office {
            return Err(AppError::forbidden("只有市、县（区）攻坚办可以编辑和发布边督边改公开信息"));
        }
        match user.level {
            UnitLevel::City => self.column(None).await,
            UnitLevel::County => {
                let code = user
                    .unit
                    .region_code
                    .clone()
                    .ok_or_else(|| AppError::forbidden("本单位未关联行政区域，不能发布公开信息"))?;
                self.column(Some(&code)).await
            }
            _ => Err(AppError::forbidden("只有市、县（区）攻坚办可以编辑和发布边督边改公开信息")),
        }
    }

    pub async fn announcement(&self, column: &ColumnRef) -> Result<Announcement> {
        let c = self.campaign().await?;
        Ok(Announcement {
            campaign_name: c.name.clone(),
            team_name: c.team_name.clone(),
            start: date(&c.start_date)?,
            end: date(&c.end_date)?,
            hotlines: serde_json::from_str(&c.hotlines).unwrap_or_default(),
            postal_box: c.postal_box.clone(),
            hours: hours(&c),
            place: column.name.clone(),
        })
    }
}
