//! Tables as XLSX workbooks (rust_xlsxwriter): a bold, frozen header row, widths that fit Chinese
//! text, numbers as numbers and shares as percentages, so the figures behind every chart open
//! ready to use in Excel, WPS or LibreOffice.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum XCell {
    Text(String),
    Number(f64),
    /// A share 0..=1, shown as a percentage.
    Percent(Option<f64>),
}

impl XCell {
    /// As shown in the HTML table next to the chart.
    pub fn display(&self) -> String {
        match self {
            XCell::Text(s) => s.clone(),
            XCell::Number(v) if (v - v.round()).abs() < 1e-9 => format!("{}", v.round() as i64),
            XCell::Number(v) => format!("{v:.1}"),
            XCell::Percent(Some(v)) => format!("{:.1}%", v * 100.0),
            XCell::Percent(None) => "—".into(),
        }
    }
}

/// A titled table.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Sheet name (cut to Excel's 31 characters, forbidden characters replaced).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<XCell>>,
}

fn sheet_name(s: &str) -> String {
    let clean: String = s.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).collect();
    clean.chars().take(31).collect()
}

fn width_of(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 1.1 } else { 2.1 }).sum::<f64>() + 2.0
}

/// A workbook with one worksheet per table.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_background_color("EEF2F7").set_border(FormatBorder::Thin);
    let text = Format::new().set_border(FormatBorder::Thin);
    let number = Format::new().set_border(FormatBorder::Thin).set_num_format("0.##");
    let percent = Format::new().set_border(FormatBorder::Thin).set_num_format("0.0%");
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&s.name))?;
        let mut widths: Vec<f64> = s.headers.iter().map(|h| width_of(h)).collect();
        for (c, h) in s.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &header)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    XCell::Text(t) => {
                        ws.write_string_with_format(r, col, t, &text)?;
                    }
                    XCell::Number(v) => {
                        ws.write_number_with_format(r, col, *v, &number)?;
                    }
                    XCell::Percent(Some(v)) => {
                        ws.write_number_with_format(r, col, *v, &percent)?;
                    }
                    XCell::Percent(None) => {
                        ws.write_string_with_format(r, col, "—", &text)?;
                    }
                }
                if let Some(w) = widths.get_mut(c) {
                    *w = w.max(width_of(&cell.display()));
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, w.min(60.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn workbook_reads_back() {
        use calamine::{Data, Reader, Xlsx};
        let bytes = workbook(&[Sheet {
            name: "按县区/类型".into(),
            headers: vec!["县（区）".into(), "案件数".into(), "解决率".into()],
            rows: vec![
                vec![XCell::Text("濮阳县".into()), XCell::Number(12.0), XCell::Percent(Some(0.5))],
                vec![XCell::Text("合计".into()), XCell::Number(20.0), XCell::Percent(None)],
            ],
        }])
        .unwrap();
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(x.sheet_names(), vec!["按县区_类型".to_owned()]);
        let range = x.worksheet_range("按县区_类型").unwrap();
        assert_eq!(range.get_value((0, 0)), Some(&Data::String("县（区）".into())));
        assert_eq!(range.get_value((1, 0)), Some(&Data::String("濮阳县".into())));
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(12.0)));
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(0.5)));
        assert_eq!(range.get_value((2, 2)), Some(&Data::String("—".into())));
    }

    #[test]
    fn display_matches_the_html_table() {
        assert_eq!(XCell::Number(3.0).display(), "3");
        assert_eq!(XCell::Number(2.26).display(), "2.3");
        assert_eq!(XCell::Percent(Some(0.9)).display(), "90.0%");
        assert_eq!(XCell::Percent(None).display(), "—");
    }
}
