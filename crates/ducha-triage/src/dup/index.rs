//! The incremental near-duplicate index: documents filed under blocking keys (village, township ×
//! source kind, county × kind, anchor, landmark) in an inverted index, so a query scores a few hundred
//! documents even at a million; the best match is reported by its primary (the earliest report).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::DUP_THRESHOLD;
use super::doc::DupDoc;
use super::score::{pair_score, score};
use crate::hash::hash_parts;

/// The best earlier match of a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DupMatch {
    /// The primary report of this source: the earliest document the match is linked to.
    pub id: u64,
    /// The document that matched (may itself be a duplicate of `id`).
    pub matched_id: u64,
    pub score: f32,
    /// Why (Chinese, for the case page).
    pub evidence: Vec<String>,
}

/// Incremental near-duplicate index (add one, query one).
#[derive(Debug, Default)]
pub struct DupIndex {
    docs: Vec<(u64, u64, DupDoc)>,
    by_id: HashMap<u64, usize>,
    postings: HashMap<u64, Vec<u32>>,
    threshold: Option<f32>,
}

/// Blocking keys under which a document is filed (`insert`) or looked up (`!insert`).
///
/// Buckets stay small at a million documents: a village; a township × source kind (or × type for
/// documents naming no kind); county-level buckets only for documents that name no township; an
/// anchor within its county; a landmark. A query with a township never scans a whole county.
fn keys(d: &DupDoc, insert: bool) -> Vec<u64> {
    let mut k = Vec::new();
    let mut add = |tag: u8, region: u64, facet: u64| {
        k.push(hash_parts(&[&[tag], &region.to_le_bytes(), &facet.to_le_bytes()]));
    };
    const V: u8 = 1; // village
    const T: u8 = 2; // township, every document
    const T0: u8 = 3; // township, documents without a village
    const C: u8 = 4; // county, every document
    const C0: u8 = 5; // county, documents without a township
    const U: u8 = 6; // no county
    const A: u8 = 7; // anchor in a county, every document
    const A0: u8 = 8; // anchor in a county, documents without a village
    const G: u8 = 9; // anchor anywhere
    const L: u8 = 10; // landmark
    if d.village != 0 {
        add(V, d.village, 0);
    }
    // Facets: source kinds (1..=64), or pollution types (100+) for documents naming no kind; on the
    // other side the type buckets of documents that name no kind (200+ = filed with a kind).
    let kinds = (0..64u64).filter(|b| d.kinds & (1 << b) != 0).map(|b| b + 1);
    let types: Vec<u64> = if d.types == 0 {
        vec![100]
    } else {
        (0..8u64).filter(|b| d.types & (1 << b) != 0).map(|b| 101 + b).collect()
    };
    let mut facets: Vec<u64> = if d.kinds == 0 { types.clone() } else { kinds.collect() };
    match (insert, d.kinds == 0) {
        (true, false) | (false, true) => facets.extend(types.iter().map(|t| t + 100)),
        (false, false) => facets.extend(types.iter().copied()),
        (true, true) => {}
    }
    for &f in &facets {
        match (d.village != 0, d.township != 0, d.county != 0) {
            // A query with a village finds its village's documents through V, and here only the
            // documents that name no village (or no township).
            (true, true, true) if !insert => {
                add(T0, d.township, f);
                add(C0, d.county, f);
            }
            (_, true, true) => {
                add(T, d.township, f);
                if insert {
                    add(C, d.county, f);
                    if d.village == 0 {
                        add(T0, d.township, f);
                    }
                } else {
                    add(C0, d.county, f);
                }
            }
            (_, false, true) => {
                add(C, d.county, f);
                if insert {
                    add(C0, d.county, f);
                }
            }
            _ => add(U, 0, f),
        }
    }
    for key in &d.anchor_keys {
        match (d.county != 0, insert) {
            (true, true) => {
                add(A, d.county, *key);
                if d.village == 0 {
                    add(A0, d.county, *key);
                }
                add(G, 0, *key);
            }
            (false, true) => {
                add(A0, 0, *key);
                add(G, 0, *key);
            }
            (true, false) => {
                add(if d.village != 0 { A0 } else { A }, d.county, *key);
                add(A0, 0, *key);
            }
            (false, false) => add(G, 0, *key),
        }
    }
    for l in &d.landmarks {
        add(L, 0, *l);
    }
    k.sort_unstable();
    k.dedup();
    k
}

