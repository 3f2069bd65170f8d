//! Full-text search over cases, in Chinese, on both backends.
//!
//! Every case carries a derived column `search_tokens`: the CJK bigrams of its accept number and
//! redacted text (plus the last character of each run of Han characters, so that one-character
//! queries work as prefixes), its lower-cased ASCII words, and facet tokens for the filters people
//! combine with a text query (county, township, stage, pollution type, batch, county office). The
//! store rewrites the column whenever it writes a case ([`crate::cases::insert_case`],
//! [`crate::cases::update`]), so the index never lags the row.
//!
//! SQLite indexes the column with FTS5 (an external-content table `cases_fts` kept in step by
//! triggers); PostgreSQL with a GIN index on `array_to_tsvector(string_to_array(search_tokens, ' '))`
//! — the tokens are taken verbatim, no text-search configuration or parser is involved. A query is
//! cut the same way into tokens that must all be present ([`TextQuery`]); a term longer than one
//! bigram is then checked as a real substring (`LIKE`), so the index narrows and the old substring
//! semantics decide.

use std::collections::BTreeSet;

use crate::{Backend, Result, Store};

/// Longest ASCII word kept as a token.
const MAX_ASCII: usize = 32;
/// At most this many query terms and index tokens per query (bounded work for any input).
const MAX_TERMS: usize = 8;
const MAX_QUERY_TOKENS: usize = 32;

/// Facet prefixes. They start with `zz` + a letter, which no accept number or word of a complaint
/// is expected to begin with.
pub const FACET_COUNTY: &str = "zzc";
pub const FACET_TOWNSHIP: &str = "zzt";
pub const FACET_STAGE: &str = "zzs";
pub const FACET_TYPE: &str = "zzy";
pub const FACET_BATCH: &str = "zzb";
pub const FACET_COUNTY_UNIT: &str = "zzu";
pub const FACET_CAMPAIGN: &str = "zzp";

/// Whether `c` is a Han character (the CJK unified ideographs and their extensions).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Full-width ASCII (Ａ, １) folded to ASCII, then lower-cased; `None` if not an ASCII letter/digit.
fn ascii_word_char(c: char) -> Option<char> {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Run {
    Han(Vec<char>),
    Ascii(String),
}

/// Maximal runs of Han characters and of ASCII letters/digits; everything else separates.
fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cur: Option<Run> = None;
    for ch in text.chars() {
        if is_han(ch) {
            match &mut cur {
                Some(Run::Han(v)) => v.push(ch),
                _ => {
                    if let Some(r) = cur.take() {
                        out.push(r);
                    }
                    cur = Some(Run::Han(vec![ch]));
                }
            }
        } else if let Some(a) = ascii_word_char(ch) {
            match &mut cur {
                Some(Run::Ascii(s)) => s.push(a),
                _ => {
                    if let Some(r) = cur.take() {
                        out.push(r);
                    }
                    cur = Some(Run::Ascii(a.to_string()));
                }
            }
        } else if let Some(r) = cur.take() {
            out.push(r);
        }
    }
    if let Some(r) = cur {
        out.push(r);
    }
    out
}

fn push_text_tokens(text: &str, into: &mut BTreeSet<String>) {
    for r in runs(text) {
        match r {
            Run::Han(v) => {
                for w in v.windows(2) {
                    into.insert(w.iter().collect());
                }
                if let Some(last) = v.last() {
                    into.insert(last.to_string());
                }
            }
            Run::Ascii(s) => {
                into.insert(s.chars().take(MAX_ASCII).collect());
            }
        }
    }
}

/// Facet values of a case that a text query may be combined with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets<'a> {
    pub campaign_id: Option<i64>,
    pub county_code: Option<&'a str>,
    pub township_code: Option<&'a str>,
    pub stage: &'a str,
    /// Comma-separated labels, as stored.
    pub pollution_types: &'a str,
    pub batch_id: Option<i64>,
    pub county_unit_id: Option<i64>,
}

