//! One error shape for every refused rule: a stable code for programs, a Chinese message for people.

use serde::Serialize;

/// A refusal by a domain rule.
///
/// `code` is stable (programs match on it; R-ids appear in it where a notice rule refused), `message`
/// is plain Chinese for the person at the form, `field` names the form field when one is at fault,
/// and `details` lists what is missing or what would be allowed instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct DomainError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

impl DomainError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), field: None, details: Vec::new() }
    }

    /// A malformed or missing value in one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: "invalid_input",
            message: message.into(),
            field: Some(field.into()),
            details: Vec::new(),
        }
    }

    /// The actor may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new("forbidden", message)
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn with_details(mut self, details: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.details = details.into_iter().map(Into::into).collect();
        self
    }
}
