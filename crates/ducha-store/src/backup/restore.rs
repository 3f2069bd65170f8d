//! Restore: read a backup file back into an empty database of either backend (see the parent
//! module's docs for the steps), checking the format, the row counts and the SM3 digest.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;

use base64::Engine as _;
use serde::Deserialize;
use sm3::{Digest, Sm3};
use sqlx::any::AnyArguments;
use sqlx::{Arguments, AssertSqlSafe};

use super::catalogue::{TableInfo, applied_migrations, catalogue, sql_str};
use super::{ColType, FORMAT, FORMAT_VERSION, Header, Marker, RestoreSummary, Trailer, bad, io, quote};
use crate::audit::{self, AuditEntry};
use crate::{Backend, Result, Store, StoreError};

/// Tables a fresh migration fills with a seed row (and what makes them count as empty).
const SEEDED: &[(&str, &str)] = &[("audit_head", "SELECT COUNT(*) FROM audit_head WHERE seq <> 0")];

/// Reads lines and keeps the running SM3 of everything read before the trailer.
struct Lines<R: BufRead> {
    input: R,
    h: Sm3,
    buf: Vec<u8>,
    line_no: usize,
}

impl<R: BufRead> Lines<R> {
    /// The next line (without its newline), hashed; `None` at the end of the file.
    fn next_raw(&mut self) -> Result<Option<&[u8]>> {
        self.buf.clear();
        let n = self.input.read_until(b'\n', &mut self.buf).map_err(io)?;
        if n == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        if self.buf.last() != Some(&b'\n') {
            return Err(bad(format!("第 {} 行不完整（文件被截断）", self.line_no)));
        }
        Ok(Some(&self.buf[..self.buf.len() - 1]))
    }

    fn hash_current(&mut self) {
        self.h.update(&self.buf);
    }

    fn parse<T: for<'de> Deserialize<'de>>(&self, what: &str) -> Result<T> {
        serde_json::from_slice(&self.buf)
            .map_err(|e| bad(format!("第 {} 行不是有效的{what}：{e}", self.line_no)))
    }
}

async fn count_rows(tx: &mut crate::Tx, table: &str) -> Result<i64> {
    if let Some((_, sql)) = SEEDED.iter().find(|(t, _)| *t == table) {
        return Ok(sqlx::query_scalar(*sql).fetch_one(tx.conn()).await?);
    }
    Ok(sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", quote(table))))
        .fetch_one(tx.conn())
        .await?)
}

async fn migrate_to(store: &Store, target: Option<i64>) -> Result<()> {
    let m = match store.backend() {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    };
    match target {
        Some(v) => m.run_to(v, &store.write).await?,
        None => m.run(&store.write).await?,
    }
    Ok(())
}

fn known_migrations(backend: Backend) -> Vec<i64> {
    let m = match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    };
    m.iter().filter(|m| m.migration_type.is_up_migration()).map(|m| m.version).collect()
}

enum Val {
    I(Option<i64>),
    T(Option<String>),
    B(Option<Vec<u8>>),
    F(Option<f64>),
}

fn to_val(v: &serde_json::Value, t: ColType, line: usize, col: &str) -> Result<Val> {
    let wrong = || bad(format!("第 {line} 行的列 {col} 类型不符"));
    Ok(match (t, v) {
        (ColType::Int, serde_json::Value::Null) => Val::I(None),
        (ColType::Int, v) => Val::I(Some(v.as_i64().ok_or_else(wrong)?)),
        (ColType::Text, serde_json::Value::Null) => Val::T(None),
        (ColType::Text, v) => Val::T(Some(v.as_str().ok_or_else(wrong)?.to_owned())),
        (ColType::Blob, serde_json::Value::Null) => Val::B(None),
        (ColType::Blob, v) => Val::B(Some(
            base64::engine::general_purpose::STANDARD
                .decode(v.as_str().ok_or_else(wrong)?)
                .map_err(|_| wrong())?,
        )),
        (ColType::Float, serde_json::Value::Null) => Val::F(None),
        (ColType::Float, v) => Val::F(Some(v.as_f64().ok_or_else(wrong)?)),
    })
}

