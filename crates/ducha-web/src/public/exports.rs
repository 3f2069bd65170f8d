//! The public column's downloads: XLSX, CSV (inert cells) and JSON of a batch.

use super::*;

pub(super) fn file_stem(v: &DisclosureView) -> String {
    format!("{}第{}批交办件办理情况（第{}版）", v.doc.column.name, v.doc.batch.number, v.version)
}

/// XLSX, CSV or JSON of one batch table.
pub fn export(v: &DisclosureView, kind: Export) -> Result<Rendered, AppError> {
    match kind {
        Export::Xlsx => Ok(Rendered {
            body: xlsx(v)?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename: Some(format!("{}.xlsx", file_stem(v))),
        }),
        Export::Csv => Ok(Rendered {
            body: csv_bytes(v)?,
            content_type: "text/csv; charset=utf-8",
            filename: Some(format!("{}.csv", file_stem(v))),
        }),
        Export::Json => Ok(Rendered {
            body: json_bytes(v)?,
            content_type: "application/json; charset=utf-8",
            filename: None,
        }),
    }
}

/// UTF-8 with a BOM (so Excel and WPS open it as UTF-8), header row, one row per case.
pub fn csv_bytes(v: &DisclosureView) -> Result<Vec<u8>, AppError> {
    let layout = v.doc.layout;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let err = |e: csv::Error| AppError::internal(format!("csv: {e}"));
    w.write_record(layout.headers()).map_err(err)?;
    for r in &v.doc.rows {
        // Inert for spreadsheets: a cell that starts like a formula is written as text.
        let cells = r.cells(layout);
        w.write_record(cells.iter().map(|c| ducha_shield::inert::csv_cell(c).into_owned())).map_err(err)?;
    }
    let body = w.into_inner().map_err(|e| AppError::internal(format!("csv: {e}")))?;
    let mut out = Vec::with_capacity(body.len() + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    out.extend_from_slice(&body);
    Ok(out)
}

/// The batch as JSON: metadata, the column headers, the summary and one object per row keyed by column.
pub fn json_bytes(v: &DisclosureView) -> Result<Vec<u8>, AppError> {
    let layout = v.doc.layout;
    let rows: Vec<serde_json::Value> = v
        .doc
        .rows
        .iter()
        .map(|r| {
            let mut o = serde_json::Map::new();
            for c in layout.columns() {
                let val = match c {
                    dd::Column::Seq => serde_json::json!(r.seq),
                    _ => serde_json::json!(r.cell(*c)),
                };
                o.insert(c.key().to_owned(), val);
            }
            serde_json::Value::Object(o)
        })
        .collect();
    let doc = serde_json::json!({
        "column": { "code": v.doc.column.code(), "name": v.doc.column.name },
        "campaign": v.doc.batch.campaign_name,
        "team": v.doc.batch.team_name,
        "batch": v.doc.batch.number,
        "answering_date": v.doc.batch.answering_date.to_string(),
        "assigned_on": v.doc.batch.assigned_on.map(|d| d.to_string()),
        "version": v.version,
        "published_at": v.published_at.map(iso_cst),
        "content_hash": v.content_hash,
        "hash_algorithm": "SM3",
        "correction_note": if v.note.is_empty() { serde_json::Value::Null } else { serde_json::json!(v.note) },
        "layout": layout.code(),
        "columns": layout.columns().iter().map(|c| serde_json::json!({ "key": c.key(), "header": c.header() })).collect::<Vec<_>>(),
        "summary": v.doc.summary,
        "rows": rows,
        "accountability": {
            "people": v.doc.accountability.people,
            "records": v.doc.accountability.records,
            "by_level": v.doc.accountability.by_level,
            "by_kind": v.doc.accountability.by_kind,
            "typical": v.doc.accountability.typical,
        },
    });
    serde_json::to_vec_pretty(&doc).map_err(|e| AppError::internal(e.to_string()))
}

pub(super) fn xlsx_width(c: dd::Column) -> f64 {
    use dd::Column::*;
    match c {
        Seq => 6.0,
        AcceptNo => 19.0,
        Summary => 48.0,
        Region => 18.0,
        ProblemType | PollutionType => 14.0,
        Investigation => 44.0,
        Finding => 10.0,
        ClosureTarget => 26.0,
        Handling => 48.0,
        Closure => 11.0,
        Accountability => 24.0,
    }
}

/// The table as an Excel workbook: a styled, frozen header row, column widths for Chinese text,
/// wrapped long columns, landscape A4 printing with the header repeated; a second sheet holds the text
/// summary. The creation time is the publication time, so the bytes are the same on every server.
pub fn xlsx(v: &DisclosureView) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal(format!("xlsx: {e}"));
    let layout: Layout = v.doc.layout;
    let mut wb = Workbook::new();
    let t = ducha_domain::time::to_cst(v.published_at.unwrap_or(v.doc.as_of));
    use chrono::{Datelike, Timelike};
    let created = ExcelDateTime::from_ymd(t.year().clamp(1900, 9999) as u16, t.month() as u8, t.day() as u8)
        .and_then(|d| d.and_hms(t.hour() as u16, t.minute() as u8, t.second() as f64))
        .map_err(err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(file_stem(v))
            .set_author(v.doc.column.name.clone())
            .set_company(v.doc.batch.team_name.clone())
            .set_creation_datetime(&created),
    );
    let head = Format::new()
        .set_bold()
        .set_font_name("宋体")
        .set_background_color(Color::RGB(0xF3E5E4))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let cell = Format::new()
        .set_font_name("宋体")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let center = cell.clone().set_align(FormatAlign::Center);
    let sheet = wb.add_worksheet();
    sheet.set_name(format!("第{}批", v.doc.batch.number)).map_err(err)?;
    for (i, c) in layout.columns().iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(0, col, c.header(), &head).map_err(err)?;
        sheet.set_column_width(col, xlsx_width(*c)).map_err(err)?;
    }
    sheet.set_row_height(0, 30).map_err(err)?;
    for (ri, r) in v.doc.rows.iter().enumerate() {
        let row = (ri + 1) as u32;
        for (ci, c) in layout.columns().iter().enumerate() {
            let col = ci as u16;
            match c {
                dd::Column::Seq => {
                    sheet.write_number_with_format(row, col, f64::from(r.seq), &center).map_err(err)?;
                }
                dd::Column::Finding | dd::Column::Closure | dd::Column::AcceptNo => {
                    sheet.write_string_with_format(row, col, r.cell(*c), &center).map_err(err)?;
                }
                _ => {
                    sheet.write_string_with_format(row, col, r.cell(*c), &cell).map_err(err)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(0, 0).map_err(err)?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_header(format!("&C{}", file_stem(v).replace('&', "&&")));

    let notes = wb.add_worksheet();
    notes.set_name("情况说明").map_err(err)?;
    let wrap = Format::new().set_font_name("宋体").set_text_wrap().set_align(FormatAlign::Top);
    notes.set_column_width(0, 100).map_err(err)?;
    notes
        .write_string_with_format(0, 0, file_stem(v), &Format::new().set_bold().set_font_name("宋体"))
        .map_err(err)?;
    notes.write_string_with_format(1, 0, v.doc.summary.clone(), &wrap).map_err(err)?;
    notes.set_row_height(1, 160).map_err(err)?;
    let mut line = 2u32;
    if !v.note.is_empty() {
        notes.write_string_with_format(line, 0, format!("更正说明：{}", v.note), &wrap).map_err(err)?;
        line += 1;
    }
    notes
        .write_string_with_format(line, 0, format!("内容哈希（SM3）：{}", v.content_hash), &wrap)
        .map_err(err)?;
    wb.save_to_buffer().map_err(err)
}
