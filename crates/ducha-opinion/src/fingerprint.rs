//! Near-duplicate detection of reposts: a MinHash signature over character 3-grams of an item's core
//! text, banded for locality-sensitive lookup.
//!
//! Two items whose shingle sets have Jaccard similarity `J` agree on each signature slot with
//! probability `J`. The signature has [`SLOTS`] slots in [`BANDS`] bands of [`ROWS`]; an item is a
//! candidate when any whole band agrees (probability `1-(1-J^4)^16`: 0.99 at J=0.7, 0.50 at J=0.35),
//! and a near-duplicate when the estimated similarity is at least [`NEAR_DUPLICATE`].
//!
//! Signatures and band keys are stored (the app keeps [`Fingerprint::to_hex`] and the band keys with
//! each item), so every hash is specified, not borrowed from `std`: a shingle is FNV-1a
//! ([`ducha_triage::hash::fnv1a`]) of its three characters as 32-bit little-endian code points, the
//! signature is [`ducha_triage::hash::minhash`] (shared with the complaint duplicate index), and a
//! band key chains [`ducha_triage::hash::splitmix64`] over its rows. The test `stored_form_is_pinned`
//! holds one text's stored form to the value it had before these hashes moved to `ducha-triage`; a
//! change there needs a migration of the stored fingerprints.

use ducha_triage::hash::{fnv1a, minhash, splitmix64};
use serde::{Deserialize, Serialize};

pub const SLOTS: usize = 64;
pub const ROWS: usize = 4;
pub const BANDS: usize = SLOTS / ROWS;
/// Estimated Jaccard similarity at or above which two items are the same post.
pub const NEAR_DUPLICATE: f32 = 0.6;

/// The hash of one shingle: FNV-1a over each character's code point, 4 bytes little-endian.
fn shingle_hash(chars: &[char]) -> u64 {
    let mut bytes = [0u8; 12];
    for (c, out) in chars.iter().zip(bytes.chunks_exact_mut(4)) {
        out.copy_from_slice(&(*c as u32).to_le_bytes());
    }
    fnv1a(&bytes[..chars.len().min(3) * 4])
}

/// The letters that carry meaning: Han characters and ASCII letters/digits (lower-cased).
fn letters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| ducha_triage::text::is_han(*c) || c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub mins: Vec<u32>,
}

impl Fingerprint {
    /// The signature of a text (normally [`crate::normalise::core_text`] of title and body).
    /// `None` when the text has fewer than 6 letters: too short to call anything a repost of it.
    pub fn of(text: &str) -> Option<Fingerprint> {
        let l = letters(text);
        if l.len() < 6 {
            return None;
        }
        let mins = minhash::<SLOTS>(l.windows(3).map(shingle_hash));
        Some(Fingerprint { mins: mins.to_vec() })
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn similarity(&self, other: &Fingerprint) -> f32 {
        if self.mins.len() != other.mins.len() || self.mins.is_empty() {
            return 0.0;
        }
        let same = self.mins.iter().zip(&other.mins).filter(|(a, b)| a == b).count();
        same as f32 / self.mins.len() as f32
    }

    pub fn is_near_duplicate(&self, other: &Fingerprint) -> bool {
        self.similarity(other) >= NEAR_DUPLICATE
    }

    /// One lookup key per band (`"07:5f3a…"`); items sharing any key are candidates.
    pub fn band_keys(&self) -> Vec<String> {
        self.mins
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut h: u64 = band as u64;
                for r in rows {
                    h = splitmix64(h ^ u64::from(*r));
                }
                format!("{band:02}:{h:016x}")
            })
            .collect()
    }

    /// Storage form: hex, 8 digits per slot.
    pub fn to_hex(&self) -> String {
        self.mins.iter().map(|m| format!("{m:08x}")).collect()
    }

    pub fn from_hex(s: &str) -> Option<Fingerprint> {
        if s.len() != SLOTS * 8 || !s.is_ascii() {
            return None;
        }
        let mins = (0..SLOTS)
            .map(|i| u32::from_str_radix(&s[i * 8..i * 8 + 8], 16).ok())
            .collect::<Option<Vec<u32>>>()?;
        Some(Fingerprint { mins })
    }
}

/// An in-memory index of fingerprints (for a day's items, an import, or a benchmark); the app keeps
/// the same band keys in the database.
#[derive(Debug, Default)]
pub struct DupIndex {
    bands: std::collections::HashMap<String, Vec<usize>>,
    items: Vec<(i64, Fingerprint)>,
}

