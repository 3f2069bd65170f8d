//! The one error type of the triage crate: bad data (a CSV/TOML row, a JSONL line, an accept number).

/// Where a bad input sits: a file name (or `"<input>"`) and a 1-based line number when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct TriageError {
    /// Stable code for programs: `bad_csv`, `bad_toml`, `bad_jsonl`, `bad_accept_no`, `bad_places`,
    /// `bad_city` (`Gazetteer::for_city`).
    pub code: &'static str,
    /// The file (or stream) the bad data came from.
    pub file: Option<String>,
    /// 1-based line number within `file`.
    pub line: Option<usize>,
    /// Plain Chinese explanation for the person who wrote the data.
    pub message: String,
}

impl TriageError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, file: None, line: None, message: message.into() }
    }

    pub fn at(mut self, file: impl Into<String>, line: usize) -> Self {
        self.file = Some(file.into());
        self.line = Some(line);
        self
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    fn render(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("{f} 第{l}行：{}", self.message),
            (Some(f), None) => format!("{f}：{}", self.message),
            (None, Some(l)) => format!("第{l}行：{}", self.message),
            (None, None) => self.message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_file_and_line() {
        let e = TriageError::new("bad_csv", "代码不是数字").at("streets.csv", 7);
        assert_eq!(e.to_string(), "streets.csv 第7行：代码不是数字");
        assert_eq!(TriageError::new("x", "坏了").to_string(), "坏了");
    }
}
