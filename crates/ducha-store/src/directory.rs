//! Regions, units, campaigns and users: the directory every case refers to.

use serde::{Deserialize, Serialize};

use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub short_name: String,
    #[sqlx(try_from = "String")]
    pub level: ducha_domain::region::RegionLevel,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct UnitRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub level: ducha_domain::unit::UnitLevel,
    pub dept_kind: Option<String>,
    pub parent_id: Option<i64>,
    pub region_code: Option<String>,
    pub path: String,
    pub contact_email: Option<String>,
    pub contact_webhook: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub level: String,
    pub dept_kind: Option<String>,
    pub parent_id: Option<i64>,
    pub region_code: Option<String>,
    pub contact_email: Option<String>,
    pub contact_webhook: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub name: String,
    pub team_name: String,
    pub start_date: String,
    pub end_date: String,
    /// JSON array of strings.
    pub hotlines: String,
    pub postal_box: String,
    pub hours_start: String,
    pub hours_end: String,
    pub round_no: i64,
    pub province_letters: String,
    /// JSON array of county-level region codes.
    pub regions: String,
    pub team_unit_id: i64,
    pub city_unit_id: i64,
    /// JSON object of per-campaign settings.
    pub settings: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip_serializing)]
    pub password_hash: String,
    pub unit_id: i64,
    pub role: String,
    pub active: i64,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub created_at: i64,
    /// Set when an administrator chose the password: it must be changed at the next sign-in.
    #[sqlx(default)]
    pub must_change_password: i64,
}

const UNIT_COLS: &str =
    "id, code, name, level, dept_kind, parent_id, region_code, path, contact_email, contact_webhook";
const USER_COLS: &str = "id, username, display_name, password_hash, unit_id, role, active, failed_logins, locked_until, created_at, must_change_password";
const CAMPAIGN_COLS: &str = "id, name, team_name, start_date, end_date, hotlines, postal_box, hours_start, hours_end, round_no, province_letters, regions, team_unit_id, city_unit_id, settings, created_at";

// ---- regions ----------------------------------------------------------------------------------

/// Insert or replace a batch of regions (gazetteer import is idempotent).
pub async fn upsert_regions(tx: &mut Tx, rows: &[RegionRow]) -> Result<u64> {
    let mut n = 0;
    for r in rows {
        sqlx::query(
            "INSERT INTO regions (code, name, short_name, level, parent_code) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
                 level = excluded.level, parent_code = excluded.parent_code",
        )
        .bind(&r.code)
        .bind(&r.name)
        .bind(&r.short_name)
        .bind(r.level.code())
        .bind(&r.parent_code)
        .execute(tx.conn())
        .await?;
        n += 1;
    }
    Ok(n)
}

pub async fn region(store: &Store, code: &str) -> Result<Option<RegionRow>> {
    Ok(sqlx::query_as("SELECT code, name, short_name, level, parent_code FROM regions WHERE code = $1")
        .bind(code)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn regions_under(store: &Store, parent: &str) -> Result<Vec<RegionRow>> {
    Ok(sqlx::query_as(
        "SELECT code, name, short_name, level, parent_code FROM regions WHERE parent_code = $1 ORDER BY code",
    )
    .bind(parent)
    .fetch_all(store.reader())
    .await?)
}

pub async fn regions_by_level(store: &Store, level: &str) -> Result<Vec<RegionRow>> {
    Ok(sqlx::query_as(
        "SELECT code, name, short_name, level, parent_code FROM regions WHERE level = $1 ORDER BY code",
    )
    .bind(level)
    .fetch_all(store.reader())
    .await?)
}

pub async fn count_regions(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM regions").fetch_one(store.reader()).await?)
}

// ---- units ------------------------------------------------------------------------------------

/// Insert a unit; its materialised path (`/1/4/17/`) is derived from its parent's.
pub async fn insert_unit(tx: &mut Tx, u: &NewUnit) -> Result<i64> {
    let parent_path: String = match u.parent_id {
        Some(pid) => sqlx::query_scalar("SELECT path FROM units WHERE id = $1")
            .bind(pid)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound("上级单位"))?,
        None => "/".to_owned(),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO units (code, name, level, dept_kind, parent_id, region_code, path, contact_email, contact_webhook)
         VALUES ($1, $2, $3, $4, $5, $6, '/', $7, $8) RETURNING id",
    )
    .bind(&u.code)
    .bind(&u.name)
    .bind(&u.level)
    .bind(&u.dept_kind)
    .bind(u.parent_id)
    .bind(&u.region_code)
    .bind(&u.contact_email)
    .bind(&u.contact_webhook)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| match StoreError::from(e) {
        e if e.is_unique_violation() => {
            StoreError::Conflict { code: "unit_exists", message: format!("单位代码“{}”已存在", u.code) }
        }
        e => e,
    })?;
    sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
        .bind(format!("{parent_path}{id}/"))
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(id)
}

