//! Units and people administration (issue 17): the unit's full record with its contacts and
//! retirement, re-parenting with the subtree's materialised paths, and the user columns an
//! administrator changes (active, role, unit, password that must be changed).

use serde::{Deserialize, Serialize};

use crate::{Result, Store, StoreError, Tx};

/// A unit with everything an administrator manages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct UnitAdminRow {
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
    /// `generic`, `wecom` or `dingtalk`.
    pub webhook_kind: String,
    pub contact_sms: Option<String>,
    pub retired_at: Option<i64>,
}

const COLS: &str = "id, code, name, level, dept_kind, parent_id, region_code, path, contact_email, \
                    contact_webhook, webhook_kind, contact_sms, retired_at";

pub async fn unit(store: &Store, id: i64) -> Result<Option<UnitAdminRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM units WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn unit_in_tx(tx: &mut Tx, id: i64) -> Result<Option<UnitAdminRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM units WHERE id = $1")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?)
}

/// Every unit, retired ones included, in tree order.
pub async fn units(store: &Store) -> Result<Vec<UnitAdminRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM units ORDER BY path")))
        .fetch_all(store.reader())
        .await?)
}

pub async fn rename_unit(tx: &mut Tx, id: i64, name: &str) -> Result<()> {
    sqlx::query("UPDATE units SET name = $1 WHERE id = $2").bind(name).bind(id).execute(tx.conn()).await?;
    Ok(())
}

/// Re-parent a unit: its own path and every descendant's path are rewritten from the new parent's
/// path. The caller has checked that the new parent is not inside the subtree.
pub async fn move_unit(tx: &mut Tx, id: i64, new_parent: i64) -> Result<u64> {
    let old: String = sqlx::query_scalar("SELECT path FROM units WHERE id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound("单位"))?;
    let parent_path: String = sqlx::query_scalar("SELECT path FROM units WHERE id = $1")
        .bind(new_parent)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound("上级单位"))?;
    let new = format!("{parent_path}{id}/");
    sqlx::query("UPDATE units SET parent_id = $1 WHERE id = $2")
        .bind(new_parent)
        .bind(id)
        .execute(tx.conn())
        .await?;
    let subtree: Vec<(i64, String)> = sqlx::query_as("SELECT id, path FROM units WHERE path LIKE $1")
        .bind(format!("{old}%"))
        .fetch_all(tx.conn())
        .await?;
    let mut n = 0;
    for (uid, path) in subtree {
        let Some(rest) = path.strip_prefix(&old) else { continue };
        sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
            .bind(format!("{new}{rest}"))
            .bind(uid)
            .execute(tx.conn())
            .await?;
        n += 1;
    }
    Ok(n)
}

pub async fn retire_unit(tx: &mut Tx, id: i64, at_ms: i64) -> Result<()> {
    sqlx::query("UPDATE units SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL")
        .bind(at_ms)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Accept numbers of the cases a unit holds an active assignment on.
pub async fn active_assignment_cases(tx: &mut Tx, unit_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT c.accept_no FROM assignments a JOIN cases c ON c.id = a.case_id
         WHERE a.unit_id = $1 AND a.status = 'active' ORDER BY c.accept_no",
    )
    .bind(unit_id)
    .fetch_all(tx.conn())
    .await?)
}

/// Names of the unit's children that are still in service.
pub async fn live_children(tx: &mut Tx, unit_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM units WHERE parent_id = $1 AND retired_at IS NULL ORDER BY code")
        .bind(unit_id)
        .fetch_all(tx.conn())
        .await?)
}

/// Usernames of the enabled users of a unit.
pub async fn active_users_of(tx: &mut Tx, unit_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT username FROM users WHERE unit_id = $1 AND active = 1 ORDER BY username")
        .bind(unit_id)
        .fetch_all(tx.conn())
        .await?)
}

/// The contacts a unit is reached on besides the in-app inbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contacts {
    pub email: Option<String>,
    pub webhook: Option<String>,
    pub webhook_kind: String,
    pub sms: Option<String>,
}

pub async fn set_contacts(tx: &mut Tx, id: i64, c: &Contacts) -> Result<()> {
    sqlx::query(
        "UPDATE units SET contact_email = $1, contact_webhook = $2, webhook_kind = $3, contact_sms = $4
         WHERE id = $5",
    )
    .bind(&c.email)
    .bind(&c.webhook)
    .bind(&c.webhook_kind)
    .bind(&c.sms)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

// ---- users ------------------------------------------------------------------------------------

/// A user as the administration pages list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct UserAdminRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub active: i64,
    pub must_change_password: i64,
    pub locked_until: Option<i64>,
    pub created_at: i64,
}

const USER_COLS: &str = "u.id, u.username, u.display_name, u.role, u.unit_id, n.name AS unit_name, u.active, \
                         u.must_change_password, u.locked_until, u.created_at";

pub async fn users(store: &Store) -> Result<Vec<UserAdminRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLS} FROM users u JOIN units n ON n.id = u.unit_id ORDER BY u.id"
    )))
    .fetch_all(store.reader())
    .await?)
}

pub async fn user(store: &Store, id: i64) -> Result<Option<UserAdminRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLS} FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = $1"
    )))
    .bind(id)
    .fetch_optional(store.reader())
    .await?)
}

pub async fn set_active(tx: &mut Tx, user_id: i64, active: bool) -> Result<()> {
    sqlx::query("UPDATE users SET active = $1, failed_logins = 0, locked_until = NULL WHERE id = $2")
        .bind(i64::from(active))
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// End every session of a user at once; returns how many there were.
pub async fn end_sessions(tx: &mut Tx, user_id: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(tx.conn())
        .await?
        .rows_affected())
}

/// End every session of a user except one (after the user changed their own password).
pub async fn end_other_sessions(tx: &mut Tx, user_id: i64, keep_token_hash: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep_token_hash)
        .execute(tx.conn())
        .await?
        .rows_affected())
}

/// A new password hash; `must_change` marks one an administrator set.
pub async fn set_password(tx: &mut Tx, user_id: i64, hash: &str, must_change: bool) -> Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, locked_until = NULL
         WHERE id = $3",
    )
    .bind(hash)
    .bind(i64::from(must_change))
    .bind(user_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn set_role_unit(tx: &mut Tx, user_id: i64, role: &str, unit_id: i64) -> Result<()> {
    sqlx::query("UPDATE users SET role = $1, unit_id = $2 WHERE id = $3")
        .bind(role)
        .bind(unit_id)
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}