impl DupIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// The earliest indexed item that `fp` near-duplicates, with its similarity.
    pub fn find(&self, fp: &Fingerprint) -> Option<(i64, f32)> {
        let mut seen = std::collections::BTreeSet::new();
        for k in fp.band_keys() {
            if let Some(v) = self.bands.get(&k) {
                seen.extend(v.iter().copied());
            }
        }
        seen.into_iter()
            .map(|i| (self.items[i].0, fp.similarity(&self.items[i].1)))
            .find(|(_, s)| *s >= NEAR_DUPLICATE)
    }

    pub fn insert(&mut self, id: i64, fp: Fingerprint) {
        let i = self.items.len();
        for k in fp.band_keys() {
            self.bands.entry(k).or_default().push(i);
        }
        self.items.push((id, fp));
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::core_text;

    fn fp(s: &str) -> Fingerprint {
        Fingerprint::of(&core_text(s)).unwrap()
    }

    #[test]
    fn r3_reposts_are_near_duplicates_and_different_posts_are_not() {
        let original =
            "濮阳县柳屯镇一家塑料颗粒厂晚上偷偷生产，烟囱冒黑烟，气味刺鼻，附近村民多次举报没人管。";
        let cases = [
            (
                "太过分了 //@濮阳身边事:转发微博 //@网友甲:濮阳县柳屯镇一家塑料颗粒厂晚上偷偷生产，烟囱冒黑烟，气味刺鼻，附近村民多次举报没人管。",
                true,
            ),
            (
                "【转】濮阳县柳屯镇一家塑料颗粒厂晚上偷偷生产，烟囱冒黑烟，气味刺鼻，附近村民多次举报没人管！！",
                true,
            ),
            (
                "濮阳县柳屯镇一家塑料颗粒厂晚上偷偷生产，烟囱冒黑烟，气味刺鼻，附近村民多次举报没人管。#环保督察# http://t.cn/x",
                true,
            ),
            ("清丰县城关镇家具厂露天喷漆，油漆味很大，附近居民无法开窗。", false),
            ("濮阳县柳屯镇塑料颗粒厂已被查封，督察组交办的问题整改到位，村民点赞。", false),
        ];
        let a = fp(original);
        for (text, dup) in cases {
            let b = fp(text);
            assert_eq!(a.is_near_duplicate(&b), dup, "{} → {}", text, a.similarity(&b));
        }
    }

    /// The stored form of one text, as it was before the hashes moved to `ducha_triage::hash`
    /// (issue 16): stored fingerprints and band keys stay comparable.
    #[test]
    fn stored_form_is_pinned() {
        let a = Fingerprint::of("濮阳县柳屯镇一家塑料颗粒厂晚上偷偷生产，烟囱冒黑烟。").unwrap();
        assert_eq!(a.to_hex(), PINNED_HEX);
        let keys = a.band_keys();
        assert_eq!(keys[0], "00:7525b6d57e6a02e8");
        assert_eq!(keys[7], "07:8fd63c6f215ec519");
        assert_eq!(keys[15], "15:ebd9b4164b6b6461");
    }

    const PINNED_HEX: &str = concat!(
        "03a4c30008849a1105a5a80415caf7f72563ac7f15b529851e1d857d09df835d00e4edbc050acd400f04d322002f2948",
        "0a620de80120cdbd13afff202d514d4c238a9b0b231502e40cfe4df00a3c667a0d6bd2f91355f925085ddc5b03fd2e98",
        "004e6e1d0e056ce109b62fdf0cb66b33243be96e05e3650109592ddd00e4de1e31b0b6e30510bd5e02dba4290398b347",
        "0c2827340c81d789020306c3090251ae0d162bf30daa74cb028fad6004efc85d07d8d57e0209acd60264ab8411eedd2b",
        "1120b5d2074bc03203ee1bf500817c300610fc1504e3931508b03d3d121eaa6e01f362b419a4279c00c4faac12ee701e",
        "0e326e61041de3770744a26f0f7da46b",
    );

    #[test]
    fn hex_round_trip_and_index() {
        let a = fp("华龙区岳村镇一处工地扬尘严重，渣土车不苫盖，路上全是灰。");
        assert_eq!(Fingerprint::from_hex(&a.to_hex()), Some(a.clone()));
        assert_eq!(Fingerprint::from_hex("zz"), None);
        assert_eq!(a.band_keys().len(), BANDS);
        let mut idx = DupIndex::new();
        idx.insert(7, a);
        idx.insert(8, fp("南乐县一家养猪场粪污直排进河，河水发黑发臭，死鱼漂了一片。"));
        let (id, sim) =
            idx.find(&fp("转发：华龙区岳村镇一处工地扬尘严重，渣土车不苫盖，路上全是灰！")).unwrap();
        assert_eq!(id, 7);
        assert!(sim >= NEAR_DUPLICATE);
        assert_eq!(idx.find(&fp("台前县打渔陈镇秸秆焚烧，浓烟滚滚。")), None);
        assert!(Fingerprint::of("短").is_none());
    }
}
