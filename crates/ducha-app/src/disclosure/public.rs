//! What the public side reads and posts: a column's landing data, one published batch, every disclosed
//! case (Open311 and feeds), the status of a case not yet disclosed, and Open311 intake with its
//! look-up tokens.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ducha_domain::disclosure::PublicCase;
use ducha_domain::time::from_millis;
use ducha_store::batches;
use ducha_store::cases::{self, ComplainantIdentity};
use ducha_store::disclosure::{self as store};

use super::{ColumnIndex, DisclosureView, info_of, parse_doc, view_of};
use crate::intake::IntakeInput;
use crate::{App, AppError, Result};

impl App {
    /// A column's landing data: the announcement and the latest published version of each batch.
    pub async fn public_column(&self, county_code: Option<&str>) -> Result<ColumnIndex> {
        let column = self.column(county_code).await?;
        let campaign = self.campaign().await?;
        let rows = store::published(&self.store, campaign.id, Some(&column.code())).await?;
        let last_published = rows.iter().filter_map(|r| r.published_at).max().map(from_millis);
        let mut batches = Vec::with_capacity(rows.len());
        for r in &rows {
            let earlier = if r.version > 1 {
                store::published_versions(&self.store, r.batch_id, &r.column_code)
                    .await?
                    .iter()
                    .filter(|x| x.version < r.version)
                    .map(info_of)
                    .collect()
            } else {
                Vec::new()
            };
            batches.push(view_of(r, earlier)?);
        }
        let counties = if column.is_city() { self.county_columns().await? } else { Vec::new() };
        Ok(ColumnIndex {
            announcement: self.announcement(&column).await?,
            column,
            batches,
            counties,
            last_published,
        })
    }

    /// One published batch disclosure (latest version, or the given one) of a column.
    pub async fn public_batch(
        &self,
        county_code: Option<&str>,
        number: i64,
        version: Option<i64>,
    ) -> Result<DisclosureView> {
        let column = self.column(county_code).await?;
        let campaign = self.campaign().await?;
        let not_found =
            || AppError::not_found("disclosure_not_found", "未找到该批次的公开信息（可能尚未发布）");
        let batch = batches::list(&self.store, campaign.id)
            .await?
            .into_iter()
            .find(|b| b.number == number)
            .ok_or_else(not_found)?;
        let published = store::published_versions(&self.store, batch.id, &column.code()).await?;
        let row = match version {
            None => published.first(),
            Some(v) => published.iter().find(|r| r.version == v),
        }
        .ok_or_else(not_found)?;
        let earlier = published.iter().filter(|r| r.version < row.version).map(info_of).collect();
        view_of(row, earlier)
    }

    /// Every disclosed case across the published columns (latest version of each batch; a case shown in
    /// several columns is taken from the most recently published one). For Open311 and feeds.
    pub async fn public_cases(&self) -> Result<Vec<PublicCase>> {
        let campaign = self.campaign().await?;
        let mut rows = store::published(&self.store, campaign.id, None).await?;
        rows.sort_by_key(|r| r.published_at.unwrap_or(0));
        let mut by_no: BTreeMap<String, PublicCase> = BTreeMap::new();
        for r in &rows {
            for c in parse_doc(r)?.rows {
                by_no.insert(c.accept_no.clone(), c);
            }
        }
        let mut v: Vec<PublicCase> = by_no.into_values().collect();
        v.sort_by(|a, b| a.received_at.cmp(&b.received_at).then_with(|| a.accept_no.cmp(&b.accept_no)));
        Ok(v)
    }

    /// What the public may know about a case that has not been disclosed yet: that it was received, and
    /// when (Open311 "request by id" for the person who filed it).
    pub async fn received_case_status(
        &self,
        accept_no: &str,
    ) -> Result<Option<(String, DateTime<Utc>, Vec<String>, bool)>> {
        let Some(c) = cases::get_by_accept_no(&self.store, accept_no).await? else { return Ok(None) };
        let stage = c.stage;
        let types = c
            .pollution_types
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(Some((c.accept_no, from_millis(c.received_at), types, stage.is_terminal())))
    }

    // ---- Open311 intake ----------------------------------------------------------------------

    /// A complaint from Open311 (or any public web form): the same intake path as every channel, as
    /// channel `web`, anonymous. Returns the accept number and a token to look it up by.
    pub async fn public_intake(
        &self,
        text: &str,
        pollution_type: Option<&str>,
        county_code: Option<&str>,
        who: ComplainantIdentity,
    ) -> Result<(String, String)> {
        let input = IntakeInput {
            channel: "web".into(),
            text: text.to_owned(),
            received_at: None,
            complainant: who,
            county_code: county_code.map(str::to_owned),
            township_code: None,
            village_code: None,
            pollution_types: pollution_type.map(|t| vec![t.to_owned()]),
            sansan: None,
        };
        let id = self.intake_as(None, &input).await?;
        let accept_no = cases::get(&self.store, id).await?.map(|c| c.accept_no).unwrap_or_default();
        let token = hex::encode(rand::random::<[u8; 16]>());
        let mut tx = self.store.begin().await?;
        store::insert_token(&mut tx, &token, id, self.now_ms()).await?;
        tx.commit().await?;
        Ok((accept_no, token))
    }

    pub async fn open311_token(&self, token: &str) -> Result<Option<String>> {
        if token.is_empty() || token.len() > 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        Ok(store::token_accept_no(&self.store, token).await?)
    }
}
