//! Cases (one row per complaint as received): the row and its inserts, reads and optimistic
//! updates, accept-number counters, the duplicate index's features and staff corrections of triage.
//!
//! The rest lives in submodules, re-exported here so `cases::fn_name` is the one path: `query`
//! (scopes, filters and the planned list and count), `tally` (counts per column and day, answered
//! from the case tallies), `identity` (the complainant's sealed identity) and `assignments`
//! (assignments down the chain, reminders and escalation, extension requests awaiting a decision).

use ducha_domain::workflow::Stage;
use serde::{Deserialize, Serialize};

use crate::sql::Q;
use crate::{Result, Store, StoreError, Tx};

mod assignments;
mod identity;
mod query;
mod tally;

pub use assignments::{
    AssignmentMark, AssignmentRow, NewAssignment, acknowledge_assignment, active_assignments_tx,
    active_for_unit, all_assignments, assignment, assignments, assignments_overdue, assignments_to_remind,
    complete_assignment, insert_assignment, mark_assignment, pending_extensions_below, return_assignment,
    set_assignment_due,
};
pub(crate) use identity::identity_aad;
pub use identity::{
    ComplainantIdentity, identities, identity, put_identity, seal_identities, sealed_identities_with_key,
};
pub use query::{CaseFilter, Scope, count, in_scope, list, list_planned, open_nearby};
pub use tally::{
    GroupBy, daily_counts, daily_counts_scan, group_counts, group_counts_scan, open_due_by_county,
    open_due_by_county_scan, stage_counts,
};

/// Everything stored about a case. `original_text` may carry the complainant's own words about
/// themselves; only identity-reading roles ever see it (the app layer enforces that), and nothing
/// public is rendered from this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub campaign_id: i64,
    pub accept_no: String,
    pub channel: String,
    pub received_at: i64,
    pub original_text: String,
    pub redacted_text: String,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    /// Comma-separated labels (大气,水 …).
    pub pollution_types: String,
    pub sansan: Option<String>,
    /// JSON: the triage explanation (deciding words, confidences).
    pub triage: String,
    pub dup_of: Option<i64>,
    pub repeat_count: i64,
    #[sqlx(try_from = "String")]
    pub stage: Stage,
    pub batch_id: Option<i64>,
    pub county_unit_id: Option<i64>,
    pub handler_unit_id: Option<i64>,
    pub due_at: Option<i64>,
    pub finding: Option<String>,
    pub has_identity: i64,
    pub created_by: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
}

pub const CASE_COLS: &str = "id, campaign_id, accept_no, channel, received_at, original_text, redacted_text, county_code, township_code, village_code, pollution_types, sansan, triage, dup_of, repeat_count, stage, batch_id, county_unit_id, handler_unit_id, due_at, finding, has_identity, created_by, updated_at, version";

#[derive(Debug, Clone)]
pub struct NewCase {
    pub campaign_id: i64,
    pub accept_no: String,
    pub channel: String,
    pub received_at: i64,
    pub original_text: String,
    pub redacted_text: String,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub pollution_types: String,
    pub sansan: Option<String>,
    pub triage: String,
    pub dup_of: Option<i64>,
    pub stage: String,
    pub county_unit_id: Option<i64>,
    pub created_by: Option<i64>,
    pub now: i64,
    /// JSON of the duplicate-index features.
    pub dup_doc: Option<String>,
}

/// The next serial for accept numbers of one campaign day; atomic under concurrent intake on both
/// backends (an upsert on the counter row inside the intake transaction).
pub async fn next_accept_serial(tx: &mut Tx, campaign_id: i64, day: &str) -> Result<i64> {
    let first = reserve_accept_serials(tx, &[(campaign_id, day, 1)]).await?;
    Ok(first[0])
}

/// Reserve `count` consecutive serials for each `(campaign, day)` (each pair at most once), in one
/// upsert; returns the first serial of each range, in the order asked. The ranges may run past
/// 9 999; the caller refuses those.
pub async fn reserve_accept_serials(tx: &mut Tx, wants: &[(i64, &str, i64)]) -> Result<Vec<i64>> {
    if wants.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<(i64, String, i64)> = Vec::with_capacity(wants.len());
    for chunk in crate::sql::pow2_chunks(wants) {
        let mut q =
            Q::many(tx.backend(), "INSERT INTO accept_counters (campaign_id, day, last_serial) VALUES ");
        for (i, (campaign_id, day, count)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.bind(*campaign_id).push(", ").bind(*day).push(", ").bind(*count).push(")");
        }
        q.push(
            " ON CONFLICT (campaign_id, day) DO UPDATE SET last_serial = accept_counters.last_serial + excluded.last_serial
             RETURNING campaign_id, day, last_serial",
        );
        rows.extend(q.query_as::<(i64, String, i64)>()?.fetch_all(tx.conn()).await?);
    }
    wants
        .iter()
        .map(|(campaign_id, day, count)| {
            rows.iter()
                .find(|(c, d, _)| c == campaign_id && d == day)
                .map(|(_, _, last)| last - count + 1)
                .ok_or_else(|| StoreError::Corrupt(format!("受理编号计数器未返回 {day}")))
        })
        .collect()
}

