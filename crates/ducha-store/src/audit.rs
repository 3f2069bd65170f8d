//! The audit trail: one append-only log, hash-chained with SM3 (GM/T 0004-2012).
//!
//! Record `n` stores `hash_n = SM3(hash_{n-1} ‖ fields of n)`, with every field length-prefixed so no
//! two different records encode the same bytes. `audit_head` keeps the latest sequence number and
//! hash, so removing records from the end is detected too. Appending happens inside the caller's
//! transaction; on PostgreSQL the head row is locked (`FOR UPDATE`), which gives one total order
//! across every app instance.

use futures_util::TryStreamExt;
use serde::Serialize;
use sm3::{Digest, Sm3};

use crate::{Result, Store, Tx};

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did what to which thing.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at_ms: i64,
    pub actor_user_id: Option<i64>,
    pub actor_unit_id: Option<i64>,
    /// Display name at the time (users may be renamed later).
    pub actor_name: String,
    /// Stable code, e.g. `case.transition`, `identity.read`, `user.login`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub detail: serde_json::Value,
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_unit_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

fn field(h: &mut Sm3, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// The chain hash of one record given the previous hash.
pub fn record_hash(prev_hash: &str, r: &AuditRecord) -> String {
    let mut h = Sm3::new();
    field(&mut h, prev_hash.as_bytes());
    field(&mut h, &r.seq.to_be_bytes());
    field(&mut h, &r.at.to_be_bytes());
    field(&mut h, r.actor_user_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    field(&mut h, r.actor_unit_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    field(&mut h, r.actor_name.as_bytes());
    field(&mut h, r.action.as_bytes());
    field(&mut h, r.entity_type.as_bytes());
    field(&mut h, r.entity_id.as_bytes());
    field(&mut h, r.detail.as_bytes());
    hex::encode(h.finalize())
}

/// Append one record inside `tx`; returns its sequence number.
pub async fn append(tx: &mut Tx, e: &AuditEntry) -> Result<i64> {
    let seqs = append_many(tx, std::slice::from_ref(e)).await?;
    Ok(seqs[0])
}

/// Append records in order inside `tx`; returns their sequence numbers. The head is read and
/// written once, whatever the number of records (group commit of intakes appends a whole group).
pub async fn append_many(tx: &mut Tx, entries: &[AuditEntry]) -> Result<Vec<i64>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let lock = tx.for_update();
    let sql = format!("SELECT seq, hash FROM audit_head WHERE id = 1{lock}");
    let (mut last_seq, mut last_hash): (i64, String) =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_one(tx.conn()).await?;
    let mut recs = Vec::with_capacity(entries.len());
    for e in entries {
        let mut rec = AuditRecord {
            seq: last_seq + 1,
            at: e.at_ms,
            actor_user_id: e.actor_user_id,
            actor_unit_id: e.actor_unit_id,
            actor_name: e.actor_name.clone(),
            action: e.action.clone(),
            entity_type: e.entity_type.clone(),
            entity_id: e.entity_id.clone(),
            detail: e.detail.to_string(),
            prev_hash: last_hash,
            hash: String::new(),
        };
        rec.hash = record_hash(&rec.prev_hash, &rec);
        last_seq = rec.seq;
        last_hash = rec.hash.clone();
        recs.push(rec);
    }
    for chunk in crate::sql::pow2_chunks(&recs) {
        let mut q = crate::sql::Q::many(
            tx.backend(),
            "INSERT INTO audit_log (seq, at, actor_user_id, actor_unit_id, actor_name, action, entity_type, entity_id, detail, prev_hash, hash) VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.bind(r.seq).push(", ").bind(r.at).push(", ").bind(r.actor_user_id).push(", ");
            q.bind(r.actor_unit_id).push(", ").bind(r.actor_name.as_str()).push(", ");
            q.bind(r.action.as_str()).push(", ").bind(r.entity_type.as_str()).push(", ");
            q.bind(r.entity_id.as_str()).push(", ").bind(r.detail.as_str()).push(", ");
            q.bind(r.prev_hash.as_str()).push(", ").bind(r.hash.as_str()).push(")");
        }
        q.query()?.execute(tx.conn()).await?;
    }
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(last_seq)
        .bind(&last_hash)
        .execute(tx.conn())
        .await?;
    Ok(recs.iter().map(|r| r.seq).collect())
}

/// Where the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// The sequence number of the first record that fails (or is missing).
    pub seq: i64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub checked: i64,
    pub head_seq: i64,
    pub broken: Option<Break>,
}

/// Walk the whole chain in order and name the first record that was edited, removed or reordered.
pub async fn verify(store: &Store) -> Result<VerifyReport> {
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(store.reader()).await?;
    let mut rows = sqlx::query_as::<_, AuditRecord>(
        "SELECT seq, at, actor_user_id, actor_unit_id, actor_name, action, entity_type, entity_id, detail, prev_hash, hash
         FROM audit_log ORDER BY seq",
    )
    .fetch(store.reader());
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_owned();
    let mut checked = 0i64;
    let fail = |checked: i64, seq: i64, reason: String| VerifyReport {
        checked,
        head_seq,
        broken: Some(Break { seq, reason }),
    };
    while let Some(r) = rows.try_next().await? {
        if r.seq != expected_seq {
            let reason = if r.seq > expected_seq {
                format!("第 {expected_seq} 条审计记录缺失（下一条是第 {} 条）：记录被删除", r.seq)
            } else {
                format!("第 {} 条审计记录序号重复或乱序", r.seq)
            };
            return Ok(fail(checked, expected_seq, reason));
        }
        if r.prev_hash != prev {
            let reason = format!(
                "第 {} 条审计记录的前序哈希与第 {} 条不符：记录被删除、插入或调换顺序",
                r.seq,
                r.seq - 1
            );
            return Ok(fail(checked, r.seq, reason));
        }
        if record_hash(&prev, &r) != r.hash {
            let reason = format!(
                "第 {} 条审计记录（{}，{} {}）的内容与其哈希不符：记录被改动",
                r.seq, r.action, r.entity_type, r.entity_id
            );
            return Ok(fail(checked, r.seq, reason));
        }
        prev = r.hash;
        expected_seq += 1;
        checked += 1;
    }
    if checked != head_seq || prev != head_hash {
        let reason = format!(
            "审计链末尾应为第 {head_seq} 条，实际只到第 {checked} 条（或末条哈希不符）：末尾记录被删除或改动"
        );
        return Ok(fail(checked, checked + 1, reason));
    }
    Ok(VerifyReport { checked, head_seq, broken: None })
}

/// Every record about one entity, oldest first.
pub async fn for_entity(store: &Store, entity_type: &str, entity_id: &str) -> Result<Vec<AuditRecord>> {
    Ok(sqlx::query_as::<_, AuditRecord>(
        "SELECT seq, at, actor_user_id, actor_unit_id, actor_name, action, entity_type, entity_id, detail, prev_hash, hash
         FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY seq",
    )
    .bind(entity_type)
    .bind(entity_id)
    .fetch_all(store.reader())
    .await?)
}

/// Count records with a given action code (for dashboards and tests).
pub async fn count_action(store: &Store, action: &str) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(store.reader())
        .await?)
}