impl DupIndex {
    pub fn new() -> DupIndex {
        DupIndex::default()
    }

    /// An index with a custom score threshold (default [`DUP_THRESHOLD`]).
    pub fn with_threshold(threshold: f32) -> DupIndex {
        DupIndex { threshold: Some(threshold), ..DupIndex::default() }
    }

    /// Adds a document that is its own primary.
    pub fn add(&mut self, id: u64, doc: &DupDoc) {
        self.insert(id, id, doc.clone());
    }

    /// Adds a document known to be a duplicate of `primary` (queries that match it report `primary`).
    pub fn add_duplicate(&mut self, id: u64, doc: &DupDoc, primary: u64) {
        let root = self.by_id.get(&primary).map(|&i| self.docs[i].1).unwrap_or(primary);
        self.insert(id, root, doc.clone());
    }

    fn insert(&mut self, id: u64, primary: u64, doc: DupDoc) {
        let idx = self.docs.len() as u32;
        for k in keys(&doc, true) {
            self.postings.entry(k).or_default().push(idx);
        }
        self.by_id.insert(id, idx as usize);
        self.docs.push((id, primary, doc));
    }

    /// The best-matching earlier document about the same source, reported by its primary (the
    /// earliest report of that source), if any scores at least the threshold.
    pub fn query(&self, doc: &DupDoc) -> Option<DupMatch> {
        let threshold = self.threshold.unwrap_or(DUP_THRESHOLD);
        let cands = self.candidates(doc);
        let mut best: Option<(usize, f32)> = None;
        for &i in &cands {
            let (_, _, c) = &self.docs[i as usize];
            let s = score(doc, c, None);
            if s < threshold {
                continue;
            }
            // The best match wins (ties: the earlier one); its primary is reported.
            let better = match &best {
                None => true,
                Some((bi, bs)) => s > *bs || (s == *bs && (i as usize) < *bi),
            };
            if better {
                best = Some((i as usize, s));
            }
        }
        best.map(|(i, score)| {
            let (_, evidence) = pair_score(doc, &self.docs[i].2);
            DupMatch { id: self.docs[i].1, matched_id: self.docs[i].0, score, evidence }
        })
    }

    /// Positions of the earlier documents a query scores (diagnostics: bucket sizes).
    fn candidates(&self, doc: &DupDoc) -> Vec<u32> {
        let mut cands: Vec<u32> = Vec::new();
        for k in keys(doc, false) {
            if let Some(p) = self.postings.get(&k) {
                cands.extend_from_slice(p);
            }
        }
        cands.sort_unstable();
        cands.dedup();
        cands
    }

    /// How many earlier documents a query would score (for benchmarks and diagnostics).
    pub fn candidate_count(&self, doc: &DupDoc) -> usize {
        self.candidates(doc).len()
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Estimated heap bytes of the index (documents, postings, id map).
    pub fn memory_bytes(&self) -> usize {
        let docs: usize = self.docs.iter().map(|(_, _, d)| d.memory_bytes() + 16).sum::<usize>()
            + (self.docs.capacity() - self.docs.len()) * std::mem::size_of::<(u64, u64, DupDoc)>();
        let postings: usize = self.postings.values().map(|v| v.capacity() * 4 + 8 + 24 + 8).sum();
        let ids = self.by_id.capacity() * (8 + 8 + 8);
        docs + postings + ids
    }
}