/// The search tokens of a new case (see [`crate::search`]).
pub fn new_case_tokens(c: &NewCase) -> String {
    crate::search::document_tokens(
        &c.accept_no,
        &c.redacted_text,
        &crate::search::Facets {
            campaign_id: Some(c.campaign_id),
            county_code: c.county_code.as_deref(),
            township_code: c.township_code.as_deref(),
            stage: &c.stage,
            pollution_types: &c.pollution_types,
            batch_id: None,
            county_unit_id: c.county_unit_id,
        },
    )
}

pub async fn insert_case(tx: &mut Tx, c: &NewCase) -> Result<i64> {
    Ok(insert_case_row(tx, c, false).await?.id)
}

/// Insert a case and return it as stored. `has_identity` says that a sealed identity follows in
/// the same transaction ([`seal_identities`]).
pub async fn insert_case_row(tx: &mut Tx, c: &NewCase, has_identity: bool) -> Result<CaseRow> {
    let mut rows = insert_cases(tx, &[(c, has_identity)]).await?;
    rows.pop().ok_or_else(|| StoreError::Corrupt("插入案件未返回记录".into()))
}

/// Insert cases and return them as stored, in the order given, in a few multi-row statements
/// ([`crate::sql::pow2_chunks`]; group commit of intakes writes a whole group this way). Accept
/// numbers must be distinct.
pub async fn insert_cases(tx: &mut Tx, cases: &[(&NewCase, bool)]) -> Result<Vec<CaseRow>> {
    let mut out = Vec::with_capacity(cases.len());
    for chunk in crate::sql::pow2_chunks(cases) {
        let mut q = Q::many(
            tx.backend(),
            "INSERT INTO cases (campaign_id, accept_no, channel, received_at, original_text, redacted_text, county_code,
                 township_code, village_code, pollution_types, sansan, triage, dup_of, stage, county_unit_id, created_by,
                 updated_at, dup_doc, search_tokens, has_identity) VALUES ",
        );
        for (i, (c, has_identity)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.bind(c.campaign_id).push(", ").bind(c.accept_no.as_str()).push(", ").bind(c.channel.as_str());
            q.push(", ").bind(c.received_at).push(", ").bind(c.original_text.as_str()).push(", ");
            q.bind(c.redacted_text.as_str()).push(", ").bind(c.county_code.clone()).push(", ");
            q.bind(c.township_code.clone()).push(", ").bind(c.village_code.clone()).push(", ");
            q.bind(c.pollution_types.as_str()).push(", ").bind(c.sansan.clone()).push(", ");
            q.bind(c.triage.as_str()).push(", ").bind(c.dup_of).push(", ").bind(c.stage.as_str()).push(", ");
            q.bind(c.county_unit_id).push(", ").bind(c.created_by).push(", ").bind(c.now).push(", ");
            q.bind(c.dup_doc.clone()).push(", ").bind(new_case_tokens(c)).push(", ");
            q.bind(i64::from(*has_identity)).push(")");
        }
        q.push(" RETURNING ").push(CASE_COLS);
        let mut rows: Vec<CaseRow> =
            q.query_as()?.fetch_all(tx.conn()).await.map_err(|e| match StoreError::from(e) {
                e if e.is_unique_violation() => StoreError::Conflict {
                    code: "accept_no_taken",
                    message: match chunk {
                        [(c, _)] => format!("受理编号 {} 已被使用", c.accept_no),
                        _ => "受理编号已被使用".to_owned(),
                    },
                },
                e => e,
            })?;
        // RETURNING gives no order for a multi-row insert: put the rows back in the order asked.
        for (c, _) in chunk {
            let at = rows
                .iter()
                .position(|r| r.accept_no == c.accept_no)
                .ok_or_else(|| StoreError::Corrupt(format!("插入案件 {} 未返回记录", c.accept_no)))?;
            out.push(rows.swap_remove(at));
        }
    }
    Ok(out)
}

pub async fn get(store: &Store, id: i64) -> Result<Option<CaseRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CASE_COLS} FROM cases WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn get_by_accept_no(store: &Store, accept_no: &str) -> Result<Option<CaseRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CASE_COLS} FROM cases WHERE accept_no = $1")))
        .bind(accept_no)
        .fetch_optional(store.reader())
        .await?)
}

