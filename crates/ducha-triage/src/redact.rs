//! The redactor of the triage pipeline is the identity firewall ([`ducha_shield`]): one
//! implementation for the complaint text at intake, every public output and every restricted staff
//! view. See that crate for what it finds and the replacement convention.

pub use ducha_shield::{Identity, PiiKind, Redacted, RedactedSpan, redact};
