//! Complainant identity at rest: SM4 (GB/T 32907) in GCM mode (authenticated), keyed from
//! configuration. The associated data binds each ciphertext to its case, so a ciphertext copied onto
//! another case does not decrypt.

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use sm3::{Digest, Sm3};
use sm4::Sm4;

use crate::{Result, Store, StoreError};

type Sm4Gcm = AesGcm<Sm4, U12>;

/// A 128-bit SM4 key.
#[derive(Clone)]
pub struct KeyMaterial {
    key: [u8; 16],
}

impl std::fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key itself.
        write!(f, "KeyMaterial({})", self.key_id())
    }
}

impl KeyMaterial {
    /// 32 hexadecimal characters.
    pub fn from_hex(s: &str) -> Result<Self> {
        let bytes = hex::decode(s.trim())
            .map_err(|_| StoreError::Key("SM4 密钥格式错误：应为32位十六进制字符".into()))?;
        let key: [u8; 16] = bytes
            .try_into()
            .map_err(|_| StoreError::Key("SM4 密钥长度错误：应为128位（32位十六进制字符）".into()))?;
        Ok(Self { key })
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        Self { key: rand::random() }
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.key)
    }

    /// A public fingerprint of the key (SM3, first 16 hex digits), stored beside each ciphertext.
    pub fn key_id(&self) -> String {
        let d = Sm3::digest(self.key);
        hex::encode(&d[..8])
    }
}

/// Encrypts with the current key; decrypts with any configured key (for rotation).
#[derive(Clone)]
pub struct IdentityCipher {
    current: (String, Sm4Gcm),
    old: Vec<(String, Sm4Gcm)>,
}

impl std::fmt::Debug for IdentityCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityCipher").field("current", &self.current.0).finish_non_exhaustive()
    }
}

/// One sealed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

fn cipher_for(k: &KeyMaterial) -> Result<Sm4Gcm> {
    Sm4Gcm::new_from_slice(&k.key).map_err(|e| StoreError::Crypto(e.to_string()))
}

const KEY_CHECK: &[u8] = b"ducha key check v1";

impl IdentityCipher {
    pub fn new(current: &KeyMaterial, old: &[KeyMaterial]) -> Result<Self> {
        let mut olds = Vec::new();
        for k in old {
            olds.push((k.key_id(), cipher_for(k)?));
        }
        Ok(Self { current: (current.key_id(), cipher_for(current)?), old: olds })
    }

    pub fn current_key_id(&self) -> &str {
        &self.current.0
    }

    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.current.0.as_str()).chain(self.old.iter().map(|(id, _)| id.as_str()))
    }

    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Sealed> {
        let nonce_bytes: [u8; 12] = rand::random();
        let nonce = aes_gcm::Nonce::<U12>::try_from(&nonce_bytes[..])
            .map_err(|_| StoreError::Crypto("nonce length".into()))?;
        let ciphertext = self
            .current
            .1
            .encrypt(&nonce, Payload { msg: plaintext, aad })
            .map_err(|_| StoreError::Crypto("SM4-GCM 加密失败".into()))?;
        Ok(Sealed { key_id: self.current.0.clone(), nonce: nonce_bytes.to_vec(), ciphertext })
    }

    pub fn open(&self, aad: &[u8], sealed: &Sealed) -> Result<Vec<u8>> {
        let cipher = std::iter::once(&self.current)
            .chain(self.old.iter())
            .find(|(id, _)| *id == sealed.key_id)
            .map(|(_, c)| c)
            .ok_or_else(|| {
                StoreError::Key(format!("解密需要密钥 {}，但当前配置中没有该密钥", sealed.key_id))
            })?;
        let nonce = aes_gcm::Nonce::<U12>::try_from(sealed.nonce.as_slice())
            .map_err(|_| StoreError::Corrupt("加密数据的随机数长度错误".into()))?;
        cipher
            .decrypt(&nonce, Payload { msg: &sealed.ciphertext, aad })
            .map_err(|_| StoreError::Crypto("SM4-GCM 认证失败：数据被改动或密钥不符".into()))
    }
}

