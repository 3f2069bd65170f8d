//! One error type for use cases. Each carries a stable code for programs and a Chinese message for
//! people; the web layer maps kinds to HTTP statuses. Unexpected failures keep their detail for the
//! log only.

use ducha_domain::DomainError;
use ducha_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Malformed or missing input (400).
    BadRequest,
    /// Not logged in (401).
    Unauthenticated,
    /// Logged in but not allowed (403).
    Forbidden,
    /// Nothing there, or not in the user's jurisdiction (404).
    NotFound,
    /// Conflicts with the current state (409): illegal transitions, stale versions, duplicates.
    Conflict,
    /// Well-formed but refused by a rule (422).
    Rule,
    /// Too many attempts (429).
    TooMany,
    /// Anything else (500); the message shown is generic.
    Internal,
}

#[derive(Debug, Clone, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// Internal detail for the log, never sent to clients.
    #[serde(skip)]
    pub internal: Option<String>,
}

impl AppError {
    pub fn new(kind: ErrorKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: code.into(),
            message: message.into(),
            field: None,
            details: Vec::new(),
            internal: None,
        }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, code, message)
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self { field: Some(field.into()), ..Self::new(ErrorKind::BadRequest, "invalid_input", message) }
    }

    pub fn not_found(code: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, "forbidden", message)
    }

    pub fn forbidden_code(code: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, code, message)
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorKind::Unauthenticated, "unauthenticated", "请先登录")
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        Self {
            internal: Some(detail.into()),
            ..Self::new(ErrorKind::Internal, "internal", "服务器内部错误，请稍后重试")
        }
    }

    pub fn case_not_found() -> Self {
        Self::not_found("case_not_found", "未找到该案件，或该案件不在您的管辖范围内")
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        let kind = match e.code {
            "invalid_input" => ErrorKind::BadRequest,
            "forbidden" => ErrorKind::Forbidden,
            "illegal_transition" => ErrorKind::Conflict,
            _ => ErrorKind::Rule,
        };
        Self {
            kind,
            code: e.code.to_owned(),
            message: e.message,
            field: e.field,
            details: e.details,
            internal: None,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::not_found("not_found", format!("未找到{what}")),
            StoreError::Conflict { code, message } => AppError::conflict(code, message),
            StoreError::Key(m) => {
                AppError { internal: Some(m.clone()), ..AppError::new(ErrorKind::Internal, "key_error", m) }
            }
            other => AppError::internal(other.to_string()),
        }
    }
}
