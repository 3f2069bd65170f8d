//! The complainant's identity: sealed (SM4-GCM, bound to its case id) into `complainant_identities`,
//! opened only for an audited read or the identity firewall's matcher.

use serde::{Deserialize, Serialize};

use crate::crypto::{IdentityCipher, Sealed};
use crate::sql::Q;
use crate::{Result, Store, StoreError, Tx};

/// Who complained. Never leaves the store except through an audited read by a permitted role, or
/// into the identity firewall's matcher (`ducha_shield::Shield`), which keeps it to itself.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplainantIdentity {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
    /// E-mail, when the complainant gave one (web, Open311, letters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A chat or social-media handle the complainant gave (WeChat, QQ, Douyin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
}

impl std::fmt::Debug for ComplainantIdentity {
    // Which fields are known, never their values: a Debug print must not leak into a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let k = |o: &Option<String>| o.as_ref().map(|_| "…");
        f.debug_struct("ComplainantIdentity")
            .field("name", &k(&self.name))
            .field("phone", &k(&self.phone))
            .field("address", &k(&self.address))
            .field("id_number", &k(&self.id_number))
            .field("email", &k(&self.email))
            .field("handle", &k(&self.handle))
            .finish()
    }
}

impl ComplainantIdentity {
    pub fn is_empty(&self) -> bool {
        [&self.name, &self.phone, &self.address, &self.id_number, &self.email, &self.handle]
            .iter()
            .all(|f| f.as_deref().map(str::trim).unwrap_or("").is_empty())
    }
}

/// The sealed identities of these cases, opened (for the identity firewall's matcher; callers do not
/// show them). Cases without an identity are absent from the map.
pub async fn identities(
    store: &Store,
    cipher: &IdentityCipher,
    case_ids: &[i64],
) -> Result<std::collections::HashMap<i64, ComplainantIdentity>> {
    let mut out = std::collections::HashMap::with_capacity(case_ids.len());
    for chunk in case_ids.chunks(500) {
        let mut q = Q::many(
            store.backend(),
            "SELECT case_id, key_id, nonce, ciphertext FROM complainant_identities WHERE case_id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(")");
        let rows: Vec<(i64, String, Vec<u8>, Vec<u8>)> = q.query_as()?.fetch_all(store.reader()).await?;
        for (case_id, key_id, nonce, ciphertext) in rows {
            let plain = cipher.open(&identity_aad(case_id), &Sealed { key_id, nonce, ciphertext })?;
            let who: ComplainantIdentity = serde_json::from_slice(&plain)
                .map_err(|e| StoreError::Corrupt(format!("身份信息解码失败：{e}")))?;
            out.insert(case_id, who);
        }
    }
    Ok(out)
}

pub(crate) fn identity_aad(case_id: i64) -> Vec<u8> {
    format!("ducha:identity:v1:case:{case_id}").into_bytes()
}

/// Seal and store a case's identity and mark the case as having one.
pub async fn put_identity(
    tx: &mut Tx,
    cipher: &IdentityCipher,
    case_id: i64,
    who: &ComplainantIdentity,
) -> Result<()> {
    seal_identities(tx, cipher, &[(case_id, who)]).await?;
    sqlx::query("UPDATE cases SET has_identity = 1 WHERE id = $1").bind(case_id).execute(tx.conn()).await?;
    Ok(())
}

/// Seal and store identities for cases inserted with `has_identity` already set
/// ([`insert_cases`](super::insert_cases)), in a few multi-row statements.
pub async fn seal_identities(
    tx: &mut Tx,
    cipher: &IdentityCipher,
    identities: &[(i64, &ComplainantIdentity)],
) -> Result<()> {
    for chunk in crate::sql::pow2_chunks(identities) {
        let mut q = Q::many(
            tx.backend(),
            "INSERT INTO complainant_identities (case_id, key_id, nonce, ciphertext) VALUES ",
        );
        for (i, (case_id, who)) in chunk.iter().enumerate() {
            let plain = serde_json::to_vec(who).map_err(|e| StoreError::Crypto(e.to_string()))?;
            let sealed = cipher.seal(&identity_aad(*case_id), &plain)?;
            q.push(if i == 0 { "(" } else { ", (" });
            q.bind(*case_id).push(", ").bind(sealed.key_id).push(", ").bind(sealed.nonce).push(", ");
            q.bind(sealed.ciphertext).push(")");
        }
        q.push(
            " ON CONFLICT (case_id) DO UPDATE SET key_id = excluded.key_id, nonce = excluded.nonce, ciphertext = excluded.ciphertext",
        );
        q.query()?.execute(tx.conn()).await?;
    }
    Ok(())
}

pub async fn identity(
    store: &Store,
    cipher: &IdentityCipher,
    case_id: i64,
) -> Result<Option<ComplainantIdentity>> {
    let row: Option<(String, Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT key_id, nonce, ciphertext FROM complainant_identities WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(store.reader())
            .await?;
    let Some((key_id, nonce, ciphertext)) = row else { return Ok(None) };
    let plain = cipher.open(&identity_aad(case_id), &Sealed { key_id, nonce, ciphertext })?;
    serde_json::from_slice(&plain)
        .map(Some)
        .map_err(|e| StoreError::Corrupt(format!("身份信息解码失败：{e}")))
}

/// Raw sealed identities, for key rotation and backup checks.
pub async fn sealed_identities_with_key(store: &Store, key_id: &str, limit: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT case_id FROM complainant_identities WHERE key_id = $1 ORDER BY case_id LIMIT $2",
    )
    .bind(key_id)
    .bind(limit)
    .fetch_all(store.reader())
    .await?)
}
