//! SM4 key rotation without downtime: re-seal every complainant identity, every discipline-report
//! contact and every sealed callback comment with a new key, in small transactions, while the platform keeps serving.
//!
//! The procedure (`ducha keys rotate`):
//! 1. Servers are given the new key as `sm4_key` and the old one in `sm4_old_keys` (and restarted one at
//!    a time): they now write with the new key and read with either. Starting with the new key records
//!    its check value; [`rotate`] does so too if no server did.
//! 2. [`rotate`] walks the sealed rows that are not under the new key in ascending order, `batch` rows
//!    per transaction: each row is opened (with whichever configured key sealed it), sealed again under
//!    the new key with a fresh nonce and the same associated data (its case or report id), and written
//!    back only if it still holds the ciphertext that was read (compare-and-set), so a concurrent write
//!    is never overwritten. Readers see either the old or the new ciphertext, both of which open.
//! 3. When no row is left under an old key, the old keys are marked retired in `crypto_keys` and a
//!    `keys.rotated` record is appended to the audit chain — in one transaction that first shuts out
//!    concurrent writers (SQLite's write lock; a `SHARE` table lock on PostgreSQL) and re-counts, so no
//!    row written under an old key can slip in between the count and the retirement. If servers are still
//!    writing under an old key, another pass runs; after `max_passes` the rotation stops without retiring
//!    and says so.
//!
//! A retired key is refused as the current key at start-up ([`crate::crypto::check_keys`]). Backups
//! taken before a rotation still need the retired key to open their identities: keep it with them.

use serde::Serialize;

use crate::audit::{self, AuditEntry};
use crate::crypto::{IdentityCipher, Sealed};
use crate::{Backend, Result, Store, StoreError, Tx};

/// How a rotation proceeds.
#[derive(Debug, Clone)]
pub struct RotateOptions {
    /// Rows re-sealed per transaction (each transaction holds SQLite's write lock that long).
    pub batch: i64,
    /// Passes over the tables before giving up on rows that keep appearing under an old key.
    pub max_passes: u32,
    /// Pause between batches, to leave room for interactive writers.
    pub pause: std::time::Duration,
}

impl Default for RotateOptions {
    fn default() -> Self {
        Self { batch: 200, max_passes: 5, pause: std::time::Duration::from_millis(5) }
    }
}

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RotationReport {
    pub new_key_id: String,
    /// Complainant identities re-sealed.
    pub identities: u64,
    /// Discipline-report contacts re-sealed.
    pub contacts: u64,
    /// Callback comments (as typed) re-sealed.
    #[serde(default)]
    pub comments: u64,
    /// Keys marked retired.
    pub retired: Vec<String>,
    pub passes: u32,
}

/// One kind of sealed row.
struct Sealable {
    what: &'static str,
    table: &'static str,
    id: &'static str,
    key_id: &'static str,
    nonce: &'static str,
    ct: &'static str,
    aad: fn(i64) -> Vec<u8>,
}

const IDENTITIES: Sealable = Sealable {
    what: "举报人身份信息",
    table: "complainant_identities",
    id: "case_id",
    key_id: "key_id",
    nonce: "nonce",
    ct: "ciphertext",
    aad: crate::cases::identity_aad,
};

const CONTACTS: Sealable = Sealable {
    what: "纪律举报联系方式",
    table: "discipline_reports",
    id: "id",
    key_id: "contact_key_id",
    nonce: "contact_nonce",
    ct: "contact_ct",
    aad: crate::followup::discipline_aad,
};

const COMMENTS: Sealable = Sealable {
    what: "回访原话",
    table: "callbacks",
    id: "id",
    key_id: "comment_key_id",
    nonce: "comment_nonce",
    ct: "comment_ct",
    aad: crate::followup::callback_aad,
};

