//! Bar charts rendered on the server as SVG with plotters (no CDN, no script: they work offline on a
//! government intranet and print). Text carries a generic font family; the page's stylesheet gives
//! SVG text the page's Chinese font stack, so no font is embedded.

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// Okabe–Ito colours: told apart by people with colour-vision deficiencies.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
];

const FONT: &str = "sans-serif";
const WIDTH: u32 = 760;

/// One series of a bar chart.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// How several series share a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Side by side.
    Grouped,
    /// On top of each other (parts of a whole).
    Stacked,
}

/// A bar chart: categories along one axis, one bar (or a group/stack) per category.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// The accessible name (also the SVG `<title>`).
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub layout: Layout,
    /// Bars run left to right with the categories down the side (long Chinese names read well).
    pub horizontal: bool,
    /// Values are shares 0..=1, shown as percentages.
    pub percent: bool,
}

fn fmt_value(v: f64, percent: bool) -> String {
    if percent {
        format!("{:.1}%", v * 100.0)
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

fn xml_escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// A rough width in pixels of a label at `size` px (Han characters are one em, others half).
fn text_width(s: &str, size: u32) -> u32 {
    s.chars().map(|c| if c.is_ascii() { size / 2 + 1 } else { size }).sum()
}

impl BarChart {
    /// The largest value on the value axis.
    fn max_value(&self) -> f64 {
        let n = self.categories.len();
        let m = match self.layout {
            Layout::Grouped => self.series.iter().flat_map(|s| s.values.iter().copied()).fold(0.0, f64::max),
            Layout::Stacked => (0..n)
                .map(|i| self.series.iter().map(|s| s.values.get(i).copied().unwrap_or(0.0).max(0.0)).sum())
                .fold(0.0, f64::max),
        };
        if self.percent || m <= 0.0 {
            1.0
        } else {
            // Head room for the value labels.
            m * 1.15
        }
    }

    /// Rectangles in chart coordinates: (category, series, from, to) along the value axis, and the
    /// band across the category axis.
    fn bars(&self) -> Vec<(usize, usize, f64, f64, f64, f64)> {
        let k = self.series.len().max(1);
        let mut out = Vec::new();
        for i in 0..self.categories.len() {
            let mut base = 0.0;
            for (j, s) in self.series.iter().enumerate() {
                let v = s.values.get(i).copied().unwrap_or(0.0).max(0.0);
                let (lo, hi) = match self.layout {
                    Layout::Grouped => {
                        let w = 0.8 / k as f64;
                        let lo = i as f64 + 0.1 + w * j as f64;
                        (lo, lo + w * 0.92)
                    }
                    Layout::Stacked => (i as f64 + 0.15, i as f64 + 0.85),
                };
                let (from, to) = match self.layout {
                    Layout::Grouped => (0.0, v),
                    Layout::Stacked => {
                        let r = (base, base + v);
                        base += v;
                        r
                    }
                };
                out.push((i, j, from, to, lo, hi));
            }
        }
        out
    }

    /// The chart as an SVG document (an empty string if there is nothing to draw).
    pub fn svg(&self) -> String {
        if self.categories.is_empty() || self.series.is_empty() {
            return String::new();
        }
        match self.render() {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, chart = %self.title, "chart rendering failed");
                String::new()
            }
        }
    }

    fn render(&self) -> Result<String, Box<dyn std::error::Error>> {
        let n = self.categories.len();
        let font = 14u32;
        let legend = self.series.len() > 1;
        let label_w = self.categories.iter().map(|c| text_width(c, font)).max().unwrap_or(40) + 14;
        let (w, h) = if self.horizontal {
            let per = if self.layout == Layout::Grouped { 14 * self.series.len() as u32 + 10 } else { 26 };
            (WIDTH, 60 + per * n as u32 + if legend { 30 } else { 0 })
        } else {
            (WIDTH, 320)
        };
        let max = self.max_value();
        let cats = self.categories.clone();
        let cat_label = move |v: &f64| {
            // Horizontal bars run top-down: category i sits at n - i - 0.5.
            let k = v.floor().max(0.0) as usize;
            n.checked_sub(k + 1).and_then(|i| cats.get(i)).cloned().unwrap_or_default()
        };
        let percent = self.percent;
        let val_label = move |v: &f64| fmt_value(*v, percent);
        let mut buf = String::new();
        {
            let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
            root.fill(&WHITE)?;
            let mut b = ChartBuilder::on(&root);
            b.margin(10).margin_right(24);
            if legend {
                b.margin_top(34);
            }
            if self.horizontal {
                b.x_label_area_size(28).y_label_area_size(label_w.min(260));
                let mut chart = b.build_cartesian_2d(0f64..max, Categories::new(n))?;
                chart
                    .configure_mesh()
                    .disable_y_mesh()
                    .light_line_style(RGBColor(235, 238, 243))
                    .bold_line_style(RGBColor(216, 222, 230))
                    .y_label_formatter(&cat_label)
                    .x_label_formatter(&val_label)
                    .x_labels(6)
                    .label_style((FONT, font))
                    .axis_style(RGBColor(150, 160, 172))
                    .draw()?;
                for (j, s) in self.series.iter().enumerate() {
                    let color = PALETTE[j % PALETTE.len()];
                    let rects =
                        self.bars().into_iter().filter(|b| b.1 == j).map(|(_, _, from, to, lo, hi)| {
                            Rectangle::new([(from, n as f64 - hi), (to, n as f64 - lo)], color.filled())
                        });
                    let a = chart.draw_series(rects)?;
                    if legend {
                        a.label(s.name.clone()).legend(move |(x, y)| {
                            Rectangle::new([(x, y - 6), (x + 12, y + 6)], color.filled())
                        });
                    }
                }
                // Value labels at the end of each bar (the stack's total for stacked bars).
                let labels = self.value_labels().into_iter().map(|(_, lo, hi, v)| {
                    Text::new(
                        fmt_value(v, self.percent),
                        (v.max(0.0) + max * 0.01, n as f64 - (lo + hi) / 2.0 - 0.0),
                        (FONT, font - 2).into_font().color(&RGBColor(31, 41, 51)).pos(
                            plotters::style::text_anchor::Pos::new(
                                plotters::style::text_anchor::HPos::Left,
                                plotters::style::text_anchor::VPos::Center,
                            ),
                        ),
                    )
                    .into_dyn()
                });
                chart.draw_series(labels)?;
                if legend {
                    chart
                        .configure_series_labels()
                        .position(SeriesLabelPosition::UpperRight)
                        .background_style(WHITE.mix(0.9))
                        .border_style(RGBColor(216, 222, 230))
                        .label_font((FONT, font))
                        .draw()?;
                }
            } else {
                let step = (n / 16).max(1);
                let cats2 = self.categories.clone();
                let sparse = move |v: &f64| {
                    let i = v.floor().max(0.0) as usize;
                    if i.is_multiple_of(step) {
                        cats2.get(i).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                };
                b.x_label_area_size(34).y_label_area_size(52);
                let mut chart = b.build_cartesian_2d(Categories::new(n), 0f64..max)?;
                chart
                    .configure_mesh()
                    .disable_x_mesh()
                    .light_line_style(RGBColor(235, 238, 243))
                    .bold_line_style(RGBColor(216, 222, 230))
                    .x_label_formatter(&sparse)
                    .y_label_formatter(&val_label)
                    .y_labels(6)
                    .label_style((FONT, font))
                    .axis_style(RGBColor(150, 160, 172))
                    .draw()?;
                for (j, s) in self.series.iter().enumerate() {
                    let color = PALETTE[j % PALETTE.len()];
                    let rects =
                        self.bars().into_iter().filter(|b| b.1 == j).map(|(_, _, from, to, lo, hi)| {
                            Rectangle::new([(lo, from), (hi, to)], color.filled())
                        });
                    let a = chart.draw_series(rects)?;
                    if legend {
                        a.label(s.name.clone()).legend(move |(x, y)| {
                            Rectangle::new([(x, y - 6), (x + 12, y + 6)], color.filled())
                        });
                    }
                }
                if n <= 16 {
                    let labels = self.value_labels().into_iter().map(|(_, lo, hi, v)| {
                        Text::new(
                            fmt_value(v, self.percent),
                            ((lo + hi) / 2.0, v.max(0.0) + max * 0.015),
                            (FONT, font - 2).into_font().color(&RGBColor(31, 41, 51)).pos(
                                plotters::style::text_anchor::Pos::new(
                                    plotters::style::text_anchor::HPos::Center,
                                    plotters::style::text_anchor::VPos::Bottom,
                                ),
                            ),
                        )
                        .into_dyn()
                    });
                    chart.draw_series(labels)?;
                }
                if legend {
                    chart
                        .configure_series_labels()
                        .position(SeriesLabelPosition::UpperRight)
                        .background_style(WHITE.mix(0.9))
                        .border_style(RGBColor(216, 222, 230))
                        .label_font((FONT, font))
                        .draw()?;
                }
            }
            root.present()?;
        }
        Ok(self.decorate(&buf))
    }

    /// Where value labels go: (category, band low, band high, value) — each bar for grouped charts,
    /// the stack's total for stacked ones.
    fn value_labels(&self) -> Vec<(usize, f64, f64, f64)> {
        match self.layout {
            Layout::Grouped => self.bars().into_iter().map(|(i, _, _, to, lo, hi)| (i, lo, hi, to)).collect(),
            Layout::Stacked => (0..self.categories.len())
                .map(|i| {
                    let total =
                        self.series.iter().map(|s| s.values.get(i).copied().unwrap_or(0.0).max(0.0)).sum();
                    (i, i as f64 + 0.15, i as f64 + 0.85, total)
                })
                .collect(),
        }
    }

    /// Make the document an accessible, scalable image: a title, `role="img"`, and no fixed size.
    fn decorate(&self, svg: &str) -> String {
        let Some(end) = svg.find('>') else { return svg.to_owned() };
        let open = &svg[..end];
        let view_box = open
            .split("viewBox=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("0 0 {WIDTH} 320"));
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"{view_box}\" role=\"img\" preserveAspectRatio=\"xMinYMin meet\"><title>{}</title>{}",
            xml_escape(&self.title),
            &svg[end + 1..]
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn chart(horizontal: bool, layout: Layout) -> BarChart {
        BarChart {
            title: "按县区 <测试>".into(),
            categories: vec!["濮阳县".into(), "华龙区".into(), "清丰县".into()],
            series: vec![
                Series { name: "已办结".into(), values: vec![3.0, 0.0, 7.0] },
                Series { name: "超期".into(), values: vec![1.0, 2.0, 0.0] },
            ],
            layout,
            horizontal,
            percent: false,
        }
    }

    #[test]
    fn svg_has_title_labels_and_bars() {
        for horizontal in [true, false] {
            for layout in [Layout::Grouped, Layout::Stacked] {
                let svg = chart(horizontal, layout).svg();
                assert!(svg.starts_with("<svg "), "{svg}");
                assert!(svg.contains("<title>按县区 &lt;测试&gt;</title>"));
                assert!(svg.contains("role=\"img\""));
                for c in ["濮阳县", "华龙区", "清丰县", "已办结", "超期"] {
                    assert!(svg.contains(c), "{c} missing ({horizontal}, {layout:?})");
                }
                // No inline style attributes (the CSP allows only the stylesheet).
                assert!(!svg.contains("style="), "inline style in {svg}");
                assert!(svg.contains("<rect"), "bars drawn");
                assert!(svg.trim_end().ends_with("</svg>"));
            }
        }
    }

    #[test]
    fn stacked_labels_show_totals_and_grouped_each_value() {
        let stacked = chart(true, Layout::Stacked).value_labels();
        assert_eq!(stacked.iter().map(|l| l.3).collect::<Vec<_>>(), vec![4.0, 2.0, 7.0]);
        let grouped = chart(true, Layout::Grouped).value_labels();
        assert_eq!(grouped.iter().map(|l| l.3).collect::<Vec<_>>(), vec![3.0, 1.0, 0.0, 2.0, 7.0, 0.0]);
        // Stacked parts touch: each part starts where the one below ends.
        let bars = chart(false, Layout::Stacked).bars();
        assert_eq!((bars[0].2, bars[0].3, bars[1].2, bars[1].3), (0.0, 3.0, 3.0, 4.0));
    }

    #[test]
    fn percent_axis_and_empty() {
        let c = BarChart {
            title: "三率".into(),
            categories: vec!["合计".into()],
            series: vec![Series { name: "解决率".into(), values: vec![0.756] }],
            layout: Layout::Grouped,
            horizontal: true,
            percent: true,
        };
        let svg = c.svg();
        assert!(svg.contains("75.6%"), "{svg}");
        assert_eq!(BarChart { categories: vec![], ..c }.svg(), "");
    }
}

/// A category axis over `0..n` whose key points are the centres `i + 0.5`, so each label sits in
/// the middle of its bar; labels come from the chart's own formatter.
#[derive(Clone)]
struct Categories {
    inner: RangedCoordf64,
    n: usize,
}

impl Categories {
    fn new(n: usize) -> Self {
        Self { inner: (0f64..n as f64).into(), n }
    }
}

impl Ranged for Categories {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let max = hint.max_num_points().max(1);
        let step = self.n.div_ceil(max).max(1);
        (0..self.n).step_by(step).map(|i| i as f64 + 0.5).collect()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

impl ValueFormatter<f64> for Categories {
    fn format(value: &f64) -> String {
        format!("{value}")
    }
}
