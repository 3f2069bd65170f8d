//! Pure rules of the inspection notice (see `../../docs` and the R-ids in DESIGN.md).
//!
//! Architecture invariant: nothing in this crate does IO, reads the clock or the environment.
//! Every function takes the current time as an argument when it needs one.

pub mod accountability;
pub mod answering;
pub mod calendar;
pub mod callback;
pub mod campaign;
pub mod closure;
pub mod compression;
pub mod deadline;
pub mod discipline;
pub mod disclosure;
pub mod error;
pub mod handling;
pub mod metrics;
pub mod quiet;
pub mod region;
pub mod role;
pub mod shutdown;
pub mod time;
pub mod unit;
pub mod uscc;
pub mod workflow;

pub use error::DomainError;
