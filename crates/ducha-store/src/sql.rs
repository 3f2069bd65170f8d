//! A small dynamic-SQL builder that numbers `$n` placeholders the same way on both backends (sqlx's
//! `QueryBuilder<Any>` writes `?`, which PostgreSQL rejects).

use sqlx::any::AnyArguments;
use sqlx::{Arguments, AssertSqlSafe};

use crate::Backend;

/// A value to bind.
#[derive(Debug, Clone)]
pub enum Arg {
    I(i64),
    OptI(Option<i64>),
    T(String),
    OptT(Option<String>),
    B(Vec<u8>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::I(v)
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::OptI(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::T(v.to_owned())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::T(v)
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::OptT(v)
    }
}
impl From<Vec<u8>> for Arg {
    fn from(v: Vec<u8>) -> Self {
        Arg::B(v)
    }
}

/// SQL text plus its arguments in order.
#[derive(Debug, Default, Clone)]
pub struct Q {
    sql: String,
    args: Vec<Arg>,
    /// Write `?` instead of `$n` (SQLite only).
    anonymous: bool,
}

impl Q {
    pub fn new(sql: &str) -> Self {
        Self { sql: sql.to_owned(), args: Vec::new(), anonymous: false }
    }

    /// A builder for a statement with many placeholders (a multi-row `INSERT`). On SQLite it writes
    /// anonymous `?` placeholders: sqlx looks up each named one by a linear search in SQLite's list
    /// of names, which costs time in the square of their number.
    pub fn many(backend: Backend, sql: &str) -> Self {
        Self { anonymous: backend == Backend::Sqlite, ..Self::new(sql) }
    }

    /// Append literal SQL (never user text).
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Append a placeholder bound to `v`.
    pub fn bind(&mut self, v: impl Into<Arg>) -> &mut Self {
        self.args.push(v.into());
        if self.anonymous {
            self.sql.push('?');
        } else {
            self.sql.push('$');
            self.sql.push_str(&self.args.len().to_string());
        }
        self
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    fn arguments(&self) -> Result<AnyArguments, sqlx::Error> {
        let mut a = AnyArguments::default();
        for arg in &self.args {
            let r = match arg {
                Arg::I(v) => a.add(*v),
                Arg::OptI(v) => a.add(*v),
                Arg::T(v) => a.add(v.clone()),
                Arg::OptT(v) => a.add(v.clone()),
                Arg::B(v) => a.add(v.clone()),
            };
            r.map_err(sqlx::Error::Encode)?;
        }
        Ok(a)
    }

    pub fn query(&self) -> Result<sqlx::query::Query<'static, sqlx::Any, AnyArguments>, sqlx::Error> {
        Ok(sqlx::query_with(AssertSqlSafe(self.sql.clone()), self.arguments()?))
    }

    pub fn query_as<T>(
        &self,
    ) -> Result<sqlx::query::QueryAs<'static, sqlx::Any, T, AnyArguments>, sqlx::Error>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        Ok(sqlx::query_as_with(AssertSqlSafe(self.sql.clone()), self.arguments()?))
    }

    pub fn query_scalar<T>(
        &self,
    ) -> Result<sqlx::query::QueryScalar<'static, sqlx::Any, T, AnyArguments>, sqlx::Error>
    where
        T: sqlx::Type<sqlx::Any> + for<'r> sqlx::Decode<'r, sqlx::Any>,
        (T,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        Ok(sqlx::query_scalar_with(AssertSqlSafe(self.sql.clone()), self.arguments()?))
    }
}

/// Split `items` into runs of 64, 32, 16, … 1 (largest first): a multi-row statement then comes in
/// at most seven shapes, which stay in each connection's prepared-statement cache, instead of one
/// shape for every group size.
pub fn pow2_chunks<T>(items: &[T]) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = 1usize << rest.len().min(64).ilog2();
        let (head, tail) = rest.split_at(n);
        rest = tail;
        Some(head)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow2_chunks_cover_in_order() {
        let v: Vec<u32> = (0..150).collect();
        let sizes: Vec<usize> = pow2_chunks(&v).map(<[u32]>::len).collect();
        assert_eq!(sizes, vec![64, 64, 16, 4, 2]);
        assert_eq!(pow2_chunks(&v).flatten().copied().collect::<Vec<_>>(), v);
        assert_eq!(pow2_chunks(&v[..37]).map(<[u32]>::len).collect::<Vec<_>>(), vec![32, 4, 1]);
        assert_eq!(pow2_chunks::<u32>(&[]).count(), 0);
    }

    #[test]
    fn anonymous_placeholders_on_sqlite() {
        let mut q = Q::many(Backend::Sqlite, "INSERT INTO t VALUES ");
        q.push("(").bind(1i64).push(", ").bind("a").push(")");
        assert_eq!(q.sql(), "INSERT INTO t VALUES (?, ?)");
        let mut q = Q::many(Backend::Postgres, "INSERT INTO t VALUES ");
        q.push("(").bind(1i64).push(", ").bind("a").push(")");
        assert_eq!(q.sql(), "INSERT INTO t VALUES ($1, $2)");
    }

    #[test]
    fn numbers_placeholders() {
        let mut q = Q::new("SELECT * FROM cases WHERE 1=1");
        q.push(" AND stage = ").bind("closed").push(" AND county_unit_id = ").bind(7i64);
        assert_eq!(q.sql(), "SELECT * FROM cases WHERE 1=1 AND stage = $1 AND county_unit_id = $2");
    }
}