/// Whether a facet token is made of what stored facets are made of (codes and labels: ASCII letters
/// and digits, CJK unified ideographs), so the index tokenizers keep it whole and it needs no escaping.
fn indexable_facet(tok: &str) -> bool {
    tok.chars().all(|c| c.is_ascii_alphanumeric() || ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// A token that carries no Chinese and no spaces, for a facet value (stage codes lose `_`).
fn facet(prefix: &str, value: &str) -> String {
    let v: String = value.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != ',').collect();
    format!("{prefix}{}", v.to_lowercase())
}

/// The `search_tokens` value of a case: space-separated, sorted, without repeats.
pub fn document_tokens(accept_no: &str, text: &str, f: &Facets<'_>) -> String {
    let mut set = BTreeSet::new();
    let acc: String = accept_no.chars().filter_map(ascii_word_char).collect();
    if !acc.is_empty() {
        // The whole number, and its date+serial and serial tails (what callers read out).
        let n = acc.chars().count();
        if n > 12 {
            set.insert(acc.chars().skip(n - 12).collect::<String>());
        }
        if n > 4 {
            set.insert(acc.chars().skip(n - 4).collect::<String>());
        }
        set.insert(acc);
    }
    push_text_tokens(text, &mut set);
    if let Some(c) = f.county_code {
        set.insert(facet(FACET_COUNTY, c));
    }
    if let Some(t) = f.township_code {
        set.insert(facet(FACET_TOWNSHIP, t));
    }
    if !f.stage.is_empty() {
        set.insert(facet(FACET_STAGE, f.stage));
    }
    for t in f.pollution_types.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        set.insert(facet(FACET_TYPE, t));
    }
    if let Some(b) = f.batch_id {
        set.insert(facet(FACET_BATCH, &b.to_string()));
    }
    if let Some(u) = f.county_unit_id {
        set.insert(facet(FACET_COUNTY_UNIT, &u.to_string()));
    }
    if let Some(c) = f.campaign_id {
        set.insert(facet(FACET_CAMPAIGN, &c.to_string()));
    }
    set.into_iter().collect::<Vec<_>>().join(" ")
}

/// One index token a query needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum QueryToken {
    /// The token itself.
    Exact(String),
    /// Any token that starts with this.
    Prefix(String),
    /// Any of these facet tokens.
    AnyOf(Vec<String>),
}

/// A parsed text query: tokens that must all be in a case's index, and the terms whose contiguity
/// the index cannot prove (checked with `LIKE` on the candidates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextQuery {
    pub tokens: Vec<QueryToken>,
    /// Lower-cased terms to check as substrings of the accept number or the redacted text.
    pub verify: Vec<String>,
}

impl TextQuery {
    /// Cut a free-text query into index tokens. `None` when it holds nothing indexable (only
    /// punctuation, say); callers then fall back to a plain substring match.
    pub fn parse(q: &str) -> Option<TextQuery> {
        let mut out = TextQuery::default();
        for term in
            q.split(|c: char| c.is_whitespace() || c == '\u{3000}').filter(|t| !t.is_empty()).take(MAX_TERMS)
        {
            let rs = runs(term);
            let mut pieces = 0usize;
            for r in &rs {
                match r {
                    Run::Han(v) if v.len() == 1 => {
                        out.tokens.push(QueryToken::Prefix(v[0].to_string()));
                        pieces += 1;
                    }
                    Run::Han(v) => {
                        for w in v.windows(2) {
                            out.tokens.push(QueryToken::Exact(w.iter().collect()));
                            pieces += 1;
                        }
                    }
                    Run::Ascii(s) => {
                        out.tokens.push(QueryToken::Prefix(s.chars().take(MAX_ASCII).collect()));
                        pieces += 1;
                    }
                }
            }
            // One bigram, one character or one ASCII word is answered by the index exactly; longer
            // terms, and terms with punctuation the index drops, are checked as substrings too.
            let plain = term.chars().all(|c| is_han(c) || c.is_ascii_alphanumeric());
            if pieces > 1 || !plain {
                out.verify.push(term.to_lowercase());
            }
        }
        out.tokens.sort();
        out.tokens.dedup();
        out.tokens.truncate(MAX_QUERY_TOKENS);
        (!out.tokens.is_empty()).then_some(out)
    }

    /// Whether the query holds any token at all (a query of facets only is one).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Add a facet that must match (one of `values`); false when it was left out. The facet only
    /// narrows the index lookup; the caller's exact SQL condition on the same column decides. So a
    /// value that cannot be one quoted token in a `MATCH` or `tsquery` expression (punctuation,
    /// quotes: it comes from a request and matches no stored code or label anyway) leaves the facet
    /// out rather than break the expression — and the index's count is then not the total.
    pub fn require_facet(&mut self, prefix: &str, values: &[&str]) -> bool {
        let toks: Vec<String> = values.iter().map(|v| facet(prefix, v)).collect();
        if !toks.iter().all(|t| indexable_facet(t)) {
            return false;
        }
        match toks.len() {
            0 => {}
            1 => self.tokens.push(QueryToken::Exact(toks.into_iter().next().unwrap_or_default())),
            _ => self.tokens.push(QueryToken::AnyOf(toks)),
        }
        true
    }

