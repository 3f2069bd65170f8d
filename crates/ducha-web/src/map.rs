//! The schematic map (乡镇分布图): one tile per township, grouped in a block per county, each tile
//! coloured by its number of cases and linking to the filtered case list. The layout is computed
//! from the gazetteer (no boundary data is needed, so it works offline): each county's townships in
//! gazetteer order fill a block as close to square as their number allows.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use ducha_app::lookups::CaseFilter;
use ducha_app::workbench::CountyTownships;
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::PageUser;
use crate::kit::{Nav, render};

/// Colour classes: `q0` for no cases, `q1`..`q5` for the quintiles of the non-zero counts.
pub const CLASSES: usize = 5;

/// One placed tile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    pub code: String,
    pub name: String,
    pub count: i64,
    /// 0 = none, 1..=5 = quintile.
    pub class: usize,
    pub row: usize,
    pub col: usize,
}

/// One county block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub code: String,
    pub name: String,
    pub cols: usize,
    pub rows: usize,
    pub total: i64,
    pub undetermined: i64,
    pub tiles: Vec<Tile>,
}

/// The upper bounds of the colour classes over the non-zero counts (ascending, at most 5).
pub fn class_bounds(counts: &[i64]) -> Vec<i64> {
    let mut v: Vec<i64> = counts.iter().copied().filter(|&c| c > 0).collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_unstable();
    let mut bounds: Vec<i64> = (1..=CLASSES).map(|k| v[(k * v.len()).div_ceil(CLASSES) - 1]).collect();
    bounds.dedup();
    bounds
}

fn class_of(count: i64, bounds: &[i64]) -> usize {
    if count <= 0 {
        return 0;
    }
    // Spread the classes used over 1..=5 so few distinct values still span light to dark.
    let i = bounds.iter().position(|&b| count <= b).unwrap_or(bounds.len().saturating_sub(1));
    if bounds.len() <= 1 { CLASSES } else { 1 + i * (CLASSES - 1) / (bounds.len() - 1) }
}

/// Place every township of every county.
pub fn layout(counties: &[CountyTownships]) -> Vec<Block> {
    let all: Vec<i64> = counties.iter().flat_map(|c| c.townships.iter().map(|t| t.count)).collect();
    let bounds = class_bounds(&all);
    counties
        .iter()
        .filter(|c| !c.townships.is_empty())
        .map(|c| {
            let n = c.townships.len();
            let cols = (n as f64).sqrt().ceil() as usize;
            let cols = cols.clamp(1, 6);
            let rows = n.div_ceil(cols);
            let tiles = c
                .townships
                .iter()
                .enumerate()
                .map(|(i, t)| Tile {
                    code: t.code.clone(),
                    name: t.name.clone(),
                    count: t.count,
                    class: class_of(t.count, &bounds),
                    row: i / cols,
                    col: i % cols,
                })
                .collect();
            Block {
                code: c.code.clone(),
                name: c.name.clone(),
                cols,
                rows,
                total: c.townships.iter().map(|t| t.count).sum::<i64>() + c.undetermined,
                undetermined: c.undetermined,
                tiles,
            }
        })
        .collect()
}

/// The legend: (class, label).
pub fn legend(bounds: &[i64]) -> Vec<(usize, String)> {
    let mut out = vec![(0, "0".to_owned())];
    let mut lo = 1;
    for &b in bounds {
        let label = if lo == b { format!("{b}") } else { format!("{lo}–{b}") };
        out.push((class_of(b, bounds), label));
        lo = b + 1;
    }
    out
}

#[derive(Debug, Default, Deserialize)]
pub struct MapParams {
    stage: Option<String>,
    #[serde(rename = "type")]
    pollution_type: Option<String>,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    nav: Nav,
    blocks: Vec<Block>,
    legend: Vec<(usize, String)>,
    total: i64,
    stage: String,
    pollution_type: String,
    stage_options: Vec<(&'static str, &'static str)>,
    type_options: Vec<&'static str>,
    link_suffix: String,
}

/// Stage groups offered on the map.
const STAGE_GROUPS: &[(&str, &str, &str)] = &[
    ("", "全部", ""),
    (
        "open",
        "办理中",
        "assigned,dispatched_county,dispatched_handler,acknowledged,investigating,investigated,rectifying,awaiting_verification,returned_team,returned_city,returned_county",
    ),
    ("closed", "已办结、阶段性办结", "closed,partly_closed"),
];

