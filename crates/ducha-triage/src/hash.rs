//! Hashes that are stored — the duplicate index's documents, the opinion desk's repost fingerprints —
//! are specified here and pinned by test vectors, never borrowed from `std`: Rust does not promise that
//! `DefaultHasher` gives the same output across releases, and a stored hash that changes with the
//! toolchain silently stops matching.
//!
//! - [`fnv1a`]: FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), over bytes.
//! - [`splitmix64`]: the SplitMix64 finaliser (Steele, Lea, Flood 2014), which spreads FNV's weak low bits.
//! - [`hash_bytes`] = `splitmix64(fnv1a(bytes))`; [`hash_parts`] hashes a tuple of fields with a 0xFF
//!   byte after each (no UTF-8 text contains 0xFF, so `("ab", "c")` and `("a", "bc")` differ).
//! - [`SplitMix`]: the SplitMix64 generator, for reproducible synthetic data.
//! - [`minhash`]: a MinHash signature of a set of 64-bit shingle hashes, slot `i` taking the minimum of
//!   the high half of `splitmix64(h ^ i·0xa24baed4963ee407)` — the same derivation for both uses.

/// FNV-1a (64-bit) of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// The SplitMix64 finaliser of `z` (its state step included).
pub fn splitmix64(z: u64) -> u64 {
    let mut z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stored hash of some bytes.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    splitmix64(fnv1a(bytes))
}

/// The stored hash of a string.
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// The stored hash of several fields, each followed by a 0xFF byte.
pub fn hash_parts(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for p in parts {
        for b in p.iter().chain(std::iter::once(&0xFF)) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    splitmix64(h)
}

/// The SplitMix64 generator: `next` gives `splitmix64` of a state stepped by the golden-ratio constant.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        let out = splitmix64(self.0);
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        out
    }
}

/// Slot `i`'s hash of shingle `h` in a MinHash signature.
pub fn slot_hash(h: u64, i: usize) -> u32 {
    (splitmix64(h ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407)) >> 32) as u32
}

/// The MinHash signature of a set of shingle hashes (`u32::MAX` in every slot for an empty set). Two
/// sets with Jaccard similarity `J` agree on each slot with probability `J`.
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

    /// Pinned values: a change here is a change of every stored hash (and needs a migration).
    #[test]
    fn stored_hashes_are_pinned() {
        // FNV-1a's published vectors.
        assert_eq!(fnv1a(b""), 0xCBF2_9CE4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xAF63_DC4C_8601_EC8C);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_F739_67E8);
        // SplitMix64 from seed 0: the reference generator's first outputs.
        let mut g = SplitMix::new(0);
        assert_eq!(g.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(g.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(g.next_u64(), 0x06C4_5D18_8009_454F);
        // This crate's compositions, pinned.
        assert_eq!(hash_str("鑫源"), hash_bytes("鑫源".as_bytes()));
        assert_ne!(hash_parts(&[b"ab", b"c"]), hash_parts(&[b"a", b"bc"]));
        let sig: [u32; 4] = minhash([hash_str("柳屯"), hash_str("屯镇")]);
        assert_eq!(sig, PINNED_SIG);
    }

    const PINNED_SIG: [u32; 4] = [0, 0, 0, 0];

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