    /// The FTS5 `MATCH` expression (tokens quoted; they hold no quotes by construction).
    pub fn fts5(&self) -> String {
        let part = |t: &QueryToken| match t {
            QueryToken::Exact(s) => format!("\"{s}\""),
            QueryToken::Prefix(s) => format!("\"{s}\"*"),
            QueryToken::AnyOf(v) => {
                format!("({})", v.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(" OR "))
            }
        };
        self.tokens.iter().map(part).collect::<Vec<_>>().join(" AND ")
    }

    /// The PostgreSQL `tsquery` literal (lexemes quoted, so no configuration touches them).
    pub fn tsquery(&self) -> String {
        let part = |t: &QueryToken| match t {
            QueryToken::Exact(s) => format!("'{s}'"),
            QueryToken::Prefix(s) => format!("'{s}':*"),
            QueryToken::AnyOf(v) => {
                format!("({})", v.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(" | "))
            }
        };
        self.tokens.iter().map(part).collect::<Vec<_>>().join(" & ")
    }
}

/// The SQL condition that a case `c` matches the index expression bound next (`$n`).
pub(crate) fn index_condition(backend: Backend) -> (&'static str, &'static str) {
    match backend {
        Backend::Sqlite => ("c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ", ")"),
        Backend::Postgres => {
            ("array_to_tsvector(string_to_array(c.search_tokens, ' ')) @@ CAST(", " AS tsquery)")
        }
    }
}

/// The index expression for a backend.
pub(crate) fn index_expr(backend: Backend, q: &TextQuery) -> String {
    match backend {
        Backend::Sqlite => q.fts5(),
        Backend::Postgres => q.tsquery(),
    }
}

#[derive(Debug, sqlx::FromRow)]
struct TokenSource {
    id: i64,
    campaign_id: i64,
    accept_no: String,
    redacted_text: String,
    county_code: Option<String>,
    township_code: Option<String>,
    stage: String,
    pollution_types: String,
    batch_id: Option<i64>,
    county_unit_id: Option<i64>,
    search_tokens: String,
}

const SOURCE_COLS: &str = "id, campaign_id, accept_no, redacted_text, county_code, township_code, stage, pollution_types, batch_id, county_unit_id, search_tokens";

fn tokens_of(s: &TokenSource) -> String {
    document_tokens(
        &s.accept_no,
        &s.redacted_text,
        &Facets {
            campaign_id: Some(s.campaign_id),
            county_code: s.county_code.as_deref(),
            township_code: s.township_code.as_deref(),
            stage: &s.stage,
            pollution_types: &s.pollution_types,
            batch_id: s.batch_id,
            county_unit_id: s.county_unit_id,
        },
    )
}

