//! Hashes that are stored — the duplicate index's documents ([`crate::dup::DupDoc`]), the opinion
//! desk's repost fingerprints — are specified here and pinned by test vectors, never borrowed from
//! `std`: Rust does not promise that `DefaultHasher` gives the same output across releases, nor does
//! the `Hash` trait fix the bytes it feeds for a `str` or a tuple, and a stored hash that changes with
//! the toolchain silently stops matching. Everything here hashes bytes the caller spells out.
//!
//! - [`fnv1a`]: FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), over bytes.
//! - [`splitmix64`]: the SplitMix64 finaliser (Steele, Lea, Flood 2014; the golden-ratio state step
//!   included), which spreads FNV's weak low bits.
//! - [`hash_bytes`] = `splitmix64(fnv1a(bytes))`, [`hash_str`] of a string's UTF-8 bytes;
//!   [`hash_parts`] hashes several fields with a 0xFF byte after each (no UTF-8 text contains 0xFF,
//!   so `("ab", "c")` and `("a", "bc")` differ).
//! - [`minhash`]: a MinHash signature of a set of 64-bit shingle hashes, slot `i` taking the minimum of
//!   the high half of `splitmix64(h ^ i·0xa24baed4963ee407)` ([`slot_hash`]) — one derivation for the
//!   duplicate index and the opinion fingerprints.
//!
//! A change to any output here changes every stored value: bump the version of what stores it
//! ([`crate::dup::DUP_DOC_VERSION`]) and the pinned vectors below together.

const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;
/// The SplitMix64 state step (2⁶⁴ / φ).
pub const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
/// The per-slot multiplier of [`slot_hash`].
const SLOT_MUL: u64 = 0xA24B_AED4_963E_E407;

/// FNV-1a (64-bit) of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

fn fnv1a_from(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The SplitMix64 finaliser of `z`, its state step included: the reference generator's output for
/// state `z` (so `splitmix64(0)` is the first output from seed 0).
pub fn splitmix64(z: u64) -> u64 {
    let mut z = z.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stored hash of some bytes: `splitmix64(fnv1a(bytes))`.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    splitmix64(fnv1a(bytes))
}

/// The stored hash of a string (its UTF-8 bytes).
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// The stored hash of several fields, each followed by a 0xFF byte: `splitmix64(fnv1a(p₀ ‖ FF ‖ p₁ ‖
/// FF …))`. Numbers go in as their little-endian bytes (`u64::to_le_bytes`).
pub fn hash_parts(parts: &[&[u8]]) -> u64 {
    let mut h = FNV_OFFSET;
    for p in parts {
        h = fnv1a_from(h, p);
        h = fnv1a_from(h, &[0xFF]);
    }
    splitmix64(h)
}

/// Slot `i`'s hash of shingle `h` in a MinHash signature: the high half of
/// `splitmix64(h ^ i·0xa24baed4963ee407)`.
pub fn slot_hash(h: u64, i: usize) -> u32 {
    (splitmix64(h ^ (i as u64).wrapping_mul(SLOT_MUL)) >> 32) as u32
}

/// The MinHash signature of a set of shingle hashes (`u32::MAX` in every slot for an empty set). Two
/// sets with Jaccard similarity `J` agree on each slot with probability about `J`.
pub fn minhash<const K: usize>(shingles: impl IntoIterator<Item = u64>) -> [u32; K] {
    let mut sig = [u32::MAX; K];
    for h in shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            let v = slot_hash(h, i);
            if v < *slot {
                *slot = v;
            }
        }
    }
    sig
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned values: a change here is a change of every stored hash (bump the stored versions).
    #[test]
    fn stored_hashes_are_pinned() {
        // FNV-1a's published vectors.
        assert_eq!(fnv1a(b""), 0xCBF2_9CE4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xAF63_DC4C_8601_EC8C);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_F739_67E8);
        // SplitMix64 from seed 0: the reference generator's first outputs.
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(GOLDEN), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(splitmix64(GOLDEN.wrapping_mul(2)), 0x06C4_5D18_8009_454F);
        // This crate's compositions.
        assert_eq!(hash_str(""), 0xC381_7C01_6BA4_FF30);
        assert_eq!(hash_str("鑫源"), 0x2E60_4523_F019_A774);
        assert_eq!(hash_str("xin yuan"), 0x9CD8_BA08_FAAD_BC84);
        assert_eq!(hash_parts(&[&[1], &7u64.to_le_bytes(), &0u64.to_le_bytes()]), 0x3B41_0BCA_316F_91E6);
        assert_eq!(hash_parts(&[b"ab", b"c"]), 0x2F98_A392_C69B_EFEC);
        assert_eq!(hash_parts(&[b"a", b"bc"]), 0xC759_CA85_F43A_A8C1);
        assert_eq!(slot_hash(0, 0), 0xE220_A839);
        assert_eq!(slot_hash(hash_str("柳屯"), 3), 0x18BD_ECD4);
        let sig: [u32; 4] = minhash([hash_str("柳屯"), hash_str("屯镇")]);
        assert_eq!(sig, [0x6890_6982, 0x46B7_317D, 0x8DD9_880A, 0x18BD_ECD4]);
    }

    #[test]
    fn fields_are_delimited() {
        assert_ne!(hash_parts(&[b"ab", b"c"]), hash_parts(&[b"a", b"bc"]));
        assert_ne!(hash_parts(&[b"ab"]), hash_str("ab"));
    }

    #[test]
    fn minhash_agrees_with_jaccard() {
        let a: Vec<u64> = (0..100u64).map(|i| hash_str(&i.to_string())).collect();
        let b: Vec<u64> = (50..150u64).map(|i| hash_str(&i.to_string())).collect();
        let (sa, sb): ([u32; 256], [u32; 256]) = (minhash(a.iter().copied()), minhash(b.iter().copied()));
        let agree = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / 256.0;
        // J = 50/150 = 0.333…
        assert!((agree - 1.0 / 3.0).abs() < 0.1, "{agree}");
        assert_eq!(minhash::<4>(std::iter::empty()), [u32::MAX; 4]);
    }
}