pub async fn unit(store: &Store, id: i64) -> Result<Option<UnitRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLS} FROM units WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

/// Set how a unit is reached besides the in-app inbox (e-mail, HTTP webhook); empty clears.
pub async fn set_unit_contacts(
    tx: &mut Tx,
    unit_id: i64,
    email: Option<&str>,
    webhook: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE units SET contact_email = $1, contact_webhook = $2 WHERE id = $3")
        .bind(email.map(str::trim).filter(|e| !e.is_empty()))
        .bind(webhook.map(str::trim).filter(|w| !w.is_empty()))
        .bind(unit_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A unit in service, inside `tx` (what a dispatch may target: a retired unit reads as absent).
pub async fn unit_in_tx(tx: &mut Tx, id: i64) -> Result<Option<UnitRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {UNIT_COLS} FROM units WHERE id = $1 AND retired_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?)
}

pub async fn unit_by_code(store: &Store, code: &str) -> Result<Option<UnitRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLS} FROM units WHERE code = $1")))
        .bind(code)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn units(store: &Store) -> Result<Vec<UnitRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLS} FROM units ORDER BY path")))
        .fetch_all(store.reader())
        .await?)
}

pub async fn child_units(store: &Store, parent_id: i64) -> Result<Vec<UnitRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {UNIT_COLS} FROM units WHERE parent_id = $1 AND retired_at IS NULL ORDER BY level, code"
    )))
    .bind(parent_id)
    .fetch_all(store.reader())
    .await?)
}

/// A region found by [`places`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: String,
    pub short_name: String,
    /// The county-level office for this region, if it is a county with one.
    pub county_unit_id: Option<i64>,
}

/// The regions among `codes` that exist, each with its county office — one statement for what an
/// intake checks (county, township, village).
pub async fn places(store: &Store, codes: &[&str]) -> Result<Vec<Place>> {
    places_on(store.reader(), codes).await
}

/// [`places`] on a given connection (or pool).
pub async fn places_on<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    codes: &[&str],
) -> Result<Vec<Place>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = crate::sql::Q::new(
        "SELECT r.code, r.short_name,
                (SELECT u.id FROM units u WHERE u.level = 'county' AND u.region_code = r.code ORDER BY u.id LIMIT 1)
         FROM regions r WHERE r.code IN (",
    );
    for (i, c) in codes.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(*c);
    }
    q.push(")");
    let rows: Vec<(String, String, Option<i64>)> = q.query_as()?.fetch_all(ex).await?;
    Ok(rows
        .into_iter()
        .map(|(code, short_name, county_unit_id)| Place { code, short_name, county_unit_id })
        .collect())
}

/// The county-level office unit for a county region code, if one exists.
pub async fn county_unit_for_region(store: &Store, county_code: &str) -> Result<Option<UnitRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {UNIT_COLS} FROM units WHERE level = 'county' AND region_code = $1 ORDER BY id LIMIT 1"
    )))
    .bind(county_code)
    .fetch_optional(store.reader())
    .await?)
}

/// The township unit for a township region code, if one exists.
pub async fn township_unit_for_region(store: &Store, township_code: &str) -> Result<Option<UnitRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {UNIT_COLS} FROM units WHERE level = 'township' AND region_code = $1 ORDER BY id LIMIT 1"
    )))
    .bind(township_code)
    .fetch_optional(store.reader())
    .await?)
}