/// Verify at start-up that the configured key can read what the database holds.
///
/// * No key and no encrypted data: fine (returns `Ok(false)`: identities cannot be stored yet).
/// * No key but encrypted data exists: a clear error naming the missing key.
/// * A key that the database has never seen while other keys exist: a clear error.
/// * A key on a fresh database: its check value is recorded.
pub async fn check_keys(store: &Store, cipher: Option<&IdentityCipher>, now_ms: i64) -> Result<bool> {
    let known: Vec<(String, Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "SELECT key_id, check_nonce, check_ct FROM crypto_keys WHERE retired_at IS NULL ORDER BY created_at",
    )
    .fetch_all(store.reader())
    .await?;
    let identities: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM complainant_identities").fetch_one(store.reader()).await?;
    let Some(cipher) = cipher else {
        if known.is_empty() && identities == 0 {
            return Ok(false);
        }
        let ids: Vec<&str> = known.iter().map(|k| k.0.as_str()).collect();
        return Err(StoreError::Key(format!(
            "数据库中已有加密的举报人身份信息（密钥指纹 {}），但未配置 SM4 密钥：请设置环境变量 DUCHA_SM4_KEY 或配置项 sm4_key_file",
            ids.join("、")
        )));
    };
    for (key_id, nonce, ct) in &known {
        if cipher.key_ids().any(|k| k == key_id) {
            let sealed = Sealed { key_id: key_id.clone(), nonce: nonce.clone(), ciphertext: ct.clone() };
            let plain = cipher.open(b"key-check", &sealed)?;
            if plain != KEY_CHECK {
                return Err(StoreError::Key(format!("密钥 {key_id} 的校验值不符")));
            }
        }
    }
    let current_known = known.iter().any(|k| k.0 == cipher.current_key_id());
    if !current_known {
        let retired: Option<i64> = sqlx::query_scalar("SELECT retired_at FROM crypto_keys WHERE key_id = $1")
            .bind(cipher.current_key_id())
            .fetch_optional(store.reader())
            .await?
            .flatten();
        if retired.is_some() {
            return Err(StoreError::Key(format!(
                "配置的 SM4 密钥（指纹 {}）已在密钥轮换中停用：请改用轮换后的新密钥，旧密钥只用于打开轮换前的备份",
                cipher.current_key_id()
            )));
        }
        let missing: Vec<&str> =
            known.iter().map(|k| k.0.as_str()).filter(|id| !cipher.key_ids().any(|k| k == *id)).collect();
        if !missing.is_empty() {
            return Err(StoreError::Key(format!(
                "配置的 SM4 密钥（指纹 {}）与数据库中的加密数据不符：缺少密钥 {}",
                cipher.current_key_id(),
                missing.join("、")
            )));
        }
        let sealed = cipher.seal(b"key-check", KEY_CHECK)?;
        let mut tx = store.begin().await?;
        sqlx::query(
            "INSERT INTO crypto_keys (key_id, check_nonce, check_ct, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(sealed.key_id)
        .bind(sealed.nonce)
        .bind(sealed.ciphertext)
        .bind(now_ms)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_binding() {
        let k = KeyMaterial::generate();
        let c = IdentityCipher::new(&k, &[]).unwrap();
        let s = c.seal(b"case:1", "张三 13800000000".as_bytes()).unwrap();
        assert_eq!(c.open(b"case:1", &s).unwrap(), "张三 13800000000".as_bytes());
        assert!(c.open(b"case:2", &s).is_err(), "bound to its case");
        let mut tampered = s.clone();
        tampered.ciphertext[0] ^= 1;
        assert!(c.open(b"case:1", &tampered).is_err(), "authenticated");
        let other = IdentityCipher::new(&KeyMaterial::generate(), &[]).unwrap();
        assert!(other.open(b"case:1", &s).is_err(), "wrong key");
        assert!(!s.ciphertext.windows(6).any(|w| w == "张三".as_bytes()), "not plaintext");
    }

    #[test]
    fn rotation_reads_old_keys() {
        let old = KeyMaterial::generate();
        let new = KeyMaterial::generate();
        let s = IdentityCipher::new(&old, &[]).unwrap().seal(b"a", b"x").unwrap();
        let rotated = IdentityCipher::new(&new, std::slice::from_ref(&old)).unwrap();
        assert_eq!(rotated.open(b"a", &s).unwrap(), b"x");
        assert_eq!(rotated.seal(b"a", b"x").unwrap().key_id, new.key_id());
    }

    #[test]
    fn key_parsing() {
        let k = KeyMaterial::generate();
        assert_eq!(KeyMaterial::from_hex(&k.to_hex()).unwrap().key_id(), k.key_id());
        assert!(KeyMaterial::from_hex("abcd").is_err());
        assert!(KeyMaterial::from_hex("zz").is_err());
        assert!(!format!("{k:?}").contains(&k.to_hex()));
    }

    #[test]
    fn sm4_known_answer() {
        // GB/T 32907-2016 Appendix A example 1.
        use sm4::cipher::{BlockCipherEncrypt, KeyInit as _};
        let key = hex::decode("0123456789abcdeffedcba9876543210").unwrap();
        let c = Sm4::new_from_slice(&key).unwrap();
        let mut block = sm4::cipher::Array::try_from(&key[..]).unwrap();
        c.encrypt_block(&mut block);
        assert_eq!(hex::encode(block), "681edf34d206965e86b3e94f536e4246");
    }
}
