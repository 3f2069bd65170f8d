//! Login sessions. Only a hash of the session token is stored, so a copy of the database does not
//! let anyone log in.

use sqlx::Row;

use crate::directory::{UnitRow, UserRow};
use crate::{Result, Store, Tx};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert(tx: &mut Tx, s: &SessionRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&s.token_hash)
    .bind(s.user_id)
    .bind(&s.csrf_token)
    .bind(s.created_at)
    .bind(s.expires_at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A live session by token hash.
pub async fn get(store: &Store, token_hash: &str, now_ms: i64) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions
         WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(store.reader())
    .await?)
}

/// A live session with its user and the user's unit, in one statement (every signed-in request
/// asks this).
pub async fn get_with_user(
    store: &Store,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<(SessionRow, UserRow, UnitRow)>> {
    let row = sqlx::query(
        "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at,
                u.id, u.username, u.display_name, u.password_hash, u.unit_id, u.role, u.active,
                u.failed_logins, u.locked_until, u.created_at,
                n.id, n.code, n.name, n.level, n.dept_kind, n.parent_id, n.region_code, n.path,
                n.contact_email, n.contact_webhook, u.must_change_password
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN units n ON n.id = u.unit_id
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(store.reader())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let session = SessionRow {
        token_hash: r.try_get(0)?,
        user_id: r.try_get(1)?,
        csrf_token: r.try_get(2)?,
        created_at: r.try_get(3)?,
        expires_at: r.try_get(4)?,
    };
    let user = UserRow {
        id: r.try_get(5)?,
        username: r.try_get(6)?,
        display_name: r.try_get(7)?,
        password_hash: r.try_get(8)?,
        unit_id: r.try_get(9)?,
        role: r.try_get(10)?,
        active: r.try_get(11)?,
        failed_logins: r.try_get(12)?,
        locked_until: r.try_get(13)?,
        created_at: r.try_get(14)?,
        must_change_password: r.try_get(25)?,
    };
    let unit = UnitRow {
        id: r.try_get(15)?,
        code: r.try_get(16)?,
        name: r.try_get(17)?,
        level: ducha_domain::unit::UnitLevel::try_from(r.try_get::<String, _>(18)?)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        dept_kind: r.try_get(19)?,
        parent_id: r.try_get(20)?,
        region_code: r.try_get(21)?,
        path: r.try_get(22)?,
        contact_email: r.try_get(23)?,
        contact_webhook: r.try_get(24)?,
    };
    Ok(Some((session, user, unit)))
}

pub async fn delete(tx: &mut Tx, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(tx.conn()).await?;
    Ok(())
}

pub async fn purge_expired(tx: &mut Tx, now_ms: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now_ms)
        .execute(tx.conn())
        .await?
        .rows_affected())
}
