//! Division codes packed into a `u64` for the index: digits with their length (so `0100` ≠ `100`),
//! `OUTSIDE[:code]` with a flag bit, 0 for "not known"; and whether two packed codes name different
//! places.

use crate::hash::hash_str;

pub(super) const OUTSIDE_FLAG: u64 = 1 << 60;

/// Packs a division code into a u64: digits with their length in bits 52..56 (so `0100` ≠ `100`),
/// `OUTSIDE[:code]` with a flag bit. 0 means "not known".
pub(super) fn pack(code: &str) -> u64 {
    let (flag, digits) = match code.strip_prefix("OUTSIDE") {
        Some(rest) => (OUTSIDE_FLAG, rest.trim_start_matches(':')),
        None => (0, code),
    };
    if digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return flag | (1 << 59) | (hash_str(code) & ((1 << 52) - 1));
    }
    let v: u64 = digits.parse().unwrap_or(0);
    flag | ((digits.len() as u64) << 52) | v | (1 << 56)
}

pub(super) fn unpack(p: u64) -> Option<String> {
    if p == 0 {
        return None;
    }
    let len = ((p >> 52) & 0xF) as usize;
    let v = p & ((1 << 52) - 1);
    let digits = if len == 0 { String::new() } else { format!("{v:0len$}") };
    Some(if p & OUTSIDE_FLAG != 0 {
        if digits.is_empty() { "OUTSIDE".to_owned() } else { format!("OUTSIDE:{digits}") }
    } else {
        digits
    })
}

/// Two packed codes name different places (0 = unknown never conflicts; across the border, a
/// province and a county inside it do not conflict).
pub(super) fn conflicts(a: u64, b: u64) -> bool {
    if a == 0 || b == 0 || a == b {
        return false;
    }
    if a & OUTSIDE_FLAG != 0 && b & OUTSIDE_FLAG != 0 {
        let (la, lb) = (((a >> 52) & 0xF) as u32, ((b >> 52) & 0xF) as u32);
        let (va, vb) = (a & ((1 << 52) - 1), b & ((1 << 52) - 1));
        if la == 0 || lb == 0 {
            return false;
        }
        let (long, short, dl) = if la >= lb { (va, vb, la - lb) } else { (vb, va, lb - la) };
        return long / 10u64.pow(dl) != short;
    }
    true
}
