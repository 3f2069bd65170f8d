//! The public column's HTML pages: the column page, a batch page, typical cases, the accountability page and the TV bulletin.

use super::*;

/// The public layout's data.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub site: String,
    pub home: String,
    pub crawl: String,
    pub is_city: bool,
}

pub(super) fn chrome(idx: &ColumnIndex) -> Chrome {
    Chrome {
        site: format!("{}边督边改信息公开专栏", idx.column.name),
        home: home(&idx.column),
        crawl: idx.announcement.crawl_text(),
        is_city: idx.column.is_city(),
    }
}

pub(super) struct BatchItem {
    pub(super) number: u32,
    pub(super) link: String,
    pub(super) date: String,
    pub(super) count: usize,
    pub(super) published: String,
    pub(super) excerpt: String,
    pub(super) corrected: bool,
}

#[derive(Template)]
#[template(path = "gongkai/column.html")]
pub(super) struct ColumnPage {
    pub(super) chrome: Chrome,
    pub(super) column_name: String,
    pub(super) ann_title: String,
    pub(super) paragraphs: Vec<String>,
    pub(super) hotlines: String,
    pub(super) hours: String,
    pub(super) postal_box: String,
    pub(super) period: String,
    pub(super) counties: Vec<(String, String)>,
    pub(super) batches: Vec<BatchItem>,
}

pub(super) fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(human_cst).unwrap_or_else(|| "—".into())
}

pub(super) fn column_page(idx: &ColumnIndex) -> Result<String, AppError> {
    let a = &idx.announcement;
    let mut batches: Vec<BatchItem> = idx
        .batches
        .iter()
        .map(|b| BatchItem {
            number: b.doc.batch.number,
            link: batch_link(&idx.column, b.doc.batch.number),
            date: ducha_domain::handling::date_cn(b.doc.batch.answering_date),
            count: b.doc.rows.len(),
            published: when(b.published_at),
            excerpt: excerpt(&b.doc.summary, 160),
            corrected: b.version > 1,
        })
        .collect();
    batches.reverse();
    ColumnPage {
        chrome: chrome(idx),
        column_name: idx.column.name.clone(),
        ann_title: format!("{}进驻{}公告", a.team_name, a.place),
        paragraphs: a.paragraphs(),
        hotlines: a.hotlines.join("、"),
        hours: a.hours.label(),
        postal_box: a.postal_box.clone(),
        period: format!(
            "{}至{}",
            ducha_domain::handling::date_cn(a.start),
            ducha_domain::handling::date_cn(a.end)
        ),
        counties: idx
            .counties
            .iter()
            .filter_map(|c| c.county_code.clone().map(|code| (code, c.name.clone())))
            .collect(),
        batches,
    }
    .render()
    .map_err(tpl)
}

#[derive(Template)]
#[template(path = "gongkai/batch.html")]
pub(super) struct BatchPage {
    pub(super) chrome: Chrome,
    pub(super) column_name: String,
    pub(super) title: String,
    pub(super) number: u32,
    pub(super) version: i64,
    pub(super) published: String,
    pub(super) hash: String,
    pub(super) note: String,
    pub(super) summary: String,
    pub(super) base: String,
    pub(super) headers: Vec<&'static str>,
    pub(super) rows: Vec<Vec<(&'static str, String)>>,
    pub(super) share: String,
    pub(super) earlier: Vec<(i64, String, String, String)>,
    pub(super) draft: bool,
    pub(super) status: &'static str,
}

/// The batch page (also the staff preview of an unpublished version, with `draft`).
pub fn batch_page(
    idx: &ColumnIndex,
    v: &DisclosureView,
    base: &str,
    draft: bool,
) -> Result<String, AppError> {
    let layout = v.doc.layout;
    let headers = layout.headers();
    let rows = v.doc.rows.iter().map(|r| headers.iter().copied().zip(r.cells(layout)).collect()).collect();
    let link = batch_link(&v.doc.column, v.doc.batch.number);
    BatchPage {
        chrome: chrome(idx),
        column_name: v.doc.column.name.clone(),
        title: format!("{}第{}批交办件边督边改情况", v.doc.column.name, v.doc.batch.number),
        number: v.doc.batch.number,
        version: v.version,
        published: match v.published_at {
            Some(t) => format!("发布时间：{}", human_cst(t)),
            None => format!("生成时间：{}", human_cst(v.doc.as_of)),
        },
        hash: v.content_hash.clone(),
        note: v.note.clone(),
        summary: v.doc.summary.clone(),
        base: link.trim_end_matches('/').to_owned(),
        headers,
        rows,
        share: share_text(v, base),
        earlier: v
            .earlier
            .iter()
            .map(|e| (e.version, when(e.published_at), e.content_hash.clone(), e.note.clone()))
            .collect(),
        draft,
        status: v.status.label(),
    }
    .render()
    .map_err(tpl)
}

#[derive(Template)]
#[template(path = "gongkai/typical.html")]
pub(super) struct TypicalPage {
    pub(super) chrome: Chrome,
    pub(super) column_name: String,
    pub(super) cases: Vec<PublicCase>,
}

#[derive(Template)]
#[template(path = "gongkai/accountability.html")]
pub(super) struct AccountabilityPage {
    pub(super) chrome: Chrome,
    pub(super) column_name: String,
    pub(super) acc: PublicAccountabilityDoc,
}

#[derive(Template)]
#[template(path = "gongkai/tv.html")]
pub(super) struct TvPage {
    pub(super) chrome: Chrome,
    pub(super) heading: String,
    pub(super) txt: String,
    pub(super) script: String,
}