impl Sealable {
    /// Rows (ids) not under `key`, after `cursor`, at most `limit`.
    async fn pending(&self, store: &Store, key: &str, cursor: i64, limit: i64) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT {id} FROM {t} WHERE {k} IS NOT NULL AND {k} <> $1 AND {id} > $2 ORDER BY {id} LIMIT $3",
            id = self.id,
            t = self.table,
            k = self.key_id
        );
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .bind(cursor)
            .bind(limit)
            .fetch_all(store.reader())
            .await?)
    }

    async fn count_other(&self, tx: &mut Tx, key: &str) -> Result<i64> {
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE {k} IS NOT NULL AND {k} <> $1",
            self.table,
            k = self.key_id
        );
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(key).fetch_one(tx.conn()).await?)
    }

    async fn key_ids(&self, store: &Store) -> Result<Vec<String>> {
        let sql = format!("SELECT DISTINCT {k} FROM {} WHERE {k} IS NOT NULL", self.table, k = self.key_id);
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(store.reader()).await?)
    }

    /// Re-seal one batch in one transaction; returns how many rows changed.
    async fn reseal(&self, store: &Store, cipher: &IdentityCipher, ids: &[i64]) -> Result<u64> {
        let mut tx = store.begin().await?;
        let lock = tx.for_update();
        let read = format!(
            "SELECT {k}, {n}, {c} FROM {t} WHERE {id} = $1{lock}",
            k = self.key_id,
            n = self.nonce,
            c = self.ct,
            t = self.table,
            id = self.id
        );
        let write = format!(
            "UPDATE {t} SET {k} = $1, {n} = $2, {c} = $3 WHERE {id} = $4 AND {k} = $5 AND {n} = $6",
            k = self.key_id,
            n = self.nonce,
            c = self.ct,
            t = self.table,
            id = self.id
        );
        let mut changed = 0u64;
        for &id in ids {
            let row: Option<(Option<String>, Option<Vec<u8>>, Option<Vec<u8>>)> =
                sqlx::query_as(sqlx::AssertSqlSafe(read.clone())).bind(id).fetch_optional(tx.conn()).await?;
            let Some((Some(key_id), Some(nonce), Some(ciphertext))) = row else { continue };
            if key_id == cipher.current_key_id() {
                continue;
            }
            let aad = (self.aad)(id);
            let old = Sealed { key_id: key_id.clone(), nonce: nonce.clone(), ciphertext };
            let plain = cipher.open(&aad, &old).map_err(|e| {
                StoreError::Crypto(format!("{}（{} {id}）无法用密钥 {key_id} 解开：{e}", self.what, self.id))
            })?;
            let new = cipher.seal(&aad, &plain)?;
            let done = sqlx::query(sqlx::AssertSqlSafe(write.clone()))
                .bind(new.key_id)
                .bind(new.nonce)
                .bind(new.ciphertext)
                .bind(id)
                .bind(&key_id)
                .bind(nonce)
                .execute(tx.conn())
                .await?;
            changed += done.rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// One pass from the lowest id to the highest.
    async fn pass(&self, store: &Store, cipher: &IdentityCipher, opts: &RotateOptions) -> Result<u64> {
        let mut cursor = i64::MIN;
        let mut changed = 0;
        loop {
            let ids = self.pending(store, cipher.current_key_id(), cursor, opts.batch.max(1)).await?;
            let Some(&last) = ids.last() else { return Ok(changed) };
            changed += self.reseal(store, cipher, &ids).await?;
            cursor = last;
            if !opts.pause.is_zero() {
                tokio::time::sleep(opts.pause).await;
            }
        }
    }
}

/// Re-seal everything under `cipher`'s current key, then retire every other key (see the module docs).
/// `cipher` must hold the new key as current and every key that sealed a stored row among its old keys.
pub async fn rotate(
    store: &Store,
    cipher: &IdentityCipher,
    opts: &RotateOptions,
    now_ms: i64,
    actor: &str,
) -> Result<RotationReport> {
    // Every key that sealed something must be at hand, or the rotation would stop half-way.
    let mut missing: Vec<String> = Vec::new();
    for s in [&IDENTITIES, &CONTACTS, &COMMENTS] {
        for k in s.key_ids(store).await? {
            if !cipher.key_ids().any(|c| c == k) && !missing.contains(&k) {
                missing.push(k);
            }
        }
    }
    if !missing.is_empty() {
        return Err(StoreError::Key(format!(
            "轮换需要解开现有数据的全部密钥，缺少密钥 {}：请在 sm4_old_keys 中配置",
            missing.join("、")
        )));
    }
    // Checks the configured keys against their check values and records the new key's if needed.
    crate::crypto::check_keys(store, Some(cipher), now_ms).await?;
    let new_key_id = cipher.current_key_id().to_owned();
    let mut tx = store.begin().await?;
    audit::append(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            actor_user_id: None,
            actor_unit_id: None,
            actor_name: actor.into(),
            action: "keys.rotation_started".into(),
            entity_type: "crypto_key".into(),
            entity_id: new_key_id.clone(),
            detail: serde_json::json!({ "new_key_id": new_key_id }),
        },
    )
    .await?;
    tx.commit().await?;

    let mut report = RotationReport {
        new_key_id: new_key_id.clone(),
        identities: 0,
        contacts: 0,
        comments: 0,
        retired: Vec::new(),
        passes: 0,
    };
    loop {
        report.passes += 1;
        report.identities += IDENTITIES.pass(store, cipher, opts).await?;
        report.contacts += CONTACTS.pass(store, cipher, opts).await?;
        report.comments += COMMENTS.pass(store, cipher, opts).await?;

        // Retire the old keys once nothing is left under them, with writers shut out meanwhile.
        let mut tx = store.begin().await?;
        if tx.backend() == Backend::Postgres {
            sqlx::query("LOCK TABLE complainant_identities, discipline_reports, callbacks IN SHARE MODE")
                .execute(tx.conn())
                .await?;
        }
        let left = IDENTITIES.count_other(&mut tx, &new_key_id).await?
            + CONTACTS.count_other(&mut tx, &new_key_id).await?
            + COMMENTS.count_other(&mut tx, &new_key_id).await?;
        if left > 0 {
            tx.rollback().await?;
            if report.passes >= opts.max_passes {
                return Err(StoreError::Conflict {
                    code: "rotation_incomplete",
                    message: format!(
                        "经过 {} 轮仍有 {left} 条加密数据使用旧密钥：仍有服务在用旧密钥写入。请先把各服务的 sm4_key 换成新密钥（指纹 {new_key_id}）、旧密钥放入 sm4_old_keys，再重新运行；旧密钥暂未停用",
                        report.passes
                    ),
                });
            }
            continue;
        }
        let retired: Vec<String> = sqlx::query_scalar(
            "SELECT key_id FROM crypto_keys WHERE key_id <> $1 AND retired_at IS NULL ORDER BY created_at",
        )
        .bind(&new_key_id)
        .fetch_all(tx.conn())
        .await?;
        sqlx::query("UPDATE crypto_keys SET retired_at = $1 WHERE key_id <> $2 AND retired_at IS NULL")
            .bind(now_ms)
            .bind(&new_key_id)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                at_ms: now_ms,
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: actor.into(),
                action: "keys.rotated".into(),
                entity_type: "crypto_key".into(),
                entity_id: new_key_id.clone(),
                detail: serde_json::json!({
                    "new_key_id": new_key_id,
                    "retired": retired,
                    "identities": report.identities,
                    "contacts": report.contacts,
                    "comments": report.comments,
                    "passes": report.passes,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        report.retired = retired;
        return Ok(report);
    }
}

/// How many sealed rows each key holds (identities, contacts and comments together), for status output.
pub async fn rows_per_key(store: &Store) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT key_id, CAST(COUNT(*) AS BIGINT) FROM (
             SELECT key_id FROM complainant_identities
             UNION ALL SELECT contact_key_id AS key_id FROM discipline_reports WHERE contact_key_id IS NOT NULL
             UNION ALL SELECT comment_key_id AS key_id FROM callbacks WHERE comment_key_id IS NOT NULL
         ) k GROUP BY key_id ORDER BY key_id",
    )
    .fetch_all(store.reader())
    .await?)
}
