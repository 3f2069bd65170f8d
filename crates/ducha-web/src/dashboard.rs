//! The dashboards (统计看板): cases by county, type and day; the three outcome rates; on-time and
//! overdue; the grassroots-burden figures; 一刀切 and 长停久治 alerts. Each chart is an SVG drawn on
//! the server, followed by its numbers as an accessible table and an XLSX download.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use ducha_app::AppError;
use ducha_app::auth::CurrentUser;
use ducha_app::workbench::DashboardFigures;
use ducha_domain::unit::UnitLevel;

use crate::AppState;
use crate::charts::{BarChart, Layout, Series};
use crate::error::PageError;
use crate::extract::{ApiPath, PageUser};
use crate::kit::{Nav, render};
use crate::xlsx::{self, Sheet, XCell};

/// One chart with its table.
#[derive(Debug, Clone)]
pub struct Section {
    pub key: &'static str,
    pub title: String,
    pub intro: String,
    pub chart: BarChart,
    pub sheet: Sheet,
    /// What the empty chart means and what to do.
    pub empty: String,
    /// A page with more detail.
    pub more: Option<(&'static str, &'static str)>,
}

impl Section {
    pub fn svg(&self) -> String {
        self.chart.svg()
    }
    pub fn rows(&self) -> Vec<Vec<String>> {
        self.sheet.rows.iter().map(|r| r.iter().map(XCell::display).collect()).collect()
    }
}

fn n(v: i64) -> XCell {
    XCell::Number(v as f64)
}

fn t(s: impl Into<String>) -> XCell {
    XCell::Text(s.into())
}

