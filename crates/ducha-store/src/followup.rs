//! After handling: verifications, callbacks (and their signed public links), attachments, and the
//! confidential discipline reports about the inspection team (R6).

use serde::{Deserialize, Serialize};

use crate::crypto::{IdentityCipher, Sealed};
use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct VerificationRow {
    pub id: i64,
    pub case_id: i64,
    pub unit_id: Option<i64>,
    pub user_id: Option<i64>,
    pub at: i64,
    pub outcome: String,
    pub onsite: i64,
    pub notes: String,
}

pub async fn insert_verification(
    tx: &mut Tx,
    case_id: i64,
    unit_id: i64,
    user_id: i64,
    at: i64,
    outcome: &str,
    onsite: bool,
    notes: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO verifications (case_id, unit_id, user_id, at, outcome, onsite, notes) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(case_id)
    .bind(unit_id)
    .bind(user_id)
    .bind(at)
    .bind(outcome)
    .bind(i64::from(onsite))
    .bind(notes)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn verifications(store: &Store, case_id: i64) -> Result<Vec<VerificationRow>> {
    Ok(sqlx::query_as("SELECT id, case_id, unit_id, user_id, at, outcome, onsite, notes FROM verifications WHERE case_id = $1 ORDER BY id")
        .bind(case_id)
        .fetch_all(store.reader())
        .await?)
}

/// The first passing verification per case (closing time for metrics).
pub async fn first_pass_times(store: &Store) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT case_id, CAST(MIN(at) AS BIGINT) FROM verifications WHERE outcome IN ('passed', 'partly_passed') GROUP BY case_id",
    )
    .fetch_all(store.reader())
    .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CallbackRow {
    pub id: i64,
    pub case_id: i64,
    pub at: i64,
    pub channel: String,
    pub result: String,
    pub satisfaction: Option<String>,
    pub comment: String,
    pub user_id: Option<i64>,
}

pub(crate) fn callback_aad(id: i64) -> Vec<u8> {
    format!("ducha:callback:v1:{id}").into_bytes()
}

/// A callback's comment: the firewalled text everyone may see, and what was typed, to be sealed.
#[derive(Clone, Copy)]
pub struct CallbackComment<'a> {
    pub screened: &'a str,
    pub original: &'a str,
}

impl std::fmt::Debug for CallbackComment<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackComment").field("screened", &self.screened).finish_non_exhaustive()
    }
}

/// Store a callback. The comment as typed is sealed (like a complainant identity) when it differs from
/// its firewalled form; only the firewalled form is stored in the clear.
pub async fn insert_callback(
    tx: &mut Tx,
    cipher: Option<&IdentityCipher>,
    case_id: i64,
    at: i64,
    channel: &str,
    result: &str,
    satisfaction: Option<&str>,
    comment: CallbackComment<'_>,
    user_id: Option<i64>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO callbacks (case_id, at, channel, result, satisfaction, comment, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(case_id)
    .bind(at)
    .bind(channel)
    .bind(result)
    .bind(satisfaction)
    .bind(comment.screened)
    .bind(user_id)
    .fetch_one(tx.conn())
    .await?;
    if comment.original != comment.screened {
        seal_callback_comment(tx, cipher, id, comment.original).await?;
    }
    Ok(id)
}

/// Seal what a callback's commenter typed (no key: refused, nothing is kept in the clear).
pub async fn seal_callback_comment(
    tx: &mut Tx,
    cipher: Option<&IdentityCipher>,
    id: i64,
    original: &str,
) -> Result<()> {
    let cipher = cipher.ok_or_else(|| StoreError::Key("未配置 SM4 密钥，不能保存回访原话".into()))?;
    let s = cipher.seal(&callback_aad(id), original.as_bytes())?;
    sqlx::query(
        "UPDATE callbacks SET comment_key_id = $1, comment_nonce = $2, comment_ct = $3 WHERE id = $4",
    )
    .bind(s.key_id)
    .bind(s.nonce)
    .bind(s.ciphertext)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Replace a callback's clear comment (the firewalled form of an older, unsealed comment).
pub async fn set_callback_comment(tx: &mut Tx, id: i64, screened: &str) -> Result<()> {
    sqlx::query("UPDATE callbacks SET comment = $1 WHERE id = $2")
        .bind(screened)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Callbacks whose comment was stored before comments were sealed (non-empty, nothing sealed).
pub async fn unsealed_callbacks(store: &Store) -> Result<Vec<CallbackRow>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, at, channel, result, satisfaction, comment, user_id FROM callbacks
         WHERE comment_ct IS NULL AND comment <> '' ORDER BY id",
    )
    .fetch_all(store.reader())
    .await?)
}

/// What a callback's commenter typed, opened (None: nothing was sealed — the clear comment is all).
pub async fn callback_original(store: &Store, cipher: &IdentityCipher, id: i64) -> Result<Option<String>> {
    let row: Option<(Option<String>, Option<Vec<u8>>, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT comment_key_id, comment_nonce, comment_ct FROM callbacks WHERE id = $1")
            .bind(id)
            .fetch_optional(store.reader())
            .await?;
    match row {
        Some((Some(key_id), Some(nonce), Some(ciphertext))) => {
            let plain = cipher.open(&callback_aad(id), &Sealed { key_id, nonce, ciphertext })?;
            Ok(Some(String::from_utf8_lossy(&plain).into_owned()))
        }
        _ => Ok(None),
    }
}

pub async fn callbacks(store: &Store, case_id: i64) -> Result<Vec<CallbackRow>> {
    Ok(sqlx::query_as("SELECT id, case_id, at, channel, result, satisfaction, comment, user_id FROM callbacks WHERE case_id = $1 ORDER BY id")
        .bind(case_id)
        .fetch_all(store.reader())
        .await?)
}

pub async fn all_callbacks(store: &Store) -> Result<Vec<CallbackRow>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, at, channel, result, satisfaction, comment, user_id FROM callbacks ORDER BY id",
    )
    .fetch_all(store.reader())
    .await?)
}

