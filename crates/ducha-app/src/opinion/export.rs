//! The daily report as an XLSX workbook (opens in Excel and WPS): 概况, 热点话题, 县区情感, 重点舆情,
//! 报送与处置.

use ducha_domain::time::human_cst;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::report::DailyReport;
use crate::{AppError, Result};

fn t(ms: Option<i64>) -> String {
    ms.map(|v| human_cst(ducha_domain::time::from_millis(v))).unwrap_or_else(|| "—".into())
}

fn header(
    ws: &mut Worksheet,
    row: u32,
    cols: &[(&str, f64)],
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    for (i, (name, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *name, bold)?;
        ws.set_column_width(i as u16, *width)?;
    }
    Ok(())
}

fn build(r: &DailyReport) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_background_color(0xEEF2F7);
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap();

    let ws = wb.add_worksheet();
    ws.set_name("概况")?;
    ws.write_string_with_format(0, 0, format!("{}舆情日报（{}）", r.scope_label, r.date), &title)?;
    ws.write_string(1, 0, format!("生成时间：{}", t(Some(r.generated_at))))?;
    header(ws, 3, &[("指标", 22.0), ("数值", 14.0)], &bold)?;
    let v = &r.volume;
    let rows: Vec<(&str, f64)> = vec![
        ("原创信息（条）", v.originals as f64),
        ("转载信息（条）", v.reposts as f64),
        ("负面（条）", v.negative as f64),
        ("中性（条）", v.neutral as f64),
        ("正面（条）", v.positive as f64),
        ("重大及以上（条）", v.key as f64),
        ("前一日原创（条）", v.previous_originals as f64),
        ("属地预警（次）", r.alerts.sent as f64),
        ("预警已签收（次）", r.alerts.acknowledged as f64),
        ("夜间静默顺延（次）", r.alerts.deferred as f64),
        ("夜间紧急送达（次）", r.alerts.overridden as f64),
    ];
    for (i, (k, n)) in rows.iter().enumerate() {
        ws.write_string(4 + i as u32, 0, *k)?;
        ws.write_number(4 + i as u32, 1, *n)?;
    }
    let mut row = 5 + rows.len() as u32;
    ws.write_string(row, 0, "环比变化")?;
    ws.write_string(row, 1, v.change_pct.map(|c| format!("{c:+.1}%")).unwrap_or_else(|| "—".into()))?;
    row += 2;
    header(ws, row, &[("日期", 22.0), ("原创", 14.0), ("转载", 12.0), ("负面", 12.0)], &bold)?;
    for d in &r.trend {
        row += 1;
        ws.write_string(row, 0, &d.day)?;
        ws.write_number(row, 1, d.originals as f64)?;
        ws.write_number(row, 2, d.reposts as f64)?;
        ws.write_number(row, 3, d.negative as f64)?;
    }
    row += 2;
    header(ws, row, &[("等级", 22.0), ("条数", 14.0)], &bold)?;
    for l in &r.by_level {
        row += 1;
        ws.write_string(row, 0, &l.name)?;
        ws.write_number(row, 1, l.count as f64)?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("热点话题")?;
    header(
        ws,
        0,
        &[
            ("序号", 6.0),
            ("话题", 40.0),
            ("关键词", 30.0),
            ("信息量", 10.0),
            ("负面", 8.0),
            ("最高等级", 10.0),
            ("涉及县区", 20.0),
            ("关联案件", 36.0),
        ],
        &bold,
    )?;
    for (i, tp) in r.hot_topics.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string_with_format(row, 1, &tp.label, &wrap)?;
        ws.write_string(row, 2, tp.keywords.join("、"))?;
        ws.write_number(row, 3, f64::from(tp.volume))?;
        ws.write_number(row, 4, tp.negative as f64)?;
        ws.write_string(row, 5, tp.top_level_label)?;
        ws.write_string(row, 6, tp.counties.join("、"))?;
        ws.write_string(row, 7, tp.linked_cases.join("、"))?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("县区情感")?;
    header(
        ws,
        0,
        &[("县（区）", 18.0), ("总数", 8.0), ("负面", 8.0), ("中性", 8.0), ("正面", 8.0), ("负面占比", 10.0)],
        &bold,
    )?;
    for (i, c) in r.sentiment_by_county.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, &c.county_name)?;
        ws.write_number(row, 1, c.total as f64)?;
        ws.write_number(row, 2, c.negative as f64)?;
        ws.write_number(row, 3, c.neutral as f64)?;
        ws.write_number(row, 4, c.positive as f64)?;
        ws.write_string(row, 5, format!("{:.1}%", c.negative_pct))?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("重点舆情")?;
    header(
        ws,
        0,
        &[
            ("编号", 8.0),
            ("等级", 10.0),
            ("状态", 10.0),
            ("标题/摘要", 50.0),
            ("来源", 16.0),
            ("区域", 18.0),
            ("得分", 8.0),
            ("依据", 50.0),
        ],
        &bold,
    )?;
    for (i, it) in r.key_items.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_number(row, 0, it.id as f64)?;
        ws.write_string(row, 1, it.level_label)?;
        ws.write_string(row, 2, it.status_label)?;
        let summary = it.title.clone().unwrap_or_else(|| it.body.chars().take(60).collect());
        ws.write_string_with_format(row, 3, summary, &wrap)?;
        ws.write_string(row, 4, it.outlet.clone().unwrap_or_default())?;
        ws.write_string(row, 5, &it.region_label)?;
        ws.write_number(row, 6, f64::from(it.score))?;
        let why: Vec<String> = it
            .signals
            .iter()
            .map(|s| {
                if s.evidence.is_empty() {
                    s.label.clone()
                } else {
                    format!("{}（{}）", s.label, s.evidence.join("、"))
                }
            })
            .collect();
        ws.write_string_with_format(row, 7, why.join("；"), &wrap)?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("报送与处置")?;
    header(
        ws,
        0,
        &[
            ("编号", 8.0),
            ("舆情", 44.0),
            ("等级", 10.0),
            ("报送时间", 20.0),
            ("督察组签收", 20.0),
            ("市攻坚办签收", 20.0),
            ("状态", 10.0),
            ("处置情况", 44.0),
        ],
        &bold,
    )?;
    for (i, e) in r.escalations.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_number(row, 0, e.item_id as f64)?;
        ws.write_string_with_format(row, 1, &e.title, &wrap)?;
        ws.write_string(row, 2, e.level_label)?;
        ws.write_string(row, 3, t(Some(e.escalated_at)))?;
        ws.write_string(row, 4, t(e.team_acknowledged_at))?;
        ws.write_string(row, 5, t(e.city_acknowledged_at))?;
        ws.write_string(row, 6, e.status_label)?;
        ws.write_string_with_format(row, 7, e.latest_note.clone().unwrap_or_default(), &wrap)?;
    }
    wb.save_to_buffer()
}

/// The workbook's bytes.
pub fn report_xlsx(r: &DailyReport) -> Result<Vec<u8>> {
    build(r).map_err(|e| AppError::internal(format!("xlsx: {e}")))
}
