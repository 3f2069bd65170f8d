//! What can go wrong reading opinion input.

/// A feed or a record that cannot be read, with a Chinese message for the desk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpinionError {
    /// The document is not RSS, Atom or JSON Feed, or is broken.
    #[error("订阅源内容无法解析（不是有效的 RSS、Atom 或 JSON Feed）：{0}")]
    Feed(String),
    /// One line or row of an import is unusable.
    #[error("第 {line} 行：{message}")]
    Record { line: usize, message: String },
    /// The CSV header lacks a needed column.
    #[error("CSV 表头缺少“{0}”列（至少需要 text 或 content 列）")]
    MissingColumn(String),
    /// The built-in lexicon is broken (a build error, caught by tests).
    #[error("舆情词表有误：{0}")]
    Lexicon(String),
}

impl OpinionError {
    /// A stable code for programs.
    pub fn code(&self) -> &'static str {
        match self {
            OpinionError::Feed(_) => "feed_unparseable",
            OpinionError::Record { .. } => "record_invalid",
            OpinionError::MissingColumn(_) => "csv_missing_column",
            OpinionError::Lexicon(_) => "lexicon_invalid",
        }
    }
}
