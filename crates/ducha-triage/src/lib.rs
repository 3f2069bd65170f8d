//! Pure text work on Chinese complaints (issue 3): where the source is ([`Router`]), what it is
//! ([`classify`]), whether it was reported already ([`DupIndex`]), what must never be shown
//! ([`redact`]) and the accept number ([`accept_no`]). [`Triage`] ties them together for one
//! pinned `ducha triage` JSONL line.
//!
//! Architecture invariant: nothing in this crate does IO, reads the clock or the environment. Built-in
//! data (gazetteer, zones, places, the duplicate index's word lists) is compiled in with
//! `include_str!`; other data is handed in as text. Every hash that is stored is [`hash`]'s (pinned),
//! never `std`'s `DefaultHasher`.

pub mod accept_no;
pub mod batch;
pub mod classify;
pub mod dup;
pub mod error;
pub mod eval;
pub mod gazetteer;
pub mod hash;
pub mod places;
pub mod redact;
pub mod router;
pub mod synth;
pub mod text;
pub mod triage;

pub use accept_no::{AcceptNo, Channel};
pub use classify::{ClassConfidence, Classification, PollutionType, Sansan, classify};
pub use dup::{DupDoc, DupIndex, DupMatch};
pub use error::TriageError;
pub use gazetteer::{Division, Gazetteer, GazetteerCsv, Zone};
pub use places::{Place, PlaceKind, Places};
pub use redact::{Identity, PiiKind, Redacted, RedactedSpan, redact};
pub use router::{CountyOutcome, FieldConfidence, Router, Routing};
pub use triage::{
    Analysis, Complainant, LineId, OutputConfidence, Triage, TriageInput, TriageOutput, parse_jsonl_line,
};
