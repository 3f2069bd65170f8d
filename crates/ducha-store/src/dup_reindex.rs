//! What the duplicate index needs to rebuild a stored document made by an older version (issue 16):
//! the complaint texts of a run of cases. The documents themselves are read with
//! [`crate::cases::dup_docs_after_on`].

use crate::Result;

/// `(id, original_text, redacted_text)` of the cases with `from <= id <= to`, in id order.
pub async fn case_texts_between_on<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, original_text, redacted_text FROM cases WHERE id >= $1 AND id <= $2 ORDER BY id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(ex)
    .await?)
}