fn add(args: &mut AnyArguments, v: Val) -> Result<()> {
    let r = match v {
        Val::I(x) => args.add(x),
        Val::T(x) => args.add(x),
        Val::B(x) => args.add(x),
        Val::F(x) => args.add(x),
    };
    r.map_err(sqlx::Error::Encode)?;
    Ok(())
}

/// One table being restored: the target's columns in the backup's order, and the self-references
/// to set after all rows are in.
struct Loader {
    table: String,
    /// (backup column index, column name, type) for columns the target has.
    cols: Vec<(usize, String, ColType)>,
    /// Indexes into `cols` of self-referencing columns (inserted as NULL first).
    self_refs: Vec<usize>,
    /// Index into `cols` of the single primary-key column (needed when there are self-references).
    pk: Option<usize>,
    pending: Vec<Vec<Val>>,
    /// (pk, column, value) to set in the second pass.
    later: Vec<(i64, usize, i64)>,
    inserted: u64,
}

impl Loader {
    fn batch_limit(&self) -> usize {
        // Keep each statement under both backends' bind-parameter limits.
        (30_000 / self.cols.len().max(1)).clamp(1, 500)
    }

    async fn flush(&mut self, tx: &mut crate::Tx) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = self.cols.iter().map(|(_, c, _)| quote(c)).collect();
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", quote(&self.table), names.join(", "));
        let mut args = AnyArguments::default();
        let mut n = 0usize;
        let rows = std::mem::take(&mut self.pending);
        let count = rows.len() as u64;
        for (r, row) in rows.into_iter().enumerate() {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (i, v) in row.into_iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                sql.push('$');
                sql.push_str(&n.to_string());
                add(&mut args, v)?;
            }
            sql.push(')');
        }
        sqlx::query_with(AssertSqlSafe(sql), args).execute(tx.conn()).await?;
        self.inserted += count;
        Ok(())
    }

    async fn finish(&mut self, tx: &mut crate::Tx) -> Result<()> {
        self.flush(tx).await?;
        let Some(pk) = self.pk else { return Ok(()) };
        let pk_name = quote(&self.cols[pk].1);
        for (id, col, value) in std::mem::take(&mut self.later) {
            let sql = format!(
                "UPDATE {} SET {} = $1 WHERE {pk_name} = $2",
                quote(&self.table),
                quote(&self.cols[col].1)
            );
            sqlx::query(AssertSqlSafe(sql)).bind(value).bind(id).execute(tx.conn()).await?;
        }
        Ok(())
    }
}