pub async fn insert_link(
    tx: &mut Tx,
    token_hash: &str,
    case_id: i64,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO callback_links (token_hash, case_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(case_id)
    .bind(now)
    .bind(expires_at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// (case_id, expires_at, used_at) of a link.
pub async fn link(store: &Store, token_hash: &str) -> Result<Option<(i64, i64, Option<i64>)>> {
    Ok(sqlx::query_as("SELECT case_id, expires_at, used_at FROM callback_links WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(store.reader())
        .await?)
}

/// Use a link once; false if it was already used.
pub async fn use_link(tx: &mut Tx, token_hash: &str, now: i64) -> Result<bool> {
    Ok(sqlx::query("UPDATE callback_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now)
        .bind(token_hash)
        .execute(tx.conn())
        .await?
        .rows_affected()
        > 0)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub case_id: i64,
    pub uploaded_by: Option<i64>,
    pub at: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub digest: String,
    pub stored_path: String,
    pub public_path: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub case_id: i64,
    pub uploaded_by: Option<i64>,
    pub at: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub digest: String,
    pub stored_path: String,
    pub public_path: Option<String>,
}

pub async fn insert_attachment(tx: &mut Tx, a: &NewAttachment) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO attachments (case_id, uploaded_by, at, filename, content_type, size, digest, stored_path, public_path)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(a.case_id)
    .bind(a.uploaded_by)
    .bind(a.at)
    .bind(&a.filename)
    .bind(&a.content_type)
    .bind(a.size)
    .bind(&a.digest)
    .bind(&a.stored_path)
    .bind(&a.public_path)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn attachments(store: &Store, case_id: i64) -> Result<Vec<AttachmentRow>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, uploaded_by, at, filename, content_type, size, digest, stored_path, public_path FROM attachments WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(store.reader())
    .await?)
}

pub async fn attachment(store: &Store, id: i64) -> Result<Option<AttachmentRow>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, uploaded_by, at, filename, content_type, size, digest, stored_path, public_path FROM attachments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(store.reader())
    .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct DisciplineRow {
    pub id: i64,
    pub at: i64,
    /// JSON of the report without the contact.
    pub report: String,
    pub status: String,
    pub handled_at: Option<i64>,
    pub note: String,
}

/// The associated data binding a sealed contact to its report.
pub(crate) fn discipline_aad(id: i64) -> Vec<u8> {
    format!("ducha:discipline:v1:{id}").into_bytes()
}

/// Store a discipline report; the reporter's contact, if any, is sealed like a complainant identity.
pub async fn insert_discipline(
    tx: &mut Tx,
    cipher: Option<&IdentityCipher>,
    at: i64,
    report_json: &str,
    contact: Option<&str>,
) -> Result<i64> {
    let id: i64 =
        sqlx::query_scalar("INSERT INTO discipline_reports (at, report) VALUES ($1, $2) RETURNING id")
            .bind(at)
            .bind(report_json)
            .fetch_one(tx.conn())
            .await?;
    if let Some(contact) = contact.filter(|c| !c.trim().is_empty()) {
        let cipher = cipher.ok_or_else(|| StoreError::Key("未配置 SM4 密钥，不能保存联系方式".into()))?;
        let s = cipher.seal(&discipline_aad(id), contact.as_bytes())?;
        sqlx::query("UPDATE discipline_reports SET contact_key_id = $1, contact_nonce = $2, contact_ct = $3 WHERE id = $4")
            .bind(s.key_id)
            .bind(s.nonce)
            .bind(s.ciphertext)
            .bind(id)
            .execute(tx.conn())
            .await?;
    }
    Ok(id)
}

pub async fn discipline_reports(store: &Store) -> Result<Vec<DisciplineRow>> {
    Ok(sqlx::query_as(
        "SELECT id, at, report, status, handled_at, note FROM discipline_reports ORDER BY id DESC",
    )
    .fetch_all(store.reader())
    .await?)
}

/// How many discipline reports there are (a count only: reading them is audited by the app).
pub async fn discipline_count(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM discipline_reports").fetch_one(store.reader()).await?)
}

pub async fn discipline_contact(store: &Store, cipher: &IdentityCipher, id: i64) -> Result<Option<String>> {
    let row: Option<(Option<String>, Option<Vec<u8>>, Option<Vec<u8>>)> = sqlx::query_as(
        "SELECT contact_key_id, contact_nonce, contact_ct FROM discipline_reports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(store.reader())
    .await?;
    match row {
        Some((Some(key_id), Some(nonce), Some(ciphertext))) => {
            let plain = cipher.open(&discipline_aad(id), &Sealed { key_id, nonce, ciphertext })?;
            Ok(Some(String::from_utf8_lossy(&plain).into_owned()))
        }
        _ => Ok(None),
    }
}