pub async fn page(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<MapParams>,
) -> Result<Html<String>, PageError> {
    let group = STAGE_GROUPS.iter().find(|g| Some(g.0) == q.stage.as_deref()).unwrap_or(&STAGE_GROUPS[0]);
    let ptype = q
        .pollution_type
        .as_deref()
        .filter(|t| ducha_app::triage::POLLUTION_TYPES.contains(t))
        .map(str::to_owned);
    let filter = CaseFilter {
        stages: group.2.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        pollution_type: ptype.clone(),
        ..CaseFilter::default()
    };
    let counties = st.app.township_counts(&p.user, filter).await?;
    let all: Vec<i64> = counties.iter().flat_map(|c| c.townships.iter().map(|t| t.count)).collect();
    let blocks = layout(&counties);
    let mut suffix = String::new();
    if !group.2.is_empty() {
        suffix.push_str(&format!("&stage={}", group.2));
    }
    if let Some(t) = &ptype {
        suffix.push_str(&format!(
            "&type={}",
            serde_urlencoded::to_string([("", t)]).unwrap_or_default().trim_start_matches('=')
        ));
    }
    render(&MapPage {
        nav: Nav::of(&p, "map"),
        total: blocks.iter().map(|b| b.total).sum(),
        legend: legend(&class_bounds(&all)),
        blocks,
        stage: group.0.to_owned(),
        pollution_type: ptype.unwrap_or_default(),
        stage_options: STAGE_GROUPS.iter().map(|g| (g.0, g.1)).collect(),
        type_options: ducha_app::triage::POLLUTION_TYPES.to_vec(),
        link_suffix: suffix,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ducha_app::workbench::TownshipCount;

    fn county(code: &str, counts: &[i64]) -> CountyTownships {
        CountyTownships {
            code: code.into(),
            name: format!("县{code}"),
            townships: counts
                .iter()
                .enumerate()
                .map(|(i, &c)| TownshipCount {
                    code: format!("{code}{i:03}"),
                    name: format!("镇{i}"),
                    count: c,
                })
                .collect(),
            undetermined: 2,
        }
    }

    #[test]
    fn every_township_placed_once_without_overlap() {
        for n in [1usize, 2, 3, 4, 5, 9, 10, 17, 20, 36, 50] {
            let counts: Vec<i64> = (0..n as i64).collect();
            let blocks = layout(&[county("410928", &counts)]);
            let b = &blocks[0];
            assert_eq!(b.tiles.len(), n);
            let mut cells: Vec<(usize, usize)> = b.tiles.iter().map(|t| (t.row, t.col)).collect();
            cells.sort_unstable();
            cells.dedup();
            assert_eq!(cells.len(), n, "no two tiles share a cell ({n})");
            assert!(b.tiles.iter().all(|t| t.col < b.cols && t.row < b.rows));
            assert!(b.cols * b.rows >= n && b.cols * (b.rows - 1) < n, "no empty row ({n})");
            // Square-ish: never more than one row more than columns unless capped at 6 columns.
            assert!(b.rows <= b.cols + 1 || b.cols == 6, "{n}: {}x{}", b.rows, b.cols);
            assert_eq!(b.total, counts.iter().sum::<i64>() + 2);
        }
    }

    #[test]
    fn classes_rise_with_counts() {
        let blocks = layout(&[county("410928", &[0, 1, 2, 3, 5, 8, 13, 21, 34, 55])]);
        let classes: Vec<usize> = blocks[0].tiles.iter().map(|t| t.class).collect();
        assert_eq!(classes[0], 0, "no cases, no colour");
        assert!(classes.windows(2).all(|w| w[0] <= w[1]), "{classes:?}");
        assert_eq!(*classes.last().unwrap_or(&0), CLASSES, "the busiest is darkest");
        assert!(classes[1] >= 1);
        // One distinct non-zero value: darkest; the legend's one class covers every count up to it.
        let one = layout(&[county("410922", &[0, 4, 4])]);
        assert_eq!(one[0].tiles.iter().map(|t| t.class).collect::<Vec<_>>(), vec![0, CLASSES, CLASSES]);
        assert_eq!(legend(&class_bounds(&[0, 4, 4])), vec![(0, "0".to_owned()), (CLASSES, "1–4".to_owned())]);
    }

    #[test]
    fn legend_covers_every_count() {
        let counts = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89];
        let bounds = class_bounds(&counts);
        let leg = legend(&bounds);
        for c in counts {
            let k = class_of(c, &bounds);
            assert!(leg.iter().any(|(cls, _)| *cls == k), "class {k} of {c} is in the legend");
        }
        assert_eq!(leg.first().map(|l| l.1.as_str()), Some("0"));
        assert!(leg.last().is_some_and(|l| l.1.ends_with("89")));
    }

    #[test]
    fn puyang_layout_places_all_89_townships() {
        // The built-in gazetteer: every Puyang township appears on the map exactly once.
        let g = ducha_triage::Gazetteer::builtin();
        let counties: Vec<CountyTownships> = g
            .counties()
            .filter(|c| c.code.starts_with("4109"))
            .map(|c| CountyTownships {
                code: c.code.clone(),
                name: c.name.clone(),
                townships: g
                    .townships()
                    .filter(|t| t.parent == c.code)
                    .map(|t| TownshipCount { code: t.code.clone(), name: t.common.clone(), count: 1 })
                    .collect(),
                undetermined: 0,
            })
            .collect();
        let blocks = layout(&counties);
        let placed: usize = blocks.iter().map(|b| b.tiles.len()).sum();
        assert_eq!(placed, 89);
    }
}
