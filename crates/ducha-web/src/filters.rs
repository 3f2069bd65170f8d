//! The case list's query parameters, shared by `GET /api/v1/cases` and the staff case list page,
//! and their translation into the store's filter.

use ducha_app::lookups::CaseFilter;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// Stage code, e.g. `received`, `dispatched_handler`, `closed` (repeatable as a comma list).
    pub stage: Option<String>,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub batch_id: Option<i64>,
    /// Pollution type label, e.g. 大气.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub pollution_type: Option<String>,
    /// Full-text search over the accept number and the redacted complaint text: Chinese words
    /// (any length), accept numbers or their tails (date+serial, serial); several words all match.
    pub q: Option<String>,
    /// Received on or after this Beijing date (`2023-12-14`).
    pub from: Option<String>,
    /// Received on or before this Beijing date.
    pub to: Option<String>,
    /// `1`: only open cases past their due time.
    pub overdue: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl CaseQuery {
    /// The store filter (without the time-dependent `overdue`; see [`CaseQuery::filter_at`]).
    pub fn filter(&self) -> CaseFilter {
        let s = |v: &Option<String>| v.as_deref().map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned);
        CaseFilter {
            stages: s(&self.stage)
                .map(|v| v.split(',').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect())
                .unwrap_or_default(),
            county_code: s(&self.county_code),
            township_code: s(&self.township_code),
            batch_id: self.batch_id,
            pollution_type: s(&self.pollution_type),
            text: s(&self.q),
            ..CaseFilter::default()
        }
    }

    /// The full filter at `now_ms`: received dates (Beijing days, both ends included) and overdue.
    pub fn filter_at(&self, now_ms: i64) -> Result<CaseFilter, ducha_app::AppError> {
        let day =
            |field: &str, v: &Option<String>| -> Result<Option<chrono::NaiveDate>, ducha_app::AppError> {
                match v.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
                    None => Ok(None),
                    Some(x) => chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").map(Some).map_err(|_| {
                        ducha_app::AppError::invalid(field, format!("日期“{x}”格式不正确，应为 2023-12-14"))
                    }),
                }
            };
        let start = |d: chrono::NaiveDate| {
            ducha_domain::time::from_cst(d.and_hms_opt(0, 0, 0).unwrap_or_default()).timestamp_millis()
        };
        let from = day("from", &self.from)?;
        let to = day("to", &self.to)?;
        Ok(CaseFilter {
            received_from: from.map(start),
            received_to: to.and_then(|d| d.succ_opt()).map(start),
            overdue_at: matches!(self.overdue.as_deref(), Some("1" | "true" | "on")).then_some(now_ms),
            ..self.filter()
        })
    }
}
