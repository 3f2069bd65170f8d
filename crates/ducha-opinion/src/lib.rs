//! Public-opinion analysis for the inspection (R3 in DESIGN.md), as pure functions.
//!
//! What comes in — RSS 2.0 / Atom / JSON Feed documents ([`feed`]), JSONL and CSV exports of posts
//! ([`record`]), or one item typed in by the opinion desk — becomes a [`RawItem`]. The [`Analyzer`]
//! normalises it ([`normalise`]), segments it with jieba, places it with the triage router, names the
//! enterprises it mentions ([`entities`]), scores its sentiment ([`sentiment`]) and its severity from
//! explainable signals ([`severity`]), and fingerprints it for near-duplicate detection of reposts
//! ([`fingerprint`]). [`matching`] links an item to open cases about the same place or enterprise,
//! [`topics`] clusters a day's items into hot topics, and [`workflow`] is the item's own state
//! machine (new → assessed → alerted / escalated → handled).
//!
//! Architecture invariant: nothing in this crate does IO, reads the clock or the environment; the time
//! an item was seen is always an argument. The lexicon is compiled in from `data/opinion/lexicon.toml`.

pub mod analyze;
pub mod entities;
pub mod error;
pub mod feed;
pub mod fingerprint;
pub mod lexicon;
pub mod matching;
pub mod normalise;
pub mod record;
pub mod sentiment;
pub mod severity;
pub mod topics;
pub mod workflow;

pub use analyze::{Analysis, Analyzer, Context};
pub use error::OpinionError;
pub use fingerprint::Fingerprint;
pub use matching::{CaseIndex, CaseMatch, CaseRef};
pub use record::RawItem;
pub use sentiment::{Sentiment, SentimentLabel};
pub use severity::{Level, Signal};
pub use topics::{Topic, TopicInput};
pub use workflow::{ItemAction, ItemStatus};