/// Every section, in page order, from the figures of one user.
pub async fn sections(st: &AppState, user: &CurrentUser) -> Result<Vec<Section>, AppError> {
    let f: DashboardFigures = st.app.dashboard_figures(user).await?;
    let mut out = Vec::new();

    let total: i64 = f.by_county.iter().map(|r| r.2).sum();
    out.push(Section {
        key: "county",
        title: "案件数（按县区）".into(),
        intro: format!("本督察期间受理、在您辖区内的案件共 {total} 件。"),
        chart: BarChart {
            title: "案件数（按县区）".into(),
            categories: f.by_county.iter().map(|r| r.1.clone()).collect(),
            series: vec![Series {
                name: "案件数".into(),
                values: f.by_county.iter().map(|r| r.2 as f64).collect(),
            }],
            layout: Layout::Grouped,
            horizontal: true,
            percent: false,
        },
        sheet: Sheet {
            name: "按县区".into(),
            headers: vec!["县（区）".into(), "区划代码".into(), "案件数".into()],
            rows: f.by_county.iter().map(|r| vec![t(r.1.clone()), t(r.0.clone()), n(r.2)]).collect(),
        },
        empty: "暂无案件。受理登记后，案件会按县区统计在这里。".into(),
        more: Some(("/map", "乡镇分布图")),
    });

    out.push(Section {
        key: "type",
        title: "案件数（按问题类型）".into(),
        intro: "一件举报反映多类问题的，各类分别计数。".into(),
        chart: BarChart {
            title: "案件数（按问题类型）".into(),
            categories: f.by_type.iter().map(|r| r.0.clone()).collect(),
            series: vec![Series {
                name: "案件数".into(),
                values: f.by_type.iter().map(|r| r.1 as f64).collect(),
            }],
            layout: Layout::Grouped,
            horizontal: false,
            percent: false,
        },
        sheet: Sheet {
            name: "按问题类型".into(),
            headers: vec!["问题类型".into(), "案件数".into()],
            rows: f.by_type.iter().map(|r| vec![t(r.0.clone()), n(r.1)]).collect(),
        },
        empty: "暂无案件。".into(),
        more: None,
    });

    out.push(Section {
        key: "day",
        title: "每日受理量".into(),
        intro: "按受理日期（北京时间）统计。".into(),
        chart: BarChart {
            title: "每日受理量".into(),
            categories: f.by_day.iter().map(|r| r.0.format("%m-%d").to_string()).collect(),
            series: vec![Series {
                name: "受理量".into(),
                values: f.by_day.iter().map(|r| r.1 as f64).collect(),
            }],
            layout: Layout::Grouped,
            horizontal: false,
            percent: false,
        },
        sheet: Sheet {
            name: "每日受理量".into(),
            headers: vec!["日期".into(), "受理量".into()],
            rows: f.by_day.iter().map(|r| vec![t(r.0.format("%Y-%m-%d").to_string()), n(r.1)]).collect(),
        },
        empty: "暂无受理记录。".into(),
        more: None,
    });

    let metrics = st.app.outcome_metrics(user, false).await?;
    out.push(Section {
        key: "outcomes",
        title: "响应率、解决率、满意率".into(),
        intro: "只看办理结果和群众评价（R5.4）：满意率 =（满意 + 0.9 × 基本满意）÷ 有效回访；不统计照片、附件、材料数量。"
            .into(),
        chart: BarChart {
            title: "响应率、解决率、满意率（按县区）".into(),
            categories: metrics.iter().map(|m| m.label.clone()).collect(),
            series: vec![
                Series {
                    name: "响应率".into(),
                    values: metrics.iter().map(|m| m.metrics.response_rate().unwrap_or(0.0)).collect(),
                },
                Series {
                    name: "解决率".into(),
                    values: metrics.iter().map(|m| m.metrics.resolution_rate().unwrap_or(0.0)).collect(),
                },
                Series {
                    name: "满意率".into(),
                    values: metrics.iter().map(|m| m.metrics.satisfaction_rate().unwrap_or(0.0)).collect(),
                },
            ],
            layout: Layout::Grouped,
            horizontal: true,
            percent: true,
        },
        sheet: Sheet {
            name: "三率".into(),
            headers: vec![
                "县（区）".into(),
                "案件数".into(),
                "响应率".into(),
                "解决率".into(),
                "满意率".into(),
                "按期办结率".into(),
                "重复举报率".into(),
                "综合评分".into(),
            ],
            rows: metrics
                .iter()
                .map(|m| {
                    let x = &m.metrics;
                    vec![
                        t(m.label.clone()),
                        n(i64::from(x.cases)),
                        XCell::Percent(x.response_rate()),
                        XCell::Percent(x.resolution_rate()),
                        XCell::Percent(x.satisfaction_rate()),
                        XCell::Percent(x.on_time_rate()),
                        XCell::Percent(x.repeat_rate()),
                        x.composite.map(|c| XCell::Number((c * 1000.0).round() / 10.0)).unwrap_or(t("—")),
                    ]
                })
                .collect(),
        },
        empty: "暂无已交办到承办单位的案件。".into(),
        more: Some(("/tongji?by=unit", "按承办单位查看")),
    });
    if metrics.iter().all(|m| m.metrics.cases == 0)
        && let Some(s) = out.last_mut()
    {
        s.chart.categories.clear();
    }

    out.push(Section {
        key: "due",
        title: "在办案件按期与超期".into(),
        intro: "尚未报送验收的在办案件中，已过办理期限的为超期（期限按工作日计算）。".into(),
        chart: BarChart {
            title: "在办案件按期与超期（按县区）".into(),
            categories: f.due_by_county.iter().map(|r| r.1.clone()).collect(),
            series: vec![
                Series {
                    name: "期限内".into(),
                    values: f.due_by_county.iter().map(|r| (r.2 - r.3) as f64).collect(),
                },
                Series {
                    name: "已超期".into(),
                    values: f.due_by_county.iter().map(|r| r.3 as f64).collect(),
                },
            ],
            layout: Layout::Stacked,
            horizontal: true,
            percent: false,
        },
        sheet: Sheet {
            name: "按期与超期".into(),
            headers: vec!["县（区）".into(), "在办（有期限）".into(), "期限内".into(), "已超期".into()],
            rows: f
                .due_by_county
                .iter()
                .map(|r| vec![t(r.1.clone()), n(r.2), n(r.2 - r.3), n(r.3)])
                .collect(),
        },
        empty: "目前没有带办理期限的在办案件。".into(),
        more: Some(("/cases?overdue=1", "超期案件清单")),
    });

    let burden = st.app.burden_rows().await?;
    let shown: Vec<_> =
        burden.iter().filter(|r| r.night_held + r.night_overrides + r.refused_compressions > 0).collect();
    let level = |l: &str| UnitLevel::parse(l).map(|l| l.label()).unwrap_or("—");
    out.push(Section {
        key: "burden",
        title: "基层减负".into(),
        intro: "20时至次日8时暂缓送达、紧急送达（须写明理由）和被拒绝的压缩期限（层层加码、级级提速），按单位统计。".into(),
        chart: BarChart {
            title: "基层减负（按单位）".into(),
            categories: shown.iter().map(|r| r.unit.clone()).collect(),
            series: vec![
                Series { name: "夜间暂缓送达".into(), values: shown.iter().map(|r| r.night_held as f64).collect() },
                Series { name: "夜间紧急送达".into(), values: shown.iter().map(|r| r.night_overrides as f64).collect() },
                Series {
                    name: "被拒绝的压缩期限".into(),
                    values: shown.iter().map(|r| r.refused_compressions as f64).collect(),
                },
            ],
            layout: Layout::Grouped,
            horizontal: true,
            percent: false,
        },
        sheet: Sheet {
            name: "基层减负".into(),
            headers: vec![
                "单位".into(),
                "层级".into(),
                "收到任务".into(),
                "夜间暂缓送达".into(),
                "夜间紧急送达".into(),
                "被拒绝的压缩期限".into(),
                "平均给予工作时长（小时）".into(),
                "平均实际用时（小时）".into(),
            ],
            rows: burden
                .iter()
                .map(|r| {
                    vec![
                        t(r.unit.clone()),
                        t(level(&r.level)),
                        n(r.tasks),
                        n(r.night_held),
                        n(r.night_overrides),
                        n(r.refused_compressions),
                        r.hours_given.map(XCell::Number).unwrap_or(t("—")),
                        r.hours_used.map(XCell::Number).unwrap_or(t("—")),
                    ]
                })
                .collect(),
        },
        empty: "没有夜间送达和被拒绝的压缩期限：基层没有熬夜接收任务，也没有层层压缩期限。".into(),
        more: Some(("/burden", "减负详表")),
    });

    out.push(Section {
        key: "alerts",
        title: "疑似“一刀切”与“长停久治、久治不验”预警".into(),
        intro: "未解除的预警，按县区统计。".into(),
        chart: BarChart {
            title: "预警（按县区）".into(),
            categories: f.alerts_by_county.iter().map(|r| r.1.clone()).collect(),
            series: vec![
                Series {
                    name: "疑似一刀切".into(),
                    values: f.alerts_by_county.iter().map(|r| r.2 as f64).collect(),
                },
                Series {
                    name: "长停久治".into(),
                    values: f.alerts_by_county.iter().map(|r| r.3 as f64).collect(),
                },
            ],
            layout: Layout::Grouped,
            horizontal: true,
            percent: false,
        },
        sheet: Sheet {
            name: "预警".into(),
            headers: vec!["县（区）".into(), "疑似一刀切".into(), "长停久治、久治不验".into()],
            rows: f.alerts_by_county.iter().map(|r| vec![t(r.1.clone()), n(r.2), n(r.3)]).collect(),
        },
        empty: "没有未解除的预警。".into(),
        more: Some(("/alerts", "预警清单")),
    });
    Ok(out)
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    sections: Vec<Section>,
}

pub async fn page(State(st): State<AppState>, p: PageUser) -> Result<Html<String>, PageError> {
    let sections = sections(&st, &p.user).await?;
    render(&DashboardPage { nav: Nav::of(&p, "dashboard"), sections })
}

/// `/dashboard/{key}.xlsx` (one table) or `/dashboard/all.xlsx` (every table).
pub async fn xlsx(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(file): ApiPath<String>,
) -> Result<Response, PageError> {
    let key = file
        .strip_suffix(".xlsx")
        .ok_or_else(|| AppError::not_found("route_not_found", "您访问的页面或接口不存在"))?;
    let all = sections(&st, &p.user).await?;
    let sheets: Vec<Sheet> = if key == "all" {
        all.into_iter().map(|s| s.sheet).collect()
    } else {
        all.into_iter().filter(|s| s.key == key).map(|s| s.sheet).collect()
    };
    if sheets.is_empty() {
        return Err(PageError(AppError::not_found("route_not_found", "没有这张统计表")));
    }
    let bytes = xlsx::workbook(&sheets).map_err(|e| AppError::internal(format!("xlsx: {e}")))?;
    let name = format!("ducha-{key}.xlsx");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}
