//! The firewall against generated hostile writing: random identities rendered in many families of
//! writing (other scripts, separators, invisible characters, reversed runs, Chinese numerals, spaced
//! names, obfuscated e-mails …) inside texts of every kind (complaint, handling report, callback,
//! opinion post, accountability note). Whatever the family, nothing of the identity may be left in the
//! output, measured after the same normalisation the firewall uses; the output is stable under a
//! second pass, carries no invisible characters, and the place and enterprise names around stay.

#![allow(clippy::unwrap_used)]

use ducha_shield::norm::is_invisible;
use ducha_shield::testing::{FAMILIES, carrier, person, render, squeeze};
use ducha_shield::{Identity, Shield};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};
use rand::{SeedableRng, rngs::StdRng};

fn check(seed: u64, family: usize, kind: usize, known: bool) -> Result<(), TestCaseError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let p = person(&mut rng);
    let phrase = render(family, &p, &mut rng);
    let (text, keep) = carrier(kind, &phrase, &mut rng);
    let identity = p.identity();
    // Names are found without the record only after a lead-in; everything else always.
    let shield = if known { Shield::new(&identity) } else { Shield::none() };
    let out = shield.screen(&text);
    let sq = squeeze(out.as_str());
    for s in p.secrets() {
        prop_assert!(
            !sq.contains(&s),
            "family {family} kind {kind} known {known}: {s:?} left in {:?}",
            out.as_str()
        );
    }
    for k in keep {
        prop_assert!(out.as_str().contains(k), "family {family}: {k:?} removed: {:?}", out.as_str());
    }
    prop_assert!(!out.as_str().chars().any(is_invisible), "invisible characters left: {:?}", out.as_str());
    let again = shield.screen(out.as_str());
    prop_assert_eq!(again.as_str(), out.as_str(), "a second pass changes the output");
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 3000, rng_algorithm: RngAlgorithm::ChaCha, ..Config::default() })]

    /// The case's own identity, in every family, in every kind of text.
    #[test]
    fn firewall_hides_the_known_identity_however_written(seed in any::<u64>(), family in 0..FAMILIES, kind in 0..5usize) {
        check(seed, family, kind, true)?;
    }

    /// Without the record: what the general rules must find on their own (phones, ID numbers,
    /// e-mails, handles, dwelling details, names after a lead-in or before a verb of telling).
    #[test]
    fn firewall_finds_identities_it_was_not_told(seed in any::<u64>(), family in 0..FAMILIES, kind in 0..5usize) {
        check(seed, family, kind, false)?;
    }

    /// Any text at all: no panic, spans on character boundaries, idempotent, nothing invisible left.
    #[test]
    fn firewall_never_panics_and_is_idempotent(s in "\\PC{0,200}", t in "[\\u{0}-\\u{FFFF}]{0,120}") {
        let text = format!("{s}{t}");
        let shield = Shield::new(&Identity { name: Some(s.chars().take(3).collect()), phone: Some(t.clone()), ..Identity::default() });
        let r = shield.redact(&text);
        for sp in &r.spans {
            prop_assert!(text.is_char_boundary(sp.start) && text.is_char_boundary(sp.end) && sp.start < sp.end);
        }
        prop_assert_eq!(shield.redact(&r.text).text, r.text.clone());
        prop_assert!(!r.text.chars().any(is_invisible));
    }
}

#[test]
fn every_family_renders_something_different() {
    let mut rng = StdRng::seed_from_u64(7);
    let p = person(&mut rng);
    let all: std::collections::BTreeSet<String> =
        (0..FAMILIES).map(|f| render(f, &p, &mut StdRng::seed_from_u64(f as u64))).collect();
    assert_eq!(all.len(), FAMILIES, "families collapse into the same writing");
    const { assert!(FAMILIES >= 30) };
}