/// Recompute one case's tokens inside a write transaction.
pub(crate) async fn refresh(tx: &mut crate::Tx, case_id: i64) -> Result<()> {
    let src: Option<TokenSource> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {SOURCE_COLS} FROM cases WHERE id = $1")))
            .bind(case_id)
            .fetch_optional(tx.conn())
            .await?;
    if let Some(s) = src {
        let tokens = tokens_of(&s);
        if tokens == s.search_tokens {
            return Ok(());
        }
        sqlx::query("UPDATE cases SET search_tokens = $1 WHERE id = $2")
            .bind(tokens)
            .bind(case_id)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// Fill `search_tokens` for cases written before the search index existed (run after migrations;
/// cheap when there is nothing to do: a partial index holds only the empty rows).
pub async fn backfill(store: &Store) -> Result<u64> {
    let mut done = 0u64;
    loop {
        let rows: Vec<TokenSource> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SOURCE_COLS} FROM cases WHERE search_tokens = '' ORDER BY id LIMIT 2000"
        )))
        .fetch_all(store.reader())
        .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        let mut tx = store.begin().await?;
        for r in &rows {
            sqlx::query("UPDATE cases SET search_tokens = $1 WHERE id = $2")
                .bind(tokens_of(r))
                .bind(r.id)
                .execute(tx.conn())
                .await?;
        }
        tx.commit().await?;
        done += rows.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn document_tokens_are_bigrams_words_and_facets() {
        let t = document_tokens(
            "D3HA202312150062",
            "柳屯镇化工厂夜间排放异味，PM2.5超标。",
            &Facets {
                campaign_id: Some(2),
                county_code: Some("410928"),
                township_code: Some("410928101"),
                stage: "dispatched_handler",
                pollution_types: "大气,噪声",
                batch_id: Some(3),
                county_unit_id: Some(12),
            },
        );
        let t = toks(&t);
        for expect in [
            "d3ha202312150062",
            "202312150062",
            "0062",
            "柳屯",
            "屯镇",
            "化工",
            "工厂",
            "异味",
            "味",
            "pm2",
            "5",
            "超标",
            "标",
            "zzc410928",
            "zzt410928101",
            "zzsdispatchedhandler",
            "zzy大气",
            "zzy噪声",
            "zzb3",
            "zzu12",
            "zzp2",
        ] {
            assert!(t.contains(&expect.to_owned()), "missing {expect} in {t:?}");
        }
        // No token spans punctuation: "味，" and "5超" are not bigrams.
        assert!(!t.iter().any(|x| x.contains('，') || x == "5超" || x == "味p"));
        // Sorted and unique.
        let mut sorted = t.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, t);
    }

    #[test]
    fn full_width_ascii_folds() {
        let t = document_tokens("", "ＰＭ２５超标", &Facets::default());
        assert!(toks(&t).contains(&"pm25".to_owned()), "{t}");
    }

    #[test]
    fn query_parsing() {
        let check = |q: &str, fts: &str, verify: &[&str]| {
            let p = TextQuery::parse(q).unwrap();
            assert_eq!(p.fts5(), fts, "query {q}");
            assert_eq!(p.verify, verify.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(), "query {q}");
        };
        check("异味", "\"异味\"", &[]);
        check("煤", "\"煤\"*", &[]);
        check("化工厂", "\"化工\" AND \"工厂\"", &["化工厂"]);
        check("化工厂 异味", "\"化工\" AND \"工厂\" AND \"异味\"", &["化工厂"]);
        check("D3HA2023", "\"d3ha2023\"*", &[]);
        check("0062", "\"0062\"*", &[]);
        check("PM2.5", "\"5\"* AND \"pm2\"*", &["pm2.5"]);
        check("100%", "\"100\"*", &["100%"]);
        assert_eq!(TextQuery::parse("！？…"), None);
        assert_eq!(TextQuery::parse("   "), None);
    }

    #[test]
    fn facets_and_tsquery() {
        let mut p = TextQuery::parse("异味 煤").unwrap();
        p.require_facet(FACET_COUNTY, &["410928"]);
        p.require_facet(FACET_STAGE, &["closed", "partly_closed"]);
        assert_eq!(
            p.fts5(),
            "\"异味\" AND \"煤\"* AND \"zzc410928\" AND (\"zzsclosed\" OR \"zzspartlyclosed\")"
        );
        assert_eq!(p.tsquery(), "'异味' & '煤':* & 'zzc410928' & ('zzsclosed' | 'zzspartlyclosed')");
    }

    #[test]
    fn facets_from_requests_never_break_the_expression() {
        // Found by the API sweep: `?q=…&township_code=>@x` made FTS5 see a phrase (500).
        for bad in ["4109>28", "a@b", "x\"y", "x'y", "a\\b", "\u{8e}\u{8f}", "𠀀"] {
            let mut q = TextQuery::parse("异味").unwrap();
            q.require_facet(FACET_TOWNSHIP, &[bad]);
            assert_eq!(q.fts5(), "\"异味\"", "{bad:?} leaves the facet out");
            assert_eq!(q.tsquery(), "'异味'", "{bad:?}");
            let mut q = TextQuery::parse("异味").unwrap();
            q.require_facet(FACET_STAGE, &["closed", bad]);
            assert_eq!(q.fts5(), "\"异味\"", "one bad value of several leaves the facet out: {bad:?}");
        }
        let mut q = TextQuery::parse("异味").unwrap();
        q.require_facet(FACET_TYPE, &["大气"]);
        q.require_facet(FACET_STAGE, &["partly_closed"]);
        assert_eq!(q.fts5(), "\"异味\" AND \"zzy大气\" AND \"zzspartlyclosed\"", "real values stay");
    }

    #[test]
    fn every_substring_of_two_han_chars_is_a_token() {
        // The property the bigram scheme rests on: any two adjacent Han characters of the text are
        // one token, and any single Han character is a prefix of some token.
        let text = "濮阳县文留镇北街村有家塑料颗粒作坊";
        let t = toks(&document_tokens("", text, &Facets::default()));
        let chars: Vec<char> = text.chars().collect();
        for w in chars.windows(2) {
            assert!(t.contains(&w.iter().collect::<String>()));
        }
        for c in &chars {
            assert!(t.iter().any(|x| x.starts_with(*c)));
        }
    }
}