// ---- campaigns --------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub name: String,
    pub team_name: String,
    pub start_date: String,
    pub end_date: String,
    pub hotlines: Vec<String>,
    pub postal_box: String,
    pub hours_start: String,
    pub hours_end: String,
    pub round_no: i64,
    pub province_letters: String,
    pub regions: Vec<String>,
    pub team_unit_id: i64,
    pub city_unit_id: i64,
    pub settings: serde_json::Value,
    pub created_at: i64,
}

pub async fn insert_campaign(tx: &mut Tx, c: &NewCampaign) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO campaigns (name, team_name, start_date, end_date, hotlines, postal_box, hours_start, hours_end,
             round_no, province_letters, regions, team_unit_id, city_unit_id, settings, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(&c.name)
    .bind(&c.team_name)
    .bind(&c.start_date)
    .bind(&c.end_date)
    .bind(serde_json::to_string(&c.hotlines).unwrap_or_else(|_| "[]".into()))
    .bind(&c.postal_box)
    .bind(&c.hours_start)
    .bind(&c.hours_end)
    .bind(c.round_no)
    .bind(&c.province_letters)
    .bind(serde_json::to_string(&c.regions).unwrap_or_else(|_| "[]".into()))
    .bind(c.team_unit_id)
    .bind(c.city_unit_id)
    .bind(c.settings.to_string())
    .bind(c.created_at)
    .fetch_one(tx.conn())
    .await?)
}

/// The campaign in force: the most recently created one.
pub async fn current_campaign(store: &Store, today: &str) -> Result<Option<CampaignRow>> {
    current_campaign_on(store.reader(), today).await
}

/// [`current_campaign`] on a given connection (or pool). `today` is the Beijing date (`YYYY-MM-DD`):
/// the running campaign is the one that started last on or before it, so a campaign created ahead of
/// its period takes over only when it starts; before any has started, the newest.
pub async fn current_campaign_on<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    today: &str,
) -> Result<Option<CampaignRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CAMPAIGN_COLS} FROM campaigns
         ORDER BY CASE WHEN start_date <= $1 THEN start_date ELSE '' END DESC, id DESC LIMIT 1"
    )))
    .bind(today)
    .fetch_optional(ex)
    .await?)
}

pub async fn campaign(store: &Store, id: i64) -> Result<Option<CampaignRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CAMPAIGN_COLS} FROM campaigns WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn campaigns(store: &Store) -> Result<Vec<CampaignRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CAMPAIGN_COLS} FROM campaigns ORDER BY id")))
        .fetch_all(store.reader())
        .await?)
}

// ---- users ------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub unit_id: i64,
    pub role: String,
    pub created_at: i64,
}

pub async fn insert_user(tx: &mut Tx, u: &NewUser) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, unit_id, role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(u.unit_id)
    .bind(&u.role)
    .bind(u.created_at)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| match StoreError::from(e) {
        e if e.is_unique_violation() => StoreError::Conflict {
            code: "user_exists",
            message: format!("用户名“{}”已存在", u.username),
        },
        e => e,
    })
}

pub async fn user(store: &Store, id: i64) -> Result<Option<UserRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {USER_COLS} FROM users WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn user_by_name(store: &Store, username: &str) -> Result<Option<UserRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {USER_COLS} FROM users WHERE username = $1")))
        .bind(username)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn users(store: &Store) -> Result<Vec<UserRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {USER_COLS} FROM users ORDER BY id")))
        .fetch_all(store.reader())
        .await?)
}

/// Record a login attempt's outcome: reset on success, count and maybe lock on failure.
pub async fn record_login(tx: &mut Tx, user_id: i64, ok: bool, lock_until: Option<i64>) -> Result<()> {
    if ok {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(user_id)
            .execute(tx.conn())
            .await?;
    } else {
        sqlx::query("UPDATE users SET failed_logins = failed_logins + 1, locked_until = $2 WHERE id = $1")
            .bind(user_id)
            .bind(lock_until)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

pub async fn set_password(tx: &mut Tx, user_id: i64, password_hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}