/// Load a case for change, locking its row on PostgreSQL.
pub async fn get_for_update(tx: &mut Tx, id: i64) -> Result<Option<CaseRow>> {
    let lock = tx.for_update();
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CASE_COLS} FROM cases WHERE id = $1{lock}")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?)
}

/// Fields a use case may change; `None` leaves a column alone.
#[derive(Debug, Clone, Default)]
pub struct CasePatch {
    pub stage: Option<String>,
    pub batch_id: Option<Option<i64>>,
    pub county_unit_id: Option<Option<i64>>,
    pub handler_unit_id: Option<Option<i64>>,
    pub due_at: Option<Option<i64>>,
    pub finding: Option<Option<String>>,
    pub dup_of: Option<Option<i64>>,
    pub county_code: Option<Option<String>>,
    pub township_code: Option<Option<String>>,
    pub village_code: Option<Option<String>>,
    pub pollution_types: Option<String>,
    pub sansan: Option<Option<String>>,
    pub redacted_text: Option<String>,
    pub triage: Option<String>,
}

/// Apply a patch if the row is still at `expected_version` (optimistic concurrency on top of the row
/// lock); bumps the version.
pub async fn update(tx: &mut Tx, id: i64, expected_version: i64, p: &CasePatch, now: i64) -> Result<()> {
    let mut q = Q::new("UPDATE cases SET version = version + 1, updated_at = ");
    q.bind(now);
    macro_rules! set {
        ($field:ident) => {
            if let Some(v) = &p.$field {
                q.push(concat!(", ", stringify!($field), " = ")).bind(v.clone());
            }
        };
    }
    set!(stage);
    set!(batch_id);
    set!(county_unit_id);
    set!(handler_unit_id);
    set!(due_at);
    set!(finding);
    set!(dup_of);
    set!(county_code);
    set!(township_code);
    set!(village_code);
    set!(pollution_types);
    set!(sansan);
    set!(redacted_text);
    set!(triage);
    q.push(" WHERE id = ").bind(id).push(" AND version = ").bind(expected_version);
    let done = q.query()?.execute(tx.conn()).await?.rows_affected();
    if done == 0 {
        return Err(StoreError::Conflict {
            code: "stale_case",
            message: "案件已被他人更新，请刷新后重试".into(),
        });
    }
    crate::search::refresh(tx, id).await
}

pub async fn increment_repeat(tx: &mut Tx, primary_id: i64) -> Result<()> {
    sqlx::query("UPDATE cases SET repeat_count = repeat_count + 1 WHERE id = $1")
        .bind(primary_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Cases after `after_id` with their duplicate link and index features, in id order (index rebuild).
pub async fn dup_docs_after(
    store: &Store,
    after_id: i64,
    limit: i64,
) -> Result<Vec<(i64, Option<i64>, Option<String>)>> {
    dup_docs_after_on(store.reader(), after_id, limit).await
}

/// [`dup_docs_after`] on a given connection (or pool).
pub async fn dup_docs_after_on<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    after_id: i64,
    limit: i64,
) -> Result<Vec<(i64, Option<i64>, Option<String>)>> {
    Ok(sqlx::query_as("SELECT id, dup_of, dup_doc FROM cases WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after_id)
        .bind(limit)
        .fetch_all(ex)
        .await?)
}

/// The redacted texts of a county's cases (to tell whether any complaint names a subject).
pub async fn texts_in_county(store: &Store, campaign_id: i64, county_code: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT redacted_text FROM cases WHERE campaign_id = $1 AND county_code = $2")
        .bind(campaign_id)
        .bind(county_code)
        .fetch_all(store.reader())
        .await?)
}

pub async fn count_cases(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(store.reader()).await?)
}

// ---- triage corrections ----------------------------------------------------------------------

/// One staff correction of a triage field, kept as labelled data (issue 3).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TriageCorrectionRow {
    pub id: i64,
    pub case_id: i64,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub user_id: Option<i64>,
    pub at: i64,
}

pub async fn insert_triage_correction(
    tx: &mut Tx,
    case_id: i64,
    field: &str,
    old_value: Option<&str>,
    new_value: Option<&str>,
    user_id: i64,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO triage_corrections (case_id, field, old_value, new_value, user_id, at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(case_id)
    .bind(field)
    .bind(old_value)
    .bind(new_value)
    .bind(user_id)
    .bind(at)
    .fetch_one(tx.conn())
    .await?)
}

/// Corrections of one case, oldest first.
pub async fn triage_corrections(store: &Store, case_id: i64) -> Result<Vec<TriageCorrectionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, field, old_value, new_value, user_id, at FROM triage_corrections
         WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(store.reader())
    .await?)
}

/// The ids of every corrected case, in order of their latest correction.
pub async fn corrected_case_ids(store: &Store) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT case_id FROM triage_corrections GROUP BY case_id ORDER BY MAX(id)")
        .fetch_all(store.reader())
        .await?)
}