/// Restore a backup into the empty database behind `store` (see the module docs).
pub async fn restore<R: BufRead>(
    store: &Store,
    input: R,
    now_ms: i64,
    actor: &str,
) -> Result<RestoreSummary> {
    let mut lines = Lines { input, h: Sm3::new(), buf: Vec::new(), line_no: 0 };
    if lines.next_raw()?.is_none() {
        return Err(bad("文件为空"));
    }
    lines.hash_current();
    // The format is checked first, so any other JSON file is named as "not a backup".
    let first: serde_json::Value = lines.parse("文件头")?;
    let format = first.get("format").and_then(|f| f.as_str()).unwrap_or("");
    if format != FORMAT {
        return Err(bad(format!("不是 ducha 备份文件（格式为“{format}”）")));
    }
    let header: Header = lines.parse("文件头")?;
    if header.version != FORMAT_VERSION {
        return Err(bad(format!(
            "备份格式版本 {} 不受支持（本程序支持版本 {FORMAT_VERSION}）",
            header.version
        )));
    }

    // Schema: bring the target to the backup's version; refuse what this binary cannot represent.
    let known = known_migrations(store.backend());
    if let Some(v) = header.migrations.iter().find(|v| !known.contains(v)) {
        return Err(StoreError::Conflict {
            code: "backup_newer_than_binary",
            message: format!(
                "备份来自更新版本的 ducha（数据库结构版本 {v} 本程序不认识），请用相同或更新版本的 ducha 恢复"
            ),
        });
    }
    let backup_top = header.migrations.iter().copied().max();
    {
        let mut conn = store.write.acquire().await?;
        let exists: i64 = match store.backend() {
            Backend::Sqlite => {
                sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
                    .fetch_one(&mut *conn)
                    .await?
            }
            Backend::Postgres => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'",
                )
                .fetch_one(&mut *conn)
                .await?
            }
        };
        if exists > 0 {
            let applied = applied_migrations(&mut conn).await?;
            if applied.iter().copied().max() > backup_top {
                return Err(StoreError::Conflict {
                    code: "restore_target_newer",
                    message: "目标数据库的结构版本比备份新：请恢复到一个全新的空数据库（恢复后会自动升级到本程序的版本）".into(),
                });
            }
        }
    }
    match backup_top {
        Some(v) => migrate_to(store, Some(v)).await?,
        None => return Err(bad("备份没有记录数据库结构版本")),
    }

    let mut tx = store.begin().await?;
    let target = catalogue(tx.conn(), store.backend()).await?;
    let by_name: BTreeMap<&str, &TableInfo> = target.iter().map(|t| (t.spec.name.as_str(), t)).collect();
    for t in &target {
        let n = count_rows(&mut tx, &t.spec.name).await?;
        if n > 0 {
            return Err(StoreError::Conflict {
                code: "restore_target_not_empty",
                message: format!(
                    "目标数据库不是空的（表 {} 已有 {n} 行数据）：只能恢复到空数据库",
                    t.spec.name
                ),
            });
        }
    }
    for t in &header.tables {
        let Some(info) = by_name.get(t.name.as_str()) else {
            return Err(bad(format!("目标数据库没有表 {}", t.name)));
        };
        for (c, ty) in &t.columns {
            match info.spec.columns.iter().find(|(n, _)| n == c) {
                None => return Err(bad(format!("目标数据库的表 {} 没有列 {c}", t.name))),
                Some((_, tt)) if tt != ty => {
                    return Err(bad(format!("表 {} 的列 {c} 类型不符（备份 {ty:?}，目标 {tt:?}）", t.name)));
                }
                Some(_) => {}
            }
        }
    }
    for (table, _) in SEEDED {
        if by_name.contains_key(table) {
            sqlx::query(AssertSqlSafe(format!("DELETE FROM {}", quote(table)))).execute(tx.conn()).await?;
        }
    }

    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut current: Option<Loader> = None;
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let trailer: Trailer = loop {
        if lines.next_raw()?.is_none() {
            return Err(bad("文件在结尾校验行之前结束（文件被截断）"));
        }
        let first = lines.buf.first().copied();
        if first == Some(b'[') {
            lines.hash_current();
            let Some(loader) = current.as_mut() else {
                return Err(bad(format!("第 {} 行的数据不属于任何表", lines.line_no)));
            };
            let vals: Vec<serde_json::Value> = lines.parse("数据行")?;
            let spec = header.tables.iter().find(|t| t.name == loader.table).map(|t| &t.columns);
            let Some(spec) = spec else { return Err(bad("内部错误：未知表")) };
            if vals.len() != spec.len() {
                return Err(bad(format!("第 {} 行的列数不符（应为 {}）", lines.line_no, spec.len())));
            }
            let mut row = Vec::with_capacity(loader.cols.len());
            let mut pk_val: Option<i64> = None;
            if let Some(pk) = loader.pk {
                pk_val = vals[loader.cols[pk].0].as_i64();
            }
            for (k, (i, name, ty)) in loader.cols.iter().enumerate() {
                if loader.self_refs.contains(&k) && !vals[*i].is_null() {
                    let v = vals[*i]
                        .as_i64()
                        .ok_or_else(|| bad(format!("第 {} 行的列 {name} 类型不符", lines.line_no)))?;
                    let id = pk_val.ok_or_else(|| bad(format!("第 {} 行缺少主键", lines.line_no)))?;
                    loader.later.push((id, k, v));
                    row.push(Val::I(None));
                } else {
                    row.push(to_val(&vals[*i], *ty, lines.line_no, name)?);
                }
            }
            loader.pending.push(row);
            if loader.pending.len() >= loader.batch_limit() {
                loader.flush(&mut tx).await?;
            }
            continue;
        }
        let v: serde_json::Value = lines.parse("控制行")?;
        if v.get("end").is_some() {
            if let Some(mut l) = current.take() {
                l.finish(&mut tx).await?;
                counts.insert(l.table.clone(), l.inserted);
            }
            break lines.parse("结尾校验行")?;
        }
        lines.hash_current();
        let marker: Marker = lines.parse("表标记行")?;
        if let Some(mut l) = current.take() {
            l.finish(&mut tx).await?;
            counts.insert(l.table.clone(), l.inserted);
        }
        let Some(spec) = header.tables.iter().find(|t| t.name == marker.table) else {
            return Err(bad(format!("第 {} 行的表 {} 不在文件头中", lines.line_no, marker.table)));
        };
        if !seen.insert(marker.table.clone()) {
            return Err(bad(format!("表 {} 出现了两次", marker.table)));
        }
        let info = by_name[spec.name.as_str()];
        let cols: Vec<(usize, String, ColType)> =
            spec.columns.iter().enumerate().map(|(i, (c, t))| (i, c.clone(), *t)).collect();
        let self_refs: Vec<usize> = cols
            .iter()
            .enumerate()
            .filter(|(_, (_, c, _))| {
                info.foreign_keys.iter().any(|(fc, parent)| fc == c && *parent == spec.name)
            })
            .map(|(k, _)| k)
            .collect();
        let pk = match info.primary_key.as_slice() {
            [one] => cols.iter().position(|(_, c, _)| c == one),
            _ => None,
        };
        if !self_refs.is_empty() && pk.is_none() {
            return Err(bad(format!("表 {} 有自引用外键但没有单列主键", spec.name)));
        }
        current = Some(Loader {
            table: spec.name.clone(),
            cols,
            self_refs,
            pk,
            pending: Vec::new(),
            later: Vec::new(),
            inserted: 0,
        });
    };
    if lines.next_raw()?.is_some() {
        return Err(bad("结尾校验行之后还有内容"));
    }
    let digest = hex::encode(lines.h.clone().finalize());
    if !trailer.end || trailer.sm3 != digest {
        return Err(bad("SM3 校验值不符：文件被改动或损坏"));
    }
    for t in &header.tables {
        let got = counts.get(&t.name).copied().unwrap_or(0);
        let want = trailer.counts.get(&t.name).copied().unwrap_or(0);
        if got != want {
            return Err(bad(format!("表 {} 的行数不符（结尾记录 {want} 行，实际 {got} 行）", t.name)));
        }
    }
    if store.backend() == Backend::Postgres {
        for t in &target {
            for c in &t.identity {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)",
                    sql_str(&quote(&t.spec.name)),
                    sql_str(c),
                    quote(c),
                    quote(&t.spec.name)
                );
                sqlx::query(AssertSqlSafe(sql)).execute(tx.conn()).await?;
            }
        }
    }
    let rows: u64 = counts.values().sum();
    audit::append(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            actor_user_id: None,
            actor_unit_id: None,
            actor_name: actor.into(),
            action: "store.restore".into(),
            entity_type: "database".into(),
            entity_id: store.backend().name().into(),
            detail: serde_json::json!({
                "source_backend": header.source_backend,
                "taken_at_ms": header.taken_at_ms,
                "rows": rows,
                "sm3": digest,
            }),
        },
    )
    .await?;
    tx.commit().await?;

    let upgraded_to = if known.iter().copied().max() > backup_top {
        migrate_to(store, None).await?;
        known.iter().copied().max()
    } else {
        None
    };
    Ok(RestoreSummary {
        source_backend: header.source_backend,
        taken_at_ms: header.taken_at_ms,
        counts,
        rows,
        sm3: digest,
        upgraded_to,
    })
}
